"""The training feature matrix, read from parquet in one pass and kept compact.

Numerai's int8 features take the values 0 to 4, so two of them fit in one
byte. Packed, the matrix takes half a byte per cell. During LightGBM's row
push its Dataset keeps about one byte per cell (4-bit bins plus a same-size
load buffer), so the peak is about 1.5 bytes per cell. Columns that are not
int8, or whose parquet statistics do not show values 0 to 15 without nulls,
are kept as int8 (one byte per cell) or float32.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from core.data.loading import _corrupt, open_parquet, require_columns
from core.errors import Cancelled

# Rows per record batch when reading. With 2,748 int8 columns, pyarrow 21
# peaks at about 290 MB of buffers at 8,192 rows and 470 MB at 16,384, and
# reads only about 10 % faster with the larger batch.
READ_BATCH_ROWS = 8192
# Features copied per step of the column-to-row transpose. A 64-column tile
# keeps the source columns in cache while the rows are written.
TRANSPOSE_TILE = 64
# Stand-in for a missing value in an int8 matrix, turned back into NaN by
# `FeatureMatrix.float_rows`. NOTE: a file whose int8 features hold -128 as
# a real value and also have missing values would have both read as missing.
MISSING_INT8 = -128
PACKED_MAX_VALUE = 15


@dataclass
class FeatureMatrix:
    """Selected rows of the feature columns, one row per sample, C-contiguous.

    `values` is uint8 with two features per byte when `packed` (low half
    first), int8 when every feature column is int8, else float32.
    `missing_code` is the int8 value that marks a missing cell, or None.
    """

    values: object  # numpy array, rows x bytes (packed) or rows x features
    n_features: int
    packed: bool = False
    missing_code: int | None = None

    def __len__(self) -> int:
        return len(self.values)

    def float_rows(self, index, out=None):
        """Return rows `index` (slice or int array) as float32, missing cells as NaN.

        The result is written into `out` when given (rows x `n_features`).
        """
        import numpy as np

        rows = self.values[index]
        if out is None:
            out = np.empty((len(rows), self.n_features), dtype=np.float32)
        if self.packed:
            np.copyto(out[:, 0::2], rows & 0x0F, casting="unsafe")
            high = (rows >> 4)[:, : self.n_features // 2]
            np.copyto(out[:, 1::2], high, casting="unsafe")
            return out
        np.copyto(out, rows, casting="unsafe")
        if self.missing_code is not None:
            out[rows == self.missing_code] = np.nan
        return out

    def release(self) -> None:
        """Drop the values so their memory can be freed."""
        import numpy as np

        self.values = np.empty((0, 0), dtype=np.uint8)


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
    matrix = _empty_matrix(parquet_file, features, len(positions))
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


def _empty_matrix(parquet_file, features: list[str], rows: int) -> FeatureMatrix:
    import numpy as np
    import pyarrow as pa

    schema = parquet_file.schema_arrow
    if not all(pa.types.is_int8(schema.field(name).type) for name in features):
        values = np.empty((rows, len(features)), dtype=np.float32)
        return FeatureMatrix(values, len(features))
    if _statistics_allow_packing(parquet_file, features):
        values = np.empty((rows, (len(features) + 1) // 2), dtype=np.uint8)
        return FeatureMatrix(values, len(features), packed=True)
    return FeatureMatrix(np.empty((rows, len(features)), dtype=np.int8), len(features))


def _statistics_allow_packing(parquet_file, features: list[str]) -> bool:
    """Return True when every column chunk's statistics show values 0 to 15, no nulls."""
    wanted = set(features)
    metadata = parquet_file.metadata
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for column in range(row_group.num_columns):
            chunk = row_group.column(column)
            if chunk.path_in_schema not in wanted:
                continue
            stats = chunk.statistics
            if stats is None or not stats.has_min_max or stats.null_count != 0:
                return False
            if stats.min < 0 or stats.max > PACKED_MAX_VALUE:
                return False
    return True


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

    Arrow stores columns and the matrix stores rows, so the copy transposes
    `TRANSPOSE_TILE` columns at a time, then packs pairs when `matrix.packed`.
    """
    import numpy as np

    index = {name: i for i, name in enumerate(batch.schema.names)}
    columns = [_column_values(matrix, batch.column(index[name])) for name in features]
    rows = batch.num_rows if local is None else len(local)
    if matrix.packed:
        # An even width, so an odd feature count packs a zero high half last.
        width = 2 * matrix.values.shape[1]
        unpacked = np.zeros((rows, width), dtype=np.uint8)
    else:
        unpacked = out
    for start in range(0, len(columns), TRANSPOSE_TILE):
        tile = np.stack(columns[start : start + TRANSPOSE_TILE])
        if local is not None:
            tile = tile[:, local]
        unpacked[:, start : start + len(tile)] = tile.T
    if matrix.packed:
        np.bitwise_or(unpacked[:, 0::2], unpacked[:, 1::2] << 4, out=out)


def _column_values(matrix: FeatureMatrix, column):
    """Return a column as numpy, int8 nulls replaced by `MISSING_INT8`."""
    import pyarrow.compute as pc

    if matrix.values.dtype.itemsize == 1 and not matrix.packed and column.null_count:
        matrix.missing_code = MISSING_INT8
        column = pc.fill_null(column, MISSING_INT8)
    return column.to_numpy(zero_copy_only=False)
