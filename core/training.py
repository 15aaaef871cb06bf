"""Training a LightGBM model on Numerai data, with progress and cancel.

Stages: loading reads the era and target columns, then the feature columns
in one pass into a packed int8 matrix. Building dataset pushes that matrix
to LightGBM in float32 batches, with no float copy of the whole matrix.
Training runs `lightgbm.train` and checks cancel every tree. Validating
scores per-era correlation on the validation eras after the embargo.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.data import DEFAULT_VERSION, DataError
from core.errors import Cancelled
from core.metrics import ValidationMetrics
from core.presets import (
    BIN_SAMPLE_ROWS,
    PRESETS,
    booster_params,
    preset_params,
    tree_count,
)

log = logging.getLogger(__name__)

__all__ = [
    "PRESETS",
    "TrainConfig",
    "TrainProgress",
    "TrainResult",
    "bin_sample_rows",
    "lightgbm_params",
    "preset_params",
    "train_model",
]

# Targets look about 20 business days ahead, so the four eras after the last
# training era overlap it and are left out of validation.
EMBARGO_ERAS = 4
# Minimum seconds between two progress calls while trees are being added.
PROGRESS_INTERVAL_S = 0.1

STAGES = ("loading", "building dataset", "training", "validating")


# Below this fraction of features per tree, histograms are built feature by
# feature (`force_col_wise`). LightGBM's own choice times both ways with every
# feature and picks row-wise for Numerai's width. Measured with
# benchmarks/bench_training.py data (150,000 rows x 2,748 features, 2 cores):
# 100 trees at colsample_bytree 0.1 take 8.4 s col-wise and 14.9 s row-wise,
# and 20 trees at 0.5 take 19.8 s and 14.1 s. Predictions were identical.
COL_WISE_MAX_FEATURE_FRACTION = 0.3
FEATURE_FRACTION_KEYS = ("colsample_bytree", "feature_fraction", "sub_feature")


def bin_sample_rows(params: dict[str, Any]) -> int:
    """Return the rows sampled for bin edges: the parameter if set, else `BIN_SAMPLE_ROWS`."""
    return int(params.get("bin_construct_sample_cnt", BIN_SAMPLE_ROWS))


@dataclass
class TrainConfig:
    """A training run's data folder, feature set, LightGBM parameters and era sampling."""

    data_dir: Path
    feature_set: str
    params: dict[str, Any]
    era_step: int = 1
    data_version: str = DEFAULT_VERSION
    target: str = "target"


@dataclass
class TrainProgress:
    """A progress report; `eta_s` is None until the first tree is done."""

    trees_done: int
    trees_total: int
    elapsed_s: float
    eta_s: float | None
    stage: str


@dataclass
class TrainResult:
    """A trained Booster, what it was trained on, and its validation scores."""

    model: Any
    features: list[str]
    metrics: ValidationMetrics | None
    params: dict[str, Any]
    feature_set: str
    data_version: str
    train_rows: int
    train_eras: int
    target: str
    trees: int
    stage_seconds: dict[str, float] = field(default_factory=dict)
    validation_note: str = ""


class _Reporter:
    """Sends `TrainProgress` to a callback and checks for cancel."""

    def __init__(self, progress, cancel, trees_total: int) -> None:
        self.progress = progress
        self.cancel = cancel
        self.trees_total = trees_total
        self.started = time.monotonic()
        self.stage_started = self.started
        self.stage_seconds: dict[str, float] = {}
        self.stage = ""
        self.trees_done = 0
        self.last_sent = 0.0

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled(
                f"Training was cancelled during {self.stage or 'start-up'}."
            )

    def enter(self, stage: str) -> None:
        now = time.monotonic()
        self.check_cancel()
        if self.stage:
            self.stage_seconds[self.stage] = now - self.stage_started
        self.stage, self.stage_started = stage, now
        self._send(now)
        log.info("Training stage: %s", stage)

    def finish(self) -> None:
        self.stage_seconds[self.stage] = time.monotonic() - self.stage_started

    def tree_done(self, trees_done: int) -> None:
        self.trees_done = trees_done
        self.check_cancel()
        now = time.monotonic()
        if (
            now - self.last_sent >= PROGRESS_INTERVAL_S
            or trees_done == self.trees_total
        ):
            self._send(now)

    def _send(self, now: float) -> None:
        self.last_sent = now
        if self.progress is None:
            return
        elapsed = now - self.started
        eta = None
        if self.stage == "training" and self.trees_done:
            per_tree = (now - self.stage_started) / self.trees_done
            eta = per_tree * (self.trees_total - self.trees_done)
        self.progress(
            TrainProgress(self.trees_done, self.trees_total, elapsed, eta, self.stage)
        )


