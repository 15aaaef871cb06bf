"""A LightGBM `Sequence` that streams selected rows of a parquet file.

LightGBM samples rows for its bin boundaries by index in ascending order,
then pushes all rows in batches, so a forward-only cursor over the file's
record batches serves both passes while holding one batch at a time.
"""

from __future__ import annotations

import threading
from pathlib import Path

import lightgbm as lgb
import numpy as np

from core.data.loading import BATCH_ROWS, iter_feature_batches


class ParquetSequence(lgb.Sequence):
    """Rows `positions` (ascending row numbers) of `features` in a parquet file, as float32."""

    def __init__(
        self,
        path: Path,
        features: list[str],
        positions: np.ndarray,
        *,
        batch_rows: int = BATCH_ROWS,
        cancel: threading.Event | None = None,
    ) -> None:
        self.path = Path(path)
        self.features = list(features)
        self.positions = np.asarray(positions, dtype=np.int64)
        self.batch_size = batch_rows
        self._batch_rows = batch_rows
        self._cancel = cancel
        self._reader = None
        self._start = 0
        self._matrix = np.empty((0, len(self.features)), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            # LightGBM's bin sampling requires float64 rows; batches may be float32.
            row = self._rows_at(self.positions[index : index + 1])[0]
            return row.astype(np.float64)
        if isinstance(index, slice):
            return self._rows_at(self.positions[index])
        if isinstance(index, list):
            return self._rows_at(self.positions[np.asarray(index, dtype=np.int64)])
        raise TypeError(
            f"Sequence index must be int, slice or list, got {type(index).__name__}"
        )

    def close(self) -> None:
        """Drop the open reader and the batch in memory."""
        self._reader = None
        self._start = 0
        self._matrix = np.empty((0, len(self.features)), dtype=np.float32)

    def _rows_at(self, requested: np.ndarray) -> np.ndarray:
        out = np.empty((len(requested), len(self.features)), dtype=np.float32)
        done = 0
        while done < len(requested):
            first = requested[done]
            if self._reader is None or first < self._start:
                self._restart()
            while first >= self._start + len(self._matrix):
                self._advance()
            end = self._start + len(self._matrix)
            stop = done + int(np.searchsorted(requested[done:], end, side="left"))
            out[done:stop] = self._matrix[requested[done:stop] - self._start]
            done = stop
        return out

    def _restart(self) -> None:
        self._reader = iter_feature_batches(
            self.path, self.features, batch_rows=self._batch_rows, cancel=self._cancel
        )
        self._start = 0
        self._matrix = np.empty((0, len(self.features)), dtype=np.float32)

    def _advance(self) -> None:
        try:
            self._start, self._matrix = next(self._reader)
        except StopIteration:
            raise IndexError(f"row beyond the end of {self.path}") from None
