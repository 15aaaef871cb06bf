"""A LightGBM `Sequence` over an in-memory `FeatureMatrix`.

LightGBM bins a `Sequence` batch by batch, so only one float32 batch exists
at a time instead of a float copy of the whole matrix.
"""

from __future__ import annotations

import threading

import lightgbm as lgb
import numpy as np

from core.data.matrix import FeatureMatrix
from core.errors import Cancelled

# Rows per batch pushed to LightGBM; 8,192 x 2,748 float32 is 90 MB.
PUSH_BATCH_ROWS = 8192


class MatrixSequence(lgb.Sequence):
    """Rows of a `FeatureMatrix` as float32, with missing cells as NaN.

    A slice or list returns a buffer that the next call overwrites, which
    suits LightGBM because it bins each batch before it requests the next.
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
        self._buffer = np.empty((0, matrix.n_features), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.matrix.values)

    def __getitem__(self, index):
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled("Building the training dataset was cancelled.")
        if isinstance(index, (int, np.integer)):
            # LightGBM's own bin sampling requests single rows as float64.
            row = self.matrix.float_rows(slice(index, index + 1))[0]
            return row.astype(np.float64)
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return self._float_batch(index, len(range(start, stop, step)))
        if isinstance(index, (list, np.ndarray)):
            rows = np.asarray(index, dtype=np.int64)
            return self._float_batch(rows, len(rows))
        raise TypeError(
            f"Sequence index must be int, slice or list, got {type(index).__name__}"
        )

    def close(self) -> None:
        """Drop the batch buffer and the sequence's reference to the matrix."""
        self.matrix = FeatureMatrix(np.empty((0, 0), dtype=np.uint8), 0)
        self._buffer = np.empty((0, 0), dtype=np.float32)

    def _float_batch(self, index, rows: int) -> np.ndarray:
        if rows > len(self._buffer):
            self._buffer = np.empty((rows, self.matrix.n_features), dtype=np.float32)
        return self.matrix.float_rows(index, self._buffer[:rows])