def train_model(
    config: TrainConfig,
    progress: Callable[[TrainProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> TrainResult:
    """Train, validate and return the model; raise `Cancelled` if `cancel` is set."""
    from core.data.catalog import version_dir

    trees = tree_count(config.params)
    if trees < 1:
        raise DataError(f"Invalid number of trees {trees}.", "Use 1 or more trees.")
    reporter = _Reporter(progress, cancel, trees)
    folder = version_dir(config.data_dir, config.data_version)

    reporter.enter("loading")
    features, selection = _load_training_rows(folder, config)
    matrix = _read_matrix(folder / "train.parquet", features, selection, cancel)

    reporter.enter("building dataset")
    dataset = _build_dataset(matrix, features, selection, config, cancel)
    matrix.release()  # LightGBM holds its own binned copy now

    reporter.enter("training")
    booster = _train_booster(dataset, config, trees, reporter)
    del dataset

    reporter.enter("validating")
    metrics, note = _validate(booster, folder, features, selection, config, cancel)
    reporter.finish()
    return TrainResult(
        model=booster,
        features=features,
        metrics=metrics,
        params=dict(config.params),
        feature_set=config.feature_set,
        data_version=config.data_version,
        train_rows=selection.n_rows,
        train_eras=len(selection.eras_used),
        target=config.target,
        trees=booster.current_iteration(),
        stage_seconds=reporter.stage_seconds,
        validation_note=note,
    )


def _load_training_rows(folder: Path, config: TrainConfig):
    from core.data.features import features_of_set, read_feature_sets
    from core.data.loading import open_parquet, require_columns, select_rows

    features_json = folder / "features.json"
    features = features_of_set(
        read_feature_sets(features_json), config.feature_set, features_json
    )
    train_path = folder / "train.parquet"
    require_columns(
        open_parquet(train_path), train_path, features + ["era", config.target]
    )

    selection = select_rows(train_path, config.target, era_step=config.era_step)
    if selection.n_rows == 0:
        raise DataError(
            f"No training rows with a {config.target!r} value in {train_path}.",
            "Choose another target or download the data again.",
        )
    log.info(
        "Training on %s rows, %s eras, %s features (%s)",
        selection.n_rows,
        len(selection.eras_used),
        len(features),
        config.feature_set,
    )
    return features, selection


def _read_matrix(path: Path, features, selection, cancel):
    from core.data.matrix import read_feature_matrix

    return read_feature_matrix(path, features, selection.positions, cancel=cancel)


def _build_dataset(matrix, features, selection, config: TrainConfig, cancel):
    """Bin the matrix rows into a LightGBM Dataset, one float32 batch at a time.

    The bin edges come from a reference Dataset built on a float32 sample of
    `bin_sample_rows` rows. Left to itself, LightGBM would sample a Sequence
    as float64 rows held twice, about four times the memory.
    """
    import lightgbm as lgb
    import numpy as np

    from core.data.sequence import MatrixSequence

    params = lightgbm_params(config.params)
    rows = len(matrix)
    sample_rows = min(rows, int(params["bin_construct_sample_cnt"]))
    rng = np.random.default_rng(int(params.get("seed", 0)))
    sample_index = np.sort(rng.choice(rows, size=sample_rows, replace=False))
    sample = matrix.float_rows(sample_index)
    reference = lgb.Dataset(
        sample, feature_name=features, params=params, free_raw_data=True
    )
    reference.construct()
    del sample

    sequence = MatrixSequence(matrix, cancel=cancel)
    dataset = lgb.Dataset(
        sequence,
        label=selection.target,
        feature_name=features,
        params=params,
        reference=reference,
        free_raw_data=True,
    )
    try:
        dataset.construct()
    finally:
        sequence.close()
    return dataset


def lightgbm_params(params: dict) -> dict:
    """Return the `lightgbm.train` parameters the wizard uses for `params`.

    These are `booster_params` with the wizard's bin sample size, plus
    `force_col_wise` for a small feature fraction unless the parameters
    choose a histogram layout. The layout changes speed and memory, not the
    trees.
    """
    full = booster_params(params)
    full["bin_construct_sample_cnt"] = bin_sample_rows(params)
    fraction = next(
        (float(full[key]) for key in FEATURE_FRACTION_KEYS if key in full), 1.0
    )
    layout_set = "force_col_wise" in full or "force_row_wise" in full
    if fraction < COL_WISE_MAX_FEATURE_FRACTION and not layout_set:
        full["force_col_wise"] = True
    return full


def _train_booster(dataset, config: TrainConfig, trees: int, reporter: _Reporter):
    import lightgbm as lgb

    def on_iteration(env) -> None:
        reporter.tree_done(env.iteration + 1)

    return lgb.train(
        lightgbm_params(config.params),
        dataset,
        num_boost_round=trees,
        callbacks=[on_iteration],
    )


def _validate(
    booster, folder: Path, features, train_selection, config: TrainConfig, cancel
):
    from core.validation import score_validation

    path = folder / "validation.parquet"
    if not path.is_file():
        log.warning("No validation file at %s; skipping validation", path)
        return (
            None,
            f"No validation.parquet in {folder}, so the model was not validated.",
        )
    return score_validation(
        booster,
        path,
        features,
        config.target,
        train_selection.last_era,
        EMBARGO_ERAS,
        cancel,
    )
