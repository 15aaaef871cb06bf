"""Feature sets, column-selective loading, the feature matrix, its Sequence, the catalog."""

from __future__ import annotations

import json
import shutil
import threading

import numpy as np
import pandas as pd
import pytest

from core.data import DataError
from core.data.catalog import (
    files_for_training,
    local_versions,
    version_dir,
    versions_from_dataset_names,
)
from core.data.features import feature_set_sizes, features_of_set, read_feature_sets
from core.data.loading import (
    iter_feature_batches,
    parquet_row_count,
    read_columns,
    select_rows,
)
from core.data.matrix import MISSING_INT8, read_feature_matrix
from core.data.synthetic import generate_dataset
from core.errors import Cancelled


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return generate_dataset(tmp_path_factory.mktemp("loading"), seed=3)


@pytest.fixture
def copy(folder, tmp_path):
    target = tmp_path / "v5.2"
    shutil.copytree(folder, target)
    return target


def test_feature_set_sizes(folder):
    sizes = feature_set_sizes(folder / "features.json")
    assert sizes["small"] == 20
    assert sizes["all"] == 150


def test_features_json_missing(tmp_path):
    with pytest.raises(DataError, match="not found") as caught:
        read_feature_sets(tmp_path / "features.json")
    assert "Download" in caught.value.hint


def test_features_json_corrupt(tmp_path):
    path = tmp_path / "features.json"
    path.write_text('{"feature_sets": {"small": [')
    with pytest.raises(DataError, match="not valid JSON"):
        read_feature_sets(path)


def test_features_json_without_sets(tmp_path):
    path = tmp_path / "features.json"
    path.write_text(json.dumps({"targets": ["target"]}))
    with pytest.raises(DataError, match="no 'feature_sets'"):
        read_feature_sets(path)


def test_feature_set_not_present_lists_sets(folder):
    sets = read_feature_sets(folder / "features.json")
    with pytest.raises(DataError, match="'rain' not found") as caught:
        features_of_set(sets, "rain", folder / "features.json")
    assert "small" in caught.value.hint
    assert "all" in caught.value.hint


def test_corrupt_parquet_named(copy):
    path = copy / "train.parquet"
    path.write_bytes(b"this is not parquet" * 100)
    with pytest.raises(DataError, match="corrupt or truncated") as caught:
        read_columns(path, ["era"])
    assert str(path) in caught.value.message
    assert "download it again" in caught.value.hint


def test_truncated_parquet_named(copy):
    path = copy / "train.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="corrupt or truncated"):
        parquet_row_count(path)


def test_missing_file_named(tmp_path):
    with pytest.raises(DataError, match="not found"):
        read_columns(tmp_path / "train.parquet", ["era"])


def test_missing_columns_listed(folder):
    with pytest.raises(DataError, match="lacks 2 needed column") as caught:
        read_columns(folder / "train.parquet", ["era", "feature_nope", "target_nope"])
    assert "feature_nope" in caught.value.message


def test_read_columns_only_requested(folder):
    frame = read_columns(folder / "train.parquet", ["era", "target"])
    assert list(frame.columns) == ["era", "target"]
    assert frame.index.name == "id"


def test_select_rows_era_step(folder):
    every = select_rows(folder / "train.parquet", "target")
    fourth = select_rows(folder / "train.parquet", "target", era_step=4)
    assert every.n_rows == 18000
    assert fourth.eras_used == every.eras_used[::4]
    assert fourth.n_rows == 30 * 150
    assert set(fourth.eras) == set(fourth.eras_used)
    assert fourth.last_era == "0120"


def test_select_rows_validation_after_era(folder):
    selection = select_rows(
        folder / "validation.parquet",
        "target",
        data_type="validation",
        era_after="0124",
    )
    assert min(selection.eras_used) == "0125"
    assert not np.isnan(selection.target).any()


def test_invalid_era_step(folder):
    with pytest.raises(DataError, match="Invalid era step 0"):
        select_rows(folder / "train.parquet", "target", era_step=0)


def test_feature_batches_match_pandas(folder):
    features = read_feature_sets(folder / "features.json")["medium"][::-1]
    expected = pd.read_parquet(folder / "train.parquet", columns=features).to_numpy(
        np.float32
    )
    parts = [
        matrix
        for _, matrix in iter_feature_batches(
            folder / "train.parquet", features, batch_rows=1000
        )
    ]
    assert all(len(p) <= 1000 for p in parts)
    np.testing.assert_array_equal(np.vstack(parts), expected)


def _pandas_float32(path, features):
    return pd.read_parquet(path, columns=features).to_numpy(np.float32)


def test_matrix_packed_matches_pandas(folder):
    features = read_feature_sets(folder / "features.json")["medium"][::-1][:59]
    expected = _pandas_float32(folder / "train.parquet", features)
    positions = np.arange(5, 18000, 7)
    matrix = read_feature_matrix(
        folder / "train.parquet", features, positions, batch_rows=1000
    )
    assert matrix.packed
    assert matrix.values.shape == (len(positions), 30)
    np.testing.assert_array_equal(matrix.float_rows(slice(None)), expected[positions])
    np.testing.assert_array_equal(
        matrix.float_rows(np.array([0, 3, 900])), expected[positions[[0, 3, 900]]]
    )


