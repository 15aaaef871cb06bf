"""Reading Numerai parquet files column by column, with clear errors.

Only the columns a step needs are read. Training reads its feature columns
once into an int8 matrix (one byte per cell for Numerai's int8 files), and
validation streams float32 row batches, so no step keeps a floating-point
copy of the whole feature matrix.
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
# Rows per record batch when reading the training matrix. With 2,748 int8
# columns, pyarrow 21 peaks at about 290 MB of buffers at 8,192 rows and
# 470 MB at 16,384, and reads only about 10 % faster with the larger batch.
READ_BATCH_ROWS = 8192
# Features copied per step of the column-to-row transpose. A 64-column tile
# keeps the source columns in cache while the rows are written.
TRANSPOSE_TILE = 64
# Stand-in for a missing value in an int8 matrix; `FeatureMatrix` users turn
# it back into NaN. NOTE: a file whose int8 features hold -128 as a real
# value and also have missing values would have both read as missing.
MISSING_INT8 = -128


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


@dataclass
class FeatureMatrix:
    """Selected rows of the feature columns, rows x features, C-contiguous.

    `values` is int8 when every feature column is int8 (Numerai's files),
    else float32. `missing_code` is the int8 value that marks a missing cell,
    or None when the file had no missing values or `values` is float32.
    """

    values: "object"  # numpy array, rows x features
    missing_code: int | None = None


def read_feature_matrix(
    path: Path,
    features: list[str],
    positions,
    *,
    batch_rows: int = READ_BATCH_ROWS,
    cancel: threading.Event | None = None,
) -> FeatureMatrix:
    """Read rows `positions` (ascending row numbers) of `features` in one pass.

    Row groups without a selected row are skipped. Raises `Cancelled` between
    record batches when `cancel` is set, and `DataError` for a corrupt file.
    """
    import numpy as np
    import pyarrow as pa

    parquet_file = open_parquet(path)
    require_columns(parquet_file, path, features)
    positions = np.asarray(positions, dtype=np.int64)
    int8 = _all_int8(parquet_file, features)
    matrix = FeatureMatrix(
        np.empty((len(positions), len(features)), np.int8 if int8 else np.float32)
    )
    filled = 0
    group_start = 0
    try:
        for group in range(parquet_file.metadata.num_row_groups):
            group_end = group_start + parquet_file.metadata.row_group(group).num_rows
            if filled < len(positions) and positions[filled] < group_end:
                batches = parquet_file.iter_batches(
                    batch_size=batch_rows, row_groups=[group], columns=features
                )
                filled = _fill_from_batches(
                    matrix, batches, features, positions, filled, group_start, cancel
                )
            group_start = group_end
    except (pa.ArrowException, OSError) as error:
        raise _corrupt(Path(path), error) from None
    finally:
        # mimalloc, pyarrow's default pool, keeps freed batch buffers mapped.
        pa.default_memory_pool().release_unused()
    if filled != len(positions):
        raise _corrupt(Path(path), ValueError("fewer rows than its metadata states"))
    return matrix


def _all_int8(parquet_file, features: list[str]) -> bool:
    import pyarrow as pa

    schema = parquet_file.schema_arrow
    return all(pa.types.is_int8(schema.field(name).type) for name in features)


def _fill_from_batches(
    matrix: FeatureMatrix, batches, features, positions, filled, first_row, cancel
) -> int:
    """Copy the selected rows of `batches` into `matrix`; return rows filled so far."""
    import numpy as np

    for batch in batches:
        if cancel is not None and cancel.is_set():
            raise Cancelled("Reading the data was cancelled.")
        end = first_row + batch.num_rows
        stop = filled + int(np.searchsorted(positions[filled:], end, side="left"))
        if stop > filled:
            local = positions[filled:stop] - first_row
            if len(local) == batch.num_rows:
                local = None  # every row of the batch is selected
            _copy_rows(matrix, batch, features, local, matrix.values[filled:stop])
        filled = stop
        first_row = end
    return filled


def _copy_rows(matrix: FeatureMatrix, batch, features, local, out) -> None:
    """Write the batch's rows `local` (all when None), in `features` order, into `out`.

    Arrow stores columns, the matrix stores rows, so the copy transposes a
    tile of `TRANSPOSE_TILE` columns at a time.
    """
    import numpy as np

    index = {name: i for i, name in enumerate(batch.schema.names)}
    columns = [_column_values(matrix, batch.column(index[name])) for name in features]
    for start in range(0, len(columns), TRANSPOSE_TILE):
        tile = np.stack(columns[start : start + TRANSPOSE_TILE])
        if local is not None:
            tile = tile[:, local]
        out[:, start : start + TRANSPOSE_TILE] = tile.T


def _column_values(matrix: FeatureMatrix, column):
    """Return a column as numpy, int8 nulls replaced by `MISSING_INT8`."""
    import pyarrow.compute as pc

    if matrix.values.dtype.itemsize == 1 and column.null_count:
        matrix.missing_code = MISSING_INT8
        column = pc.fill_null(column, MISSING_INT8)
    return column.to_numpy(zero_copy_only=False)
