"""Checks on what a predict function returned, run inside the sandbox child.

This module runs in the child process, which loads it by file path: it may
import only the standard library, numpy and pandas, never `core`. Each check
returns findings as `(code, severity, message)` tuples.
"""

from __future__ import annotations

Finding = tuple[str, str, str]

# Fewer distinct values than this over a whole live era reads as constant.
MIN_DISTINCT_PREDICTIONS = 2
# Predictions whose max - min is below this are reported as not spread over [0, 1].
MIN_PREDICTION_SPAN = 0.5
# Max absolute difference tolerated between two calls on the same rows.
ORDER_TOLERANCE = 1e-6


def runner_rejections(output, rows: int) -> list[Finding]:
    """Apply the rejections of Numerai's runner (numerai-predict) in its order."""
    import pandas as pd

    if output is None:
        return [("none_output", "fail", "predict returned None; return a DataFrame")]
    # The runner compares the exact type, so a DataFrame subclass fails there too.
    if type(output) is not pd.DataFrame:
        return [_not_dataframe(output)]
    if len(output) == 0:
        return [("empty_output", "fail", "predict returned a DataFrame with no rows")]
    if len(output.columns) == 0:
        return [
            ("empty_output", "fail", "predict returned a DataFrame with no columns")
        ]

    findings: list[Finding] = []
    nan_count = int(output.isna().sum().sum())
    if nan_count:
        message = f"predictions contain {nan_count} NaN value(s) in {rows} rows"
        findings.append(("nan_predictions", "fail", message))

    first = output.iloc[:, 0]
    if not pd.api.types.is_numeric_dtype(first):
        message = f"first column {first.name!r} has dtype {first.dtype}, not numeric"
        return findings + [("non_numeric_predictions", "fail", message)]

    low, high = float(first.min()), float(first.max())
    if low < 0 or high > 1:
        message = (
            f"first column {first.name!r} has values in [{low:.4g}, {high:.4g}],"
            " outside [0, 1]; rank them per era (rank(pct=True))"
        )
        findings.append(("out_of_range", "fail", message))
    return findings


def _not_dataframe(output) -> Finding:
    import pandas as pd

    kind = type(output)
    name = f"{kind.__module__}.{kind.__qualname__}"
    message = f"predict returned {name}, not a pandas DataFrame"
    if isinstance(output, pd.Series):
        message += '; return series.to_frame("prediction")'
    return ("not_dataframe", "fail", message)


def contract_checks(output, live) -> list[Finding]:
    """Check what the runner lets through but Numerai's scoring or users trip on.

    `output` must already be a non-empty DataFrame with a numeric first column.
    """
    findings = _shape_checks(output, live)
    findings += _column_checks(output)
    findings += _spread_checks(output.iloc[:, 0])
    return findings


def _shape_checks(output, live) -> list[Finding]:
    findings: list[Finding] = []
    if len(output) != len(live):
        message = f"predict returned {len(output)} rows for {len(live)} live rows"
        findings.append(("wrong_length", "fail", message))

    duplicates = int(output.index.duplicated().sum())
    if duplicates:
        message = f"{duplicates} duplicate id(s) in the output index"
        findings.append(("duplicate_ids", "fail", message))

    missing = live.index.difference(output.index)
    extra = output.index.difference(live.index)
    if len(missing) or len(extra):
        example = list(extra[:2]) or list(missing[:2])
        message = (
            f"output index does not match the live ids: {len(missing)} missing,"
            f" {len(extra)} unknown (e.g. {example}); keep live_features.index"
        )
        findings.append(("index_mismatch", "fail", message))
    return findings


def _column_checks(output) -> list[Finding]:
    findings: list[Finding] = []
    columns = [str(column) for column in output.columns]
    if "prediction" not in columns:
        message = (
            f"output has no 'prediction' column (columns: {columns[:3]});"
            " the runner takes the first column"
        )
        findings.append(("missing_prediction_column", "warn", message))
    if len(columns) > 1:
        message = f"output has {len(columns)} columns; only the first one is used"
        findings.append(("extra_columns", "warn", message))
    return findings


def _spread_checks(predictions) -> list[Finding]:
    distinct = int(predictions.nunique())
    if distinct < MIN_DISTINCT_PREDICTIONS:
        value = float(predictions.iloc[0])
        message = f"every prediction is {value:.4g}; the model output is constant"
        return [("constant_predictions", "fail", message)]

    low, high = float(predictions.min()), float(predictions.max())
    if high - low < MIN_PREDICTION_SPAN:
        message = (
            f"predictions span only [{low:.4g}, {high:.4g}]; Numerai accepts this,"
            " but ranking per era spreads them over [0, 1]"
        )
        return [("narrow_predictions", "warn", message)]
    return []


def prediction_difference(first, second) -> float:
    """Return the max absolute difference between two outputs, aligned by id."""
    a = first.iloc[:, 0]
    b = second.iloc[:, 0].reindex(a.index)
    return float((a.astype("float64") - b.astype("float64")).abs().max())


def missing_features(expected: list[str], columns) -> list[str]:
    present = set(map(str, columns))
    return [name for name in expected if name not in present]
