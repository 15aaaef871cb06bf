"""Scoring a trained model on the validation eras that follow the embargo."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from core.metrics import ValidationMetrics, validation_metrics

log = logging.getLogger(__name__)


def first_validation_era(last_train_era: str, embargo_eras: int) -> str | None:
    """Return the era after which validation starts, or None for non-numeric eras."""
    try:
        number = int(last_train_era)
    except ValueError:
        return None
    return f"{number + embargo_eras:0{len(last_train_era)}d}"


def predict_rows(booster, path: Path, features: list[str], positions, cancel=None):
    """Return the booster's predictions for rows `positions` (ascending) of a file."""
    import numpy as np

    from core.data.loading import iter_feature_batches

    predictions = np.empty(len(positions), dtype=np.float64)
    done = 0
    for first_row, matrix in iter_feature_batches(path, features, cancel=cancel):
        end = first_row + len(matrix)
        stop = done + int(np.searchsorted(positions[done:], end, side="left"))
        if stop > done:
            predictions[done:stop] = booster.predict(
                matrix[positions[done:stop] - first_row]
            )
        done = stop
        if done == len(positions):
            break
    return predictions


def score_validation(
    booster,
    path: Path,
    features: list[str],
    target: str,
    last_train_era: str,
    embargo_eras: int,
    cancel: threading.Event | None = None,
) -> tuple[ValidationMetrics | None, str]:
    """Score the `validation` rows of `path` after the embargo; return (metrics, note).

    The note is "" when validation ran, else it states why there are no metrics.
    """
    from core.data.loading import select_rows

    after = first_validation_era(last_train_era, embargo_eras)
    if after is None:
        return (
            None,
            f"Eras are not numbered (last training era {last_train_era!r}), so the embargo cannot be applied.",
        )
    selection = select_rows(path, target, data_type="validation", era_after=after)
    if selection.n_rows == 0:
        log.warning("No validation rows after era %s in %s", after, path)
        return (
            None,
            f"No validation rows with targets after era {after} in {path.name}.",
        )

    predictions = predict_rows(booster, path, features, selection.positions, cancel)
    metrics = validation_metrics(predictions, selection.target, selection.eras)
    log.info(
        "Validation: %s eras, mean corr %.4f, sharpe %.2f",
        len(metrics.eras),
        metrics.mean,
        metrics.sharpe,
    )
    return metrics, ""
