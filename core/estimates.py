"""Memory and time estimates for training here and for inference in Numerai's runner.

The memory formula adds up what the wizard keeps at its peak: the packed
feature matrix at half a byte per cell, LightGBM's Dataset at one byte per
cell while rows are pushed, one float32 push batch, the bin sample and a few
arrays per row. The constants were measured with
`benchmarks/bench_training.py` and child-process peak RSS on a 2-core,
24 GB Linux machine with Python 3.11, lightgbm 4.6.0 and pyarrow 21. They
are estimates: other machines, libraries and parameters move them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from core.presets import tree_count
from core.training import bin_sample_rows, lightgbm_params

log = logging.getLogger(__name__)

MB = 1 << 20
GB = 1 << 30

# Measured: RSS of a process that imported lightgbm, pandas, pyarrow and
# numerai-tools, plus LightGBM's fixed per-run allocations.
BASE_BYTES = 231 * MB
# Measured fit over 4 shapes (40 to 2,748 features): per-feature bookkeeping.
PER_FEATURE_BYTES = 20 * 1024
# Era, target, row positions and LightGBM's gradients, hessians and scores.
PER_ROW_BYTES = 70
# Packed feature matrix (two int8 features per byte), see core.data.matrix.
MATRIX_BYTES_PER_CELL = 0.5
# LightGBM's 4-bit bins plus its same-size load buffer, held until the push ends.
DATASET_BYTES_PER_CELL = 1.0
# The float32 sample, plus LightGBM's float64 copy of its values with indices.
SAMPLE_BYTES_PER_CELL = 4 + 16
# One histogram entry (gradient and hessian sums) per bin, per leaf kept.
HISTOGRAM_ENTRY_BYTES = 16
BINS_PER_FEATURE = 6  # five values plus LightGBM's missing-value bin
PUSH_BATCH_ROWS = 8192
# Measured: pyarrow's pool keeps about 10 bytes per cell of one 8,192-row
# read batch mapped after the read.
READ_BATCH_RETAINED_BYTES = 8192 * 10

# Measured: reading, packing and pushing 150,000 x 2,748 cells took 24.8 s.
BUILD_SECONDS_PER_CELL = 60e-9
# Measured: on narrow data the per-feature bin work dominates (18,000 x 150
# cells took 1.16 s), so the build takes at least this long per feature.
BUILD_SECONDS_PER_FEATURE = 7e-3
# Measured time per tree: a fixed part, and per row x sampled feature x level.
# 100 trees of the example preset on 150,000 x 2,748 took 8.3 s (col-wise),
# and 300 trees on 18,000 x 150 took 1.41 s, most of it the fixed part.
# NOTE: measured on an idle 2-core machine; LightGBM's threads slow down
# several times over when other processes keep the cores busy.
TREE_FIXED_SECONDS = 4e-3
TREE_SECONDS_PER_CELL_LEVEL = 4e-10
# Prediction cost per row, per tree, per tree level, on one CPU (conservative).
PREDICT_SECONDS_PER_NODE = 10e-9

# Numerai's runner: 1 CPU, 4 GB of RAM, 10 minutes, about 6,000 live rows.
RUNNER_MEMORY_BYTES = 4 * GB
RUNNER_SECONDS = 600
RUNNER_LIVE_ROWS = 6000
RUNNER_BASE_BYTES = 190 * MB
# Measured: a pickled LightGBM model takes about 130 bytes per leaf. Once
# loaded, the pickle, the model text and the parsed trees take about three times that.
MODEL_BYTES_PER_LEAF = 130
MODEL_LOADED_FACTOR = 3

# Published training-set sizes, used before the data is downloaded.
PUBLISHED_TRAIN_ROWS = {"v5.2": 2_750_000, "v5.1": 2_750_000, "v5.0": 2_700_000}
PUBLISHED_FEATURE_COUNTS = {"small": 42, "medium": 705, "all": 2748}


@dataclass
class ResourceEstimate:
    """Estimated peak memory and time of training here and of inference in the runner."""

    train_rows: int
    n_features: int
    trees: int
    train_peak_bytes: int
    load_seconds: float
    train_seconds: float
    runner_peak_bytes: int
    runner_seconds: float
    model_bytes: int
    available_bytes: int | None
    fits_machine: bool
    fits_runner: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return self.load_seconds + self.train_seconds


def _available_memory() -> int | None:
    try:
        import psutil
    except ImportError:
        return None
    return int(psutil.virtual_memory().available)


def _tree_shape(params: dict, rows: int) -> tuple[int, int]:
    """Return (leaves, levels) a tree can reach with these parameters and rows."""
    full = lightgbm_params(params)
    leaves = int(full.get("num_leaves", 31))
    max_depth = int(full.get("max_depth", -1))
    if max_depth > 0:
        leaves = min(leaves, 2**max_depth)
    min_in_leaf = int(full.get("min_data_in_leaf", full.get("min_child_samples", 20)))
    leaves = max(2, min(leaves, rows // max(min_in_leaf, 1)))
    levels = max_depth if max_depth > 0 else max(1, (leaves - 1).bit_length())
    return leaves, levels


def _feature_fraction(params: dict) -> float:
    full = lightgbm_params(params)
    for key in ("colsample_bytree", "feature_fraction", "sub_feature"):
        if key in full:
            return float(full[key])
    return 1.0


def train_peak_bytes(
    rows: int, n_features: int, params: dict, file_rows: int | None = None
) -> int:
    """Estimate the peak RSS of loading, binning and training, in bytes.

    The peak is either while the bin sample is binned or while rows are
    pushed, both with the packed matrix in memory.
    """
    leaves, _ = _tree_shape(params, rows)
    sample = min(rows, bin_sample_rows(params))
    matrix = rows * n_features * MATRIX_BYTES_PER_CELL
    sampling = sample * n_features * SAMPLE_BYTES_PER_CELL
    pushing = n_features * (rows * DATASET_BYTES_PER_CELL + PUSH_BATCH_ROWS * 4)
    read_retained = READ_BATCH_RETAINED_BYTES * n_features
    histograms = leaves * n_features * BINS_PER_FEATURE * HISTOGRAM_ENTRY_BYTES
    per_row = PER_ROW_BYTES * max(rows, file_rows or 0)
    fixed = BASE_BYTES + PER_FEATURE_BYTES * n_features
    return int(
        fixed + per_row + matrix + max(sampling, pushing) + read_retained + histograms
    )


def _estimate_times(
    rows: int, n_features: int, params: dict
) -> tuple[float, float, int]:
    trees = tree_count(params)
    leaves, levels = _tree_shape(params, rows)
    load = max(
        BUILD_SECONDS_PER_CELL * rows * n_features,
        BUILD_SECONDS_PER_FEATURE * n_features,
    )
    per_tree = (
        TREE_FIXED_SECONDS
        + TREE_SECONDS_PER_CELL_LEVEL
        * rows
        * n_features
        * _feature_fraction(params)
        * levels
    )
    return load, per_tree * trees, trees


def _runner_needs(n_features: int, params: dict, rows: int) -> tuple[int, float, int]:
    trees = tree_count(params)
    leaves, levels = _tree_shape(params, rows)
    model = trees * leaves * MODEL_BYTES_PER_LEAF
    live = RUNNER_LIVE_ROWS * n_features * (1 + 4 + 8)
    peak = RUNNER_BASE_BYTES + model * MODEL_LOADED_FACTOR + live
    seconds = RUNNER_LIVE_ROWS * trees * levels * PREDICT_SECONDS_PER_NODE
    return int(peak), seconds, int(model)


def estimate_resources(
    n_rows: int,
    n_features: int,
    params: dict,
    *,
    era_step: int = 1,
    available_bytes: int | None = None,
) -> ResourceEstimate:
    """Estimate training on this machine and inference in the runner.

    `n_rows` counts the training file's rows; `era_step` keeps every n-th era.
    `available_bytes` defaults to the memory available now.
    """
    rows = max(1, n_rows // max(era_step, 1))
    if available_bytes is None:
        available_bytes = _available_memory()
    peak = train_peak_bytes(rows, n_features, params, file_rows=n_rows)
    load_s, train_s, trees = _estimate_times(rows, n_features, params)
    runner_peak, runner_s, model = _runner_needs(n_features, params, rows)

    fits_machine = available_bytes is None or peak <= available_bytes
    fits_runner = runner_peak <= RUNNER_MEMORY_BYTES and runner_s <= RUNNER_SECONDS
    estimate = ResourceEstimate(
        rows,
        n_features,
        trees,
        peak,
        load_s,
        train_s,
        runner_peak,
        runner_s,
        model,
        available_bytes,
        fits_machine,
        fits_runner,
    )
    estimate.warnings = _warnings(estimate, params)
    return estimate


def _warnings(e: ResourceEstimate, params: dict) -> list[str]:
    warnings = []
    full = lightgbm_params(params)
    min_in_leaf = int(full.get("min_data_in_leaf", full.get("min_child_samples", 20)))
    if min_in_leaf * 2 > e.train_rows:
        warnings.append(
            f"min_data_in_leaf is {min_in_leaf:,} but there are {e.train_rows:,} training "
            "rows, so no tree can split and the model predicts one constant value: "
            "lower min_data_in_leaf or train on more rows."
        )
    if not e.fits_machine:
        warnings.append(
            f"Training needs about {e.train_peak_bytes / GB:.1f} GB of memory but "
            f"{e.available_bytes / GB:.1f} GB is available: use a larger era step or a smaller feature set."
        )
    if e.runner_peak_bytes > RUNNER_MEMORY_BYTES:
        warnings.append(
            f"The model needs about {e.runner_peak_bytes / GB:.1f} GB in Numerai's runner, "
            "above its 4 GB limit: use fewer trees or leaves."
        )
    if e.runner_seconds > RUNNER_SECONDS:
        warnings.append(
            f"Predicting live data takes about {e.runner_seconds / 60:.0f} minutes on the runner's "
            "single CPU, above its 10-minute limit: use fewer trees."
        )
    return warnings


def estimate_for_feature_set(
    source: Path | str,
    feature_set: str,
    params: dict,
    *,
    data_version: str = "v5.2",
    era_step: int = 1,
    features_json: Path | None = None,
    available_bytes: int | None = None,
) -> ResourceEstimate:
    """Estimate for a feature set, from a data folder or from a version name.

    A folder (`Path`) gives the row count from train.parquet's footer and the
    feature count from its features.json. A version name (`str`, such as
    "v5.2") uses Numerai's published row count, with feature counts from
    `features_json` when given, else the published v5.2 set sizes.
    """
    if isinstance(source, Path):
        rows, n_features = _shape_from_folder(source, data_version, feature_set)
    else:
        rows, n_features = _published_shape(source, feature_set, features_json)
    return estimate_resources(
        rows, n_features, params, era_step=era_step, available_bytes=available_bytes
    )


def _shape_from_folder(
    data_dir: Path, version: str, feature_set: str
) -> tuple[int, int]:
    from core.data.catalog import version_dir
    from core.data.features import features_of_set, read_feature_sets
    from core.data.loading import parquet_row_count

    folder = version_dir(data_dir, version)
    features_json = folder / "features.json"
    features = features_of_set(
        read_feature_sets(features_json), feature_set, features_json
    )
    return parquet_row_count(folder / "train.parquet"), len(features)


def _published_shape(
    version: str, feature_set: str, features_json: Path | None
) -> tuple[int, int]:
    from core.data import DataError
    from core.data.features import features_of_set, read_feature_sets

    rows = PUBLISHED_TRAIN_ROWS.get(version, PUBLISHED_TRAIN_ROWS["v5.2"])
    if features_json is not None:
        return rows, len(
            features_of_set(
                read_feature_sets(features_json), feature_set, features_json
            )
        )
    if feature_set not in PUBLISHED_FEATURE_COUNTS:
        raise DataError(
            f"Feature count of set {feature_set!r} is unknown before features.json is downloaded.",
            f"Download features.json first, or choose one of: {', '.join(PUBLISHED_FEATURE_COUNTS)}.",
        )
    return rows, PUBLISHED_FEATURE_COUNTS[feature_set]
