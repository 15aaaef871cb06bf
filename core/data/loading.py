"""Reading Numerai parquet files column by column, with clear errors.

Only the columns a step needs are read. Validation streams float32 row
batches here, and training reads its features once into a compact matrix
(`core.data.matrix`), so no step keeps a floating-point copy of the whole
feature matrix.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.data import DataError
from core.data.features import REDOWNLOAD_HINT
from core.errors import Cancelled

log = logging.getLogger(__name__)

# Rows per batch when streaming features; 4,096 x 2,748 float32 is 45 MB.
BATCH_ROWS = 4096


def open_parquet(path: Path):
    """Open a parquet file's metadata, raising `DataError` when missing or corrupt."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise DataError(f"Data file not found: {path}.", REDOWNLOAD_HINT)
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise _corrupt(path, error) from None


def _corrupt(path: Path, error: Exception) -> DataError:
    reason = str(error).splitlines()[0][:160] if str(error) else type(error).__name__
    return DataError(
        f"Data file {path} is corrupt or truncated ({reason}).",
        f"Delete {path.name} and download it again.",
    )


def parquet_row_count(path: Path) -> int:
    """Return the number of rows from the parquet footer, without reading data."""
    return open_parquet(path).metadata.num_rows


def require_columns(parquet_file, path: Path, columns: list[str]) -> None:
    """Raise `DataError` naming the columns of `columns` that the file lacks."""
    present = set(parquet_file.schema_arrow.names)
    missing = [c for c in columns if c not in present]
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise DataError(
            f"Data file {path} lacks {len(missing)} needed column(s): {shown}.",
            "Check that the feature set matches the data version, or download the data again.",
        )


def read_columns(path: Path, columns: list[str]):
    """Read `columns` of a parquet file into a DataFrame indexed like the file."""
    import pyarrow as pa

    parquet_file = open_parquet(path)
    require_columns(parquet_file, path, columns)
    try:
        table = parquet_file.read(columns=columns, use_pandas_metadata=True)
    except (pa.ArrowException, OSError) as error:
        raise _corrupt(Path(path), error) from None
    return table.to_pandas()


def select_eras(eras: list[str], era_step: int) -> list[str]:
    """Return every `era_step`-th era in order, as Numerai's example notebook does."""
    if era_step < 1:
        raise DataError(
            f"Invalid era step {era_step}.", "Use an era step of 1 or more."
        )
    return sorted(eras)[::era_step]


@dataclass
class RowSelection:
    """The rows of a parquet file that a step uses, with their eras and target."""

    path: Path
    positions: "object"  # numpy int64 array of row numbers in the file, ascending
    eras: "object"  # numpy array of era strings, one per selected row
    target: "object"  # numpy float32 array, one per selected row
    eras_used: list[str]
    last_era: str  # the latest era among rows that have a target, before era sampling

    @property
    def n_rows(self) -> int:
        return len(self.positions)


def select_rows(
    path: Path,
    target: str,
    *,
    era_step: int = 1,
    data_type: str | None = None,
    era_after: str | None = None,
    drop_missing_target: bool = True,
) -> RowSelection:
    """Pick rows by era step, data type and first era, reading only small columns."""
    import numpy as np

    columns = ["era", target] + (["data_type"] if data_type else [])
    frame = read_columns(path, columns)
    mask = np.ones(len(frame), dtype=bool)
    if data_type:
        mask &= (frame["data_type"] == data_type).to_numpy()
    if era_after is not None:
        mask &= (frame["era"] > era_after).to_numpy()
    if drop_missing_target:
        mask &= frame[target].notna().to_numpy()
    all_eras = frame.loc[mask, "era"].unique().tolist()
    eras_used = select_eras(all_eras, era_step)
    if era_step > 1:
        mask &= frame["era"].isin(eras_used).to_numpy()

    positions = np.flatnonzero(mask)
    return RowSelection(
        path=Path(path),
        positions=positions,
        eras=frame["era"].to_numpy()[positions],
        target=frame[target].to_numpy(dtype=np.float32)[positions],
        eras_used=eras_used,
        last_era=max(all_eras) if all_eras else "",
    )


def iter_feature_batches(
    path: Path,
    features: list[str],
    *,
    batch_rows: int = BATCH_ROWS,
    cancel: threading.Event | None = None,
) -> Iterator[tuple[int, "object"]]:
    """Yield (first row number, float32 array of rows x features) through a file.

    Missing values become NaN, which LightGBM treats as missing.
    """
    import pyarrow as pa

    parquet_file = open_parquet(path)
    require_columns(parquet_file, path, features)
    first_row = 0
    try:
        for batch in parquet_file.iter_batches(batch_size=batch_rows, columns=features):
            if cancel is not None and cancel.is_set():
                raise Cancelled("Reading the data was cancelled.")
            yield first_row, _batch_matrix(batch, features)
            first_row += batch.num_rows
    except (pa.ArrowException, OSError) as error:
        raise _corrupt(Path(path), error) from None


def _batch_matrix(batch, features: list[str]):
    """Copy a record batch's feature columns, in `features` order, into float32 rows."""
    import numpy as np

    # pandas joins same-typed columns into one 2-D block, which converts
    # several times faster than copying thousands of columns one by one.
    return batch.to_pandas()[features].to_numpy(dtype=np.float32)
