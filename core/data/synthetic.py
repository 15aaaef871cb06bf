"""Synthetic data in the shape of Numerai's tournament files.

The files follow the v5 layout: `features.json`, `train.parquet`,
`validation.parquet`, `live.parquet` and `live_benchmark_models.parquet`,
indexed by a string `id`, with `era` as zero-padded strings, `data_type`,
int8 features in bins 0-4 and float32 targets in {0, 0.25, 0.5, 0.75, 1}.

Features carry no missing values: int8 cannot hold NaN, and Numerai's v5
int8 downloads have none, so the generator writes none either.

A weak signal is planted. The target is the per-era rank of a mix of a few
features plus noise, with a coefficient that varies from era to era. So a
model reaches a small positive mean correlation with some losing eras, as
on the real data. Every era has its own random stream derived from the seed,
so the bytes depend only on the seed and the shape, not on batching.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from core import paths
from core.errors import Cancelled

log = logging.getLogger(__name__)

# Numerai's v5.2 `all` feature set has 2,748 features.
REAL_ALL_FEATURES = 2748

TARGETS = [
    "target",
    "target_cyrusd_20",
    "target_cyrusd_60",
    "target_agnes_20",
    "target_claudia_20",
    "target_teager2b_20",
]
BENCHMARK_COLUMNS = ["v52_lgbm_cyrusd20", "v52_lgbm_teager2b20", "v5_lgbm_ct_blend"]
GROUPS = ["intelligence", "charisma", "strength", "dexterity", "wisdom"]

# Share of rows per target bin 0, 0.25, 0.5, 0.75, 1, as in Numerai's targets.
TARGET_BIN_SHARES = (0.05, 0.20, 0.50, 0.20, 0.05)
# Maximum rows generated and held in memory at once per file.
BATCH_ROWS = 50_000

_WORDS = (
    "abating unadaptable mar sodding frothy ungoverned cultish leftish halest "
    "jetting lucent planular reedy unsayable wombed yelled zonked amber bolder "
    "caustic dainty eldest fallow gaunt hoary inborn jocund kindred limber "
    "molten nimble ornery pliant quaint rustic sullen tawny umbral vernal "
    "wistful xeric yonder zesty brackish cloven drowsy errant fusty gritty "
    "hallowed itinerant jaunty knotted lanky musty nubile oblique pertinent"
).split()


@dataclass(frozen=True)
class DatasetShape:
    """Row and column counts of a generated dataset."""

    train_eras: int
    rows_per_era: int
    validation_eras: int
    test_eras: int
    live_rows: int
    n_small: int
    n_medium: int
    n_all: int
    signal_strength: float = 0.16

    @property
    def train_rows(self) -> int:
        return self.train_eras * self.rows_per_era


SIZES: dict[str, DatasetShape] = {
    # Trains with the quick preset and validates in a few seconds on 2 cores.
    "small": DatasetShape(120, 150, 44, 4, 600, 20, 60, 150),
    "medium": DatasetShape(300, 400, 60, 4, 2000, 40, 200, 600),
    "large": DatasetShape(400, 1000, 80, 4, 6000, 42, 705, REAL_ALL_FEATURES),
}


def generate_dataset(
    root: Path,
    version: str = "v5.2",
    *,
    seed: int = 0,
    size: str = "small",
    shape: DatasetShape | None = None,
    progress: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Write a synthetic Numerai dataset to `root/<version>/` and return that folder.

    `shape` overrides `size` when given. Each file replaces any older file of
    the same name atomically; other files in the folder are left alone. Large
    shapes are written in batches of eras, holding at most `BATCH_ROWS` rows.
    """
    if shape is None:
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}, expected one of {sorted(SIZES)}")
        shape = SIZES[size]
    out_dir = Path(root) / version
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = _Layout(shape, seed)

    with tempfile.TemporaryDirectory(prefix=".synthetic-", dir=out_dir) as tmp:
        tmp_dir = Path(tmp)
        writers = {
            "features.json": lambda p: _write_features_json(p, layout),
            "train.parquet": lambda p: _write_split(p, layout, "train", cancel),
            "validation.parquet": lambda p: _write_split(
                p, layout, "validation", cancel
            ),
            "live.parquet": lambda p: _write_split(p, layout, "live", cancel),
            "live_benchmark_models.parquet": lambda p: _write_benchmarks(p, layout),
        }
        for name, write in writers.items():
            if progress is not None:
                progress(name)
            write(tmp_dir / name)
        for name in writers:
            (tmp_dir / name).replace(out_dir / name)
    log.info(
        "Generated synthetic %s data in %s (seed %s, %s)", version, out_dir, seed, shape
    )
    return out_dir


