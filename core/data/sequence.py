"""A LightGBM `Sequence` over an in-memory int8 feature matrix.

LightGBM bins a `Sequence` batch by batch, so only one float32 batch exists
at a time instead of a float copy of the whole matrix.
"""

from __future__ import annotations

import threading

import lightgbm as lgb
import numpy as np

from core.data.loading import FeatureMatrix
from core.errors import Cancelled

# Rows per batch pushed to LightGBM; 8,192 x 2,748 float32 is 90 MB.
PUSH_BATCH_ROWS = 8192


class MatrixSequence(lgb.Sequence):
    """Rows of a `FeatureMatrix` as float32, with missing cells as NaN.

    A slice or list returns a buffer that the next call overwrites, which
    suits LightGBM because it bins each batch before it asks for the next.
    """

    def __init__(
        self,
        matrix: FeatureMatrix,
        *,
        batch_rows: int = PUSH_BATCH_ROWS,
        cancel: threading.Event | None = None,
    ) -> None:
        self.matrix = matrix
        self.batch_size = batch_rows
        self._cancel = cancel
        self._buffer = np.empty((0, matrix.values.shape[1]), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.matrix.values)

    def __getitem__(self, index):
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled("Building the training dataset was cancelled.")
        values = self.matrix.values
        if isinstance(index, (int, np.integer)):
            # LightGBM's own bin sampling requests single rows as float64.
            return float_rows(values[index : index + 1], self.matrix.missing_code)[
                0
            ].astype(np.float64)
        if isinstance(index, slice):
            return self._float_batch(values[index])
        if isinstance(index, (list, np.ndarray)):
            return self._float_batch(values[np.asarray(index, dtype=np.int64)])
        raise TypeError(
            f"Sequence index must be int, slice or list, got {type(index).__name__}"
        )

    def close(self) -> None:
        """Drop the matrix and the batch buffer, so their memory can be freed."""
        self.matrix = FeatureMatrix(np.empty((0, 0), dtype=np.int8))
        self._buffer = np.empty((0, 0), dtype=np.float32)

    def _float_batch(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) > len(self._buffer):
            self._buffer = np.empty((len(rows), rows.shape[1]), dtype=np.float32)
        return float_rows(rows, self.matrix.missing_code, self._buffer[: len(rows)])


def float_rows(
    rows: np.ndarray, missing_code: int | None, out: np.ndarray | None = None
) -> np.ndarray:
    """Convert matrix rows to float32 (into `out` when given), missing cells to NaN."""
    if out is None:
        out = np.empty(rows.shape, dtype=np.float32)
    np.copyto(out, rows, casting="unsafe")
    if missing_code is not None:
        out[rows == missing_code] = np.nan
    return out