def _write_columns(path, columns: dict) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path, row_group_size=7)


def test_matrix_int8_nulls_become_nan(tmp_path):
    import pyarrow as pa

    path = tmp_path / "nulls.parquet"
    _write_columns(
        path,
        {
            "feature_a": pa.array([0, None, 4, 2] * 5, pa.int8()),
            "feature_b": pa.array([1, 2, 3, None] * 5, pa.int8()),
        },
    )
    matrix = read_feature_matrix(path, ["feature_b", "feature_a"], np.arange(20))
    assert not matrix.packed
    assert matrix.missing_code == MISSING_INT8
    rows = matrix.float_rows(slice(0, 4))
    np.testing.assert_array_equal(
        rows, np.array([[1, 0], [2, np.nan], [3, 4], [np.nan, 2]], np.float32)
    )


def test_matrix_large_int8_not_packed(tmp_path):
    import pyarrow as pa

    path = tmp_path / "wide.parquet"
    _write_columns(path, {"feature_a": pa.array([0, 20, -3] * 4, pa.int8())})
    matrix = read_feature_matrix(path, ["feature_a"], np.array([1, 2, 10]))
    assert not matrix.packed
    assert matrix.values.dtype == np.int8
    np.testing.assert_array_equal(matrix.float_rows(slice(None))[:, 0], [20, -3, 20])


def test_matrix_float_columns_kept(tmp_path):
    import pyarrow as pa

    path = tmp_path / "float.parquet"
    _write_columns(
        path,
        {
            "feature_a": pa.array([0.5, None, 2.25] * 4, pa.float32()),
            "feature_b": pa.array([1, 2, 3] * 4, pa.int8()),
        },
    )
    matrix = read_feature_matrix(path, ["feature_a", "feature_b"], np.arange(3))
    assert matrix.values.dtype == np.float32
    np.testing.assert_array_equal(
        matrix.float_rows(slice(None)),
        np.array([[0.5, 1], [np.nan, 2], [2.25, 3]], np.float32),
    )


def test_matrix_read_cancelled(folder):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        read_feature_matrix(
            folder / "train.parquet", _small(folder), [0], cancel=cancel
        )


def _small(folder):
    return read_feature_sets(folder / "features.json")["small"]


def test_sequence_batches_match_matrix(folder):
    from core.data.sequence import MatrixSequence

    features = _small(folder)
    expected = _pandas_float32(folder / "train.parquet", features)
    positions = np.arange(0, 18000, 3)
    matrix = read_feature_matrix(folder / "train.parquet", features, positions)
    sequence = MatrixSequence(matrix, batch_rows=512)
    assert len(sequence) == len(positions)
    np.testing.assert_array_equal(sequence[0:100], expected[positions[:100]])
    np.testing.assert_array_equal(
        sequence[[2, 50, 5999]], expected[positions[[2, 50, 5999]]]
    )
    assert sequence[2000].dtype == np.float64
    np.testing.assert_array_equal(sequence[2000], expected[positions[2000]])
    last = sequence[len(sequence) - 50 : len(sequence)]
    np.testing.assert_array_equal(last, expected[positions[-50:]])


def test_sequence_cancelled(folder):
    from core.data.sequence import MatrixSequence

    matrix = read_feature_matrix(folder / "train.parquet", _small(folder), [0, 1])
    cancel = threading.Event()
    sequence = MatrixSequence(matrix, cancel=cancel)
    cancel.set()
    with pytest.raises(Cancelled, match="dataset was cancelled"):
        sequence[0:2]


def test_versions_from_dataset_names():
    names = [
        "v4.3/train_int8.parquet",
        "v5.0/features.json",
        "v5.0/train.parquet",
        "v5.0/validation.parquet",
        "v5.2/features.json",
        "v5.2/train.parquet",
        "v5.2/validation.parquet",
        "v5.2/live.parquet",
        "v5.10/features.json",
        "signals/v2.0/train.parquet",
        "notaversion/train.parquet",
    ]
    versions = versions_from_dataset_names(names)
    assert [v.name for v in versions] == ["v5.2", "v5.0"]
    assert "live.parquet" in versions[0].files


def test_files_for_training():
    assert files_for_training("v5.2", with_live=False) == [
        "v5.2/features.json",
        "v5.2/train.parquet",
        "v5.2/validation.parquet",
    ]


def test_version_dir_both_layouts(folder):
    assert version_dir(folder.parent, "v5.2") == folder
    assert version_dir(folder, "v5.2") == folder
    assert local_versions(folder.parent) == ["v5.2"]


def test_version_dir_missing_version(folder):
    with pytest.raises(DataError, match="No v5.0 training data") as caught:
        version_dir(folder.parent, "v5.0")
    assert "v5.2" in caught.value.hint


def test_version_dir_missing_folder(tmp_path):
    with pytest.raises(DataError, match="Data folder not found"):
        version_dir(tmp_path / "nothing", "v5.2")