def generate_if_missing(root: Path, version: str = "v5.2", **kwargs) -> Path:
    """Generate the dataset unless `root/<version>/` already has all its files."""
    out_dir = Path(root) / version
    names = (
        "features.json",
        "train.parquet",
        "validation.parquet",
        "live.parquet",
        "live_benchmark_models.parquet",
    )
    if all((out_dir / name).is_file() for name in names):
        return out_dir
    return generate_dataset(root, version, **kwargs)


class _Layout:
    """Feature names, feature sets and the planted signal for one shape and seed."""

    def __init__(self, shape: DatasetShape, seed: int) -> None:
        import numpy as np

        self.shape = shape
        self.seed = seed
        rng = np.random.default_rng([seed, 0xFEA7])
        self.features = _feature_names(shape.n_all, rng)
        n_signal = max(4, shape.n_all // 25)
        # Signal features are spread so each feature set contains some of them.
        self.signal_index = np.unique(
            np.concatenate(
                [
                    rng.choice(
                        shape.n_small, size=min(3, shape.n_small), replace=False
                    ),
                    rng.choice(shape.n_all, size=n_signal, replace=False),
                ]
            )
        )
        self.signal_weight = rng.normal(0.0, 1.0, size=len(self.signal_index))
        # Half the signal features act through |f - 2|, which trees find and a
        # linear model does not.
        self.signal_kind = rng.integers(0, 2, size=len(self.signal_index))
        self.feature_sets = self._feature_sets(rng)

    def _feature_sets(self, rng) -> dict[str, list[str]]:
        shape = self.shape
        sets = {
            "small": self.features[: shape.n_small],
            "medium": self.features[: shape.n_medium],
            "all": list(self.features),
        }
        group_of = rng.integers(0, len(GROUPS), size=shape.n_all)
        for number, group in enumerate(GROUPS):
            sets[group] = [f for f, g in zip(self.features, group_of) if g == number]
        return sets


def _feature_names(count: int, rng) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        words = rng.choice(_WORDS, size=3, replace=False)
        name = "feature_" + "_".join(words)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _write_features_json(path: Path, layout: _Layout) -> None:
    content = {"feature_sets": layout.feature_sets, "targets": TARGETS}
    paths.atomic_write_text(path, json.dumps(content, indent=1) + "\n")


def _split_eras(shape: DatasetShape, split: str) -> list[tuple[str, str, int]]:
    """Return (era, data_type, rows) for each era of a split."""
    if split == "train":
        return [
            (f"{e:04d}", "train", shape.rows_per_era)
            for e in range(1, shape.train_eras + 1)
        ]
    if split == "validation":
        first = shape.train_eras + 1
        eras = []
        for offset in range(shape.validation_eras + shape.test_eras):
            kind = "validation" if offset < shape.validation_eras else "test"
            eras.append((f"{first + offset:04d}", kind, shape.rows_per_era))
        return eras
    return [("X", "live", shape.live_rows)]


def _era_batches(eras: list, rows_per_batch: int) -> Iterator[list]:
    batch: list = []
    rows = 0
    for era in eras:
        batch.append(era)
        rows += era[2]
        if rows >= rows_per_batch:
            yield batch
            batch, rows = [], 0
    if batch:
        yield batch


def _write_split(path: Path, layout: _Layout, split: str, cancel) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    eras = _split_eras(layout.shape, split)
    schema = None
    first_row = _first_row_number(layout.shape, split)
    with paths.atomic_writer(path) as handle:
        writer = None
        try:
            for batch in _era_batches(eras, BATCH_ROWS):
                if cancel is not None and cancel.is_set():
                    raise Cancelled("Generating synthetic data was cancelled.")
                frame = _batch_frame(layout, batch, first_row)
                first_row += len(frame)
                table = pa.Table.from_pandas(frame, schema=schema, preserve_index=True)
                if writer is None:
                    schema = table.schema
                    writer = pq.ParquetWriter(handle, schema, compression="snappy")
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()


def _first_row_number(shape: DatasetShape, split: str) -> int:
    """Return a row offset per split so ids never repeat across files."""
    offsets = {"train": 0, "validation": shape.train_rows, "live": 10**9}
    return offsets[split]


def _batch_frame(layout: _Layout, batch: list, first_row: int):
    import pandas as pd

    frames = []
    row = first_row
    for era, data_type, rows in batch:
        frames.append(_era_frame(layout, era, data_type, rows, row))
        row += rows
    frame = pd.concat(frames) if len(frames) > 1 else frames[0]
    assert frame.index.is_unique, "generated ids must be unique"
    return frame


def _ids(first_row: int, count: int) -> list[str]:
    # Multiplying by an odd constant modulo 2**60 is a bijection, so the ids
    # are unique, look random, and need no memory of earlier ids.
    mask = (1 << 60) - 1
    return [
        f"n{((first_row + i + 1) * 0x9E3779B97F4A7C15) & mask:015x}"
        for i in range(count)
    ]


def _era_frame(layout: _Layout, era: str, data_type: str, rows: int, first_row: int):
    import numpy as np
    import pandas as pd

    shape = layout.shape
    era_key = 0 if era == "X" else int(era)
    rng = np.random.default_rng([layout.seed, era_key, 1])
    features = rng.integers(0, 5, size=(rows, shape.n_all), dtype=np.int8)

    frame = pd.DataFrame(features, columns=layout.features, copy=False)
    frame.insert(0, "era", era)
    frame.insert(1, "data_type", data_type)
    frame.index = pd.Index(_ids(first_row, rows), name="id")

    has_targets = data_type in ("train", "validation")
    targets = _targets(layout, features, rng) if has_targets else None
    for number, name in enumerate(TARGETS):
        column = targets[number] if targets is not None else np.full(rows, np.nan)
        frame[name] = column.astype(np.float32)
    return frame


def _targets(layout: _Layout, features, rng) -> list:
    import numpy as np

    picked = features[:, layout.signal_index].astype(np.float32) - 2.0
    picked = np.where(layout.signal_kind == 1, np.abs(picked) - 1.2, picked)
    signal = picked @ layout.signal_weight
    signal = signal / (signal.std() + 1e-9)
    # Era regime: the signal's sign and strength change from era to era.
    era_coefficient = 1.0 + 1.2 * rng.standard_normal()
    strength = layout.shape.signal_strength * era_coefficient

    targets = []
    for _ in TARGETS:
        latent = strength * signal + rng.standard_normal(len(signal))
        targets.append(_bin_by_rank(latent))
    targets[0] = targets[1]  # "target" is target_cyrusd_20 in v5.
    return targets


def _bin_by_rank(values):
    import numpy as np

    order = np.argsort(np.argsort(values, kind="stable"), kind="stable")
    quantile = (order + 0.5) / len(values)
    edges = np.cumsum(TARGET_BIN_SHARES)[:-1]
    return np.searchsorted(edges, quantile).astype(np.float32) / 4.0


def _write_benchmarks(path: Path, layout: _Layout) -> None:
    import numpy as np
    import pandas as pd

    rows = layout.shape.live_rows
    rng = np.random.default_rng([layout.seed, 0xBE9C])
    index = pd.Index(_ids(_first_row_number(layout.shape, "live"), rows), name="id")
    columns = {}
    for name in BENCHMARK_COLUMNS:
        raw = rng.standard_normal(rows)
        columns[name] = ((np.argsort(np.argsort(raw)) + 1) / rows).astype(np.float32)
    frame = pd.DataFrame(columns, index=index)
    with paths.atomic_writer(path) as handle:
        frame.to_parquet(handle, compression="snappy")


def shape_with(size: str = "small", **changes) -> DatasetShape:
    """Return the named shape with some fields changed, for benchmarks and tests."""
    return replace(SIZES[size], **changes)
