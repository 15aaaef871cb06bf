"""Per-era correlation on validation data and the summary participants read."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass


@dataclass
class ValidationMetrics:
    """Per-era `numerai_corr` of validation predictions and its summary statistics."""

    eras: list[str]
    per_era_corr: list[float]
    mean: float
    std: float
    sharpe: float
    max_drawdown: float
    cumulative: list[float]
    rows: int = 0

    def summary(self) -> dict[str, float]:
        """Return the scalar statistics, for manifests and one-line reports."""
        return {
            "mean": self.mean,
            "std": self.std,
            "sharpe": self.sharpe,
            "max_drawdown": self.max_drawdown,
            "eras": len(self.eras),
            "rows": self.rows,
        }

    def to_dict(self) -> dict:
        return asdict(self)


def per_era_correlation(predictions, targets, eras):
    """Return `numerai_corr` per era as a pandas Series indexed by era, in era order.

    `predictions`, `targets` and `eras` are aligned 1-D arrays. An era whose
    predictions are all equal scores 0, because a constant ranks to no signal.
    """
    import numpy as np
    import pandas as pd
    from numerai_tools.scoring import numerai_corr

    frame = pd.DataFrame(
        {
            "prediction": np.asarray(predictions, dtype=np.float64),
            "target": np.asarray(targets, dtype=np.float64),
            "era": np.asarray(eras),
        }
    )
    scores = {}
    for era, group in frame.groupby("era", sort=True):
        group = group.reset_index(drop=True)
        if group["prediction"].nunique() < 2:
            scores[era] = 0.0
            continue
        score = numerai_corr(group[["prediction"]], group["target"])["prediction"]
        scores[era] = 0.0 if math.isnan(score) else float(score)
    return pd.Series(scores, name="corr", dtype=np.float64)


def summarize(per_era, rows: int = 0) -> ValidationMetrics:
    """Compute mean, std, Sharpe, max drawdown and the cumulative curve.

    Max drawdown is the largest fall of the cumulative correlation from its
    running maximum, with the curve starting at 0 before the first era.
    """
    values = per_era.to_numpy()
    cumulative = per_era.cumsum()
    drawdown = (
        (cumulative.cummax().clip(lower=0.0) - cumulative).max() if len(values) else 0.0
    )
    mean = float(values.mean()) if len(values) else 0.0
    std = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return ValidationMetrics(
        eras=[str(e) for e in per_era.index],
        per_era_corr=[float(v) for v in values],
        mean=mean,
        std=std,
        sharpe=mean / std if std > 0 else 0.0,
        max_drawdown=float(drawdown),
        cumulative=[float(v) for v in cumulative],
        rows=rows,
    )


def validation_metrics(predictions, targets, eras) -> ValidationMetrics:
    """Score predictions per era and summarize them."""
    return summarize(
        per_era_correlation(predictions, targets, eras), rows=len(predictions)
    )
