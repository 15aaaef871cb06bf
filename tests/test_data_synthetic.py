"""Synthetic Numerai-shaped data: layout, types, determinism, streaming."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from core.data import synthetic
from core.data.synthetic import generate_dataset, shape_with

FILES = [
    "features.json",
    "live.parquet",
    "live_benchmark_models.parquet",
    "train.parquet",
    "validation.parquet",
]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return generate_dataset(tmp_path_factory.mktemp("synthetic"), seed=0)


def _digests(folder):
    return {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES
    }


def test_generate_writes_all_files(small):
    assert small.name == "v5.2"
    assert sorted(p.name for p in small.iterdir()) == FILES


def test_same_seed_same_bytes(small, tmp_path):
    again = generate_dataset(tmp_path, seed=0)
    assert _digests(again) == _digests(small)


def test_other_seed_other_bytes(small, tmp_path):
    other = generate_dataset(tmp_path, seed=1)
    assert _digests(other)["train.parquet"] != _digests(small)["train.parquet"]


def test_features_json_sets(small):
    content = json.loads((small / "features.json").read_text())
    sets = content["feature_sets"]
    assert len(sets["small"]) == 20
    assert len(sets["medium"]) == 60
    assert len(sets["all"]) == 150
    assert set(sets["small"]) <= set(sets["medium"]) <= set(sets["all"])
    assert "intelligence" in sets
    assert all(name.startswith("feature_") for name in sets["all"])
    assert content["targets"][0] == "target"


def test_train_columns_and_types(small):
    train = pd.read_parquet(small / "train.parquet")
    features = json.loads((small / "features.json").read_text())["feature_sets"]["all"]
    assert train.index.name == "id"
    assert train.index.is_unique
    assert train["era"].iloc[0] == "0001"
    assert train["era"].nunique() == 120
    assert (train["data_type"] == "train").all()
    assert (train[features].dtypes == np.int8).all()
    assert train[features].min().min() == 0
    assert train[features].max().max() == 4
    assert set(train["target"].unique()) == {0.0, 0.25, 0.5, 0.75, 1.0}
    assert not train["target"].isna().any()


def test_validation_has_test_rows_without_targets(small):
    validation = pd.read_parquet(small / "validation.parquet")
    kinds = validation.groupby("data_type")["target"]
    assert kinds.count()["validation"] > 0
    assert kinds.count()["test"] == 0
    assert validation["era"].min() == "0121"
    assert (
        validation.loc[validation["data_type"] == "test", "era"].min()
        > validation.loc[validation["data_type"] == "validation", "era"].max()
    )


def test_live_and_benchmarks_align(small):
    live = pd.read_parquet(small / "live.parquet")
    benchmarks = pd.read_parquet(small / "live_benchmark_models.parquet")
    assert (live["era"] == "X").all()
    assert live["target"].isna().all()
    assert benchmarks.index.equals(live.index)
    assert benchmarks.min().min() > 0
    assert benchmarks.max().max() <= 1


def test_ids_unique_across_files(small):
    ids = [
        pd.read_parquet(small / name, columns=[]).index
        for name in ("train.parquet", "validation.parquet", "live.parquet")
    ]
    combined = ids[0].append(ids[1]).append(ids[2])
    assert combined.is_unique


def test_large_shape_streams_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(synthetic, "BATCH_ROWS", 1000)
    shape = shape_with(
        "small", train_eras=20, rows_per_era=300, n_all=2748, n_medium=705, n_small=42
    )
    folder = generate_dataset(tmp_path, shape=shape)
    metadata = pq.ParquetFile(folder / "train.parquet").metadata
    assert metadata.num_rows == 6000
    assert metadata.num_columns >= 2748
    # Four eras of 300 rows reach the 1,000-row batch limit, so 20 eras make 5 groups.
    assert metadata.num_row_groups == 5
    assert max(metadata.row_group(i).num_rows for i in range(5)) == 1200


def test_cancel_leaves_no_file(tmp_path):
    import threading

    from core.errors import Cancelled

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        generate_dataset(tmp_path, cancel=cancel)
    assert list((tmp_path / "v5.2").iterdir()) == []


def test_unknown_size_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown size"):
        generate_dataset(tmp_path, size="huge")
