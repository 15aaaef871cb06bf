"""Training a LightGBM model on Numerai data, with progress and cancel.

Stages: loading (feature set, era and target columns), building dataset
(LightGBM bins streamed from parquet, no float copy of the whole matrix),
training (`lightgbm.train`, cancel checked every tree) and validating
(per-era correlation on the validation eras after the embargo).
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
from core.presets import PRESETS, booster_params, preset_params, tree_count

log = logging.getLogger(__name__)

__all__ = [
    "PRESETS",
    "TrainConfig",
    "TrainProgress",
    "TrainResult",
    "preset_params",
    "train_model",
]

# Targets look about 20 business days ahead, so the four eras after the last
# training era overlap it and are left out of validation.
EMBARGO_ERAS = 4
# Minimum seconds between two progress calls while trees are being added.
PROGRESS_INTERVAL_S = 0.1

STAGES = ("loading", "building dataset", "training", "validating")


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

    reporter.enter("building dataset")
    dataset, sequence = _build_dataset(
        folder / "train.parquet", features, selection, config, cancel
    )

    reporter.enter("training")
    booster = _train_booster(dataset, config.params, trees, reporter)
    sequence.close()
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


def _build_dataset(path: Path, features, selection, config: TrainConfig, cancel):
    """Bin the selected rows into a LightGBM Dataset, streaming them from parquet.

    The bin edges come from a reference Dataset built on a float32 sample of
    `bin_construct_sample_cnt` rows. Left to itself, LightGBM would sample a
    Sequence as float64 rows held twice, about four times the memory.
    """
    import lightgbm as lgb
    import numpy as np

    from core.data.sequence import ParquetSequence

    params = booster_params(config.params)
    sequence = ParquetSequence(path, features, selection.positions, cancel=cancel)
    sample_rows = min(len(sequence), int(params["bin_construct_sample_cnt"]))
    rng = np.random.default_rng(int(params.get("seed", 0)))
    sample_index = np.sort(rng.choice(len(sequence), size=sample_rows, replace=False))
    sample = sequence[sample_index.tolist()]
    reference = lgb.Dataset(
        sample, feature_name=features, params=params, free_raw_data=True
    )
    reference.construct()
    del sample

    dataset = lgb.Dataset(
        sequence,
        label=selection.target,
        feature_name=features,
        params=params,
        reference=reference,
        free_raw_data=True,
    )
    dataset.construct()
    sequence.close()
    return dataset, sequence


def _train_booster(dataset, params: dict, trees: int, reporter: _Reporter):
    import lightgbm as lgb

    def on_iteration(env) -> None:
        reporter.tree_done(env.iteration + 1)

    return lgb.train(
        booster_params(params),
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
