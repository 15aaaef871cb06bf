"""Training on synthetic data: scores, embargo, progress, cancel, parity with bare LightGBM."""

from __future__ import annotations

import threading

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from core.data import DataError
from core.data.synthetic import generate_dataset
from core.errors import Cancelled
from core.presets import PRESETS, booster_params, preset_params, tree_count
from core.training import (
    BIN_SAMPLE_ROWS,
    STAGES,
    TrainConfig,
    lightgbm_params,
    train_model,
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("training")
    generate_dataset(root, seed=0)
    return root


@pytest.fixture(scope="module")
def quick_result(data_dir):
    updates = []
    result = train_model(
        TrainConfig(data_dir, "small", preset_params("quick")), progress=updates.append
    )
    return result, updates


def test_quick_preset_scores_positive(quick_result):
    result, _ = quick_result
    assert result.trees == 50
    assert result.train_rows == 18000
    assert result.metrics is not None
    assert result.metrics.mean > 0


def test_validation_skips_embargo_eras(quick_result):
    result, _ = quick_result
    # Training ends at era 0120; eras 0121 to 0124 are embargoed.
    assert result.metrics.eras[0] == "0125"
    assert "0124" not in result.metrics.eras
    assert len(result.metrics.eras) == 40


def test_progress_stages_in_order(quick_result):
    _, updates = quick_result
    stages = list(dict.fromkeys(u.stage for u in updates))
    assert stages == list(STAGES)
    training = [u for u in updates if u.stage == "training"]
    assert training[-1].trees_done == 50
    assert training[-1].trees_total == 50
    assert all(b.elapsed_s >= a.elapsed_s for a, b in zip(updates, updates[1:]))


def test_same_model_as_bare_lightgbm(data_dir, quick_result):
    result, _ = quick_result
    folder = data_dir / "v5.2"
    features = result.features
    train = pd.read_parquet(folder / "train.parquet", columns=features + ["target"])
    params = preset_params("quick")
    bare = lgb.train(
        booster_params(params),
        lgb.Dataset(train[features], label=train["target"]),
        num_boost_round=tree_count(params),
    )
    live = pd.read_parquet(folder / "live.parquet", columns=features).to_numpy(
        np.float32
    )
    np.testing.assert_allclose(
        result.model.predict(live), bare.predict(live), rtol=1e-6, atol=1e-9
    )


def _tree_text(booster) -> str:
    text = booster.model_to_string()
    return text[text.index("Tree=0") : text.index("end of trees")]


def test_small_bin_sample_same_trees(data_dir):
    # The default sample is smaller than the 18,000 rows; 20,000 bins all of them.
    params = preset_params("example", {"n_estimators": 30})
    small = train_model(TrainConfig(data_dir, "medium", params))
    full = train_model(
        TrainConfig(data_dir, "medium", dict(params, bin_construct_sample_cnt=20_000))
    )
    assert BIN_SAMPLE_ROWS < small.train_rows
    assert _tree_text(small.model) == _tree_text(full.model)


def test_col_wise_same_as_bare_lightgbm(data_dir):
    # colsample_bytree 0.1 makes the wizard force col-wise histograms.
    params = preset_params("example", {"n_estimators": 30})
    assert lightgbm_params(params)["force_col_wise"] is True
    result = train_model(TrainConfig(data_dir, "medium", params))
    folder = data_dir / "v5.2"
    train = pd.read_parquet(
        folder / "train.parquet", columns=result.features + ["target"]
    )
    bare = lgb.train(
        booster_params(params),
        lgb.Dataset(train[result.features], label=train["target"]),
        num_boost_round=tree_count(params),
    )
    assert _tree_text(result.model) == _tree_text(bare)


def test_era_step_uses_fewer_rows(data_dir):
    result = train_model(
        TrainConfig(
            data_dir, "small", preset_params("quick", {"n_estimators": 5}), era_step=4
        )
    )
    assert result.train_eras == 30
    assert result.train_rows == 30 * 150


def test_cancel_during_training(data_dir):
    cancel = threading.Event()

    def on_progress(update):
        if update.stage == "training" and update.trees_done >= 3:
            cancel.set()

    config = TrainConfig(
        data_dir, "small", preset_params("example", {"n_estimators": 5000})
    )
    with pytest.raises(Cancelled, match="during training"):
        train_model(config, progress=on_progress, cancel=cancel)


def test_cancel_before_start(data_dir):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        train_model(
            TrainConfig(data_dir, "small", preset_params("quick")), cancel=cancel
        )


def test_unknown_feature_set(data_dir):
    with pytest.raises(DataError, match="'huge' not found"):
        train_model(TrainConfig(data_dir, "huge", preset_params("quick")))


def test_missing_validation_file_gives_note(data_dir, tmp_path):
    import shutil

    folder = tmp_path / "v5.2"
    folder.mkdir()
    for name in ("features.json", "train.parquet"):
        shutil.copy(data_dir / "v5.2" / name, folder / name)
    result = train_model(
        TrainConfig(tmp_path, "small", preset_params("quick", {"n_estimators": 3}))
    )
    assert result.metrics is None
    assert "validation.parquet" in result.validation_note


def test_presets_match_numerai_settings():
    assert PRESETS["example"].params == {
        "n_estimators": 2000,
        "learning_rate": 0.01,
        "max_depth": 5,
        "num_leaves": 31,
        "colsample_bytree": 0.1,
    }
    deep = PRESETS["deep"].params
    assert deep["n_estimators"] == 30000
    assert deep["learning_rate"] == 0.001
    assert deep["max_depth"] == 10
    assert deep["num_leaves"] == 1024
    assert deep["min_data_in_leaf"] == 10000


def test_preset_override_and_rounds():
    params = preset_params("example", {"n_estimators": 7, "max_depth": 3})
    assert tree_count(params) == 7
    translated = booster_params(params)
    assert "n_estimators" not in translated
    assert translated["max_depth"] == 3
    assert translated["objective"] == "regression"
