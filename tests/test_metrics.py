"""Per-era correlation and the summary statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numerai_tools.scoring import numerai_corr

from core.metrics import per_era_correlation, summarize, validation_metrics


def test_per_era_matches_numerai_corr():
    rng = np.random.default_rng(0)
    targets = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=300)
    predictions = targets + rng.normal(0, 0.5, size=300)
    eras = np.repeat(["0001", "0002", "0003"], 100)
    scores = per_era_correlation(predictions, targets, eras)
    assert list(scores.index) == ["0001", "0002", "0003"]
    for era in scores.index:
        mask = eras == era
        expected = numerai_corr(
            pd.DataFrame({"p": predictions[mask]}),
            pd.Series(targets[mask], name="target"),
        )["p"]
        assert scores[era] == pytest.approx(expected)
    assert (scores > 0).all()


def test_constant_predictions_score_zero():
    targets = np.tile([0.0, 0.5, 1.0, 0.25], 10)
    scores = per_era_correlation(np.full(40, 0.3), targets, np.repeat(["0001"], 40))
    assert scores["0001"] == 0.0


def test_summary_statistics():
    per_era = pd.Series([0.1, -0.2, 0.05, 0.05], index=["0001", "0002", "0003", "0004"])
    metrics = summarize(per_era, rows=40)
    assert metrics.mean == pytest.approx(0.0)
    assert metrics.std == pytest.approx(per_era.std())
    assert metrics.sharpe == pytest.approx(0.0)
    assert metrics.cumulative == pytest.approx([0.1, -0.1, -0.05, 0.0])
    # From the peak of 0.1 after era 1 down to -0.1 after era 2.
    assert metrics.max_drawdown == pytest.approx(0.2)
    assert metrics.summary()["eras"] == 4
    assert metrics.summary()["rows"] == 40


def test_drawdown_counts_fall_from_start():
    metrics = summarize(pd.Series([-0.1, -0.1, 0.3], index=["1", "2", "3"]))
    assert metrics.max_drawdown == pytest.approx(0.2)


def test_validation_metrics_end_to_end():
    rng = np.random.default_rng(1)
    targets = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=1000)
    eras = np.repeat([f"{i:04d}" for i in range(10)], 100)
    metrics = validation_metrics(targets + rng.normal(0, 1, 1000), targets, eras)
    assert len(metrics.eras) == 10
    assert metrics.rows == 1000
    assert metrics.mean > 0
    assert metrics.sharpe == pytest.approx(metrics.mean / metrics.std)
