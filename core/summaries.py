"""Plain-text summaries of results, shared by the headless run and the TUI."""

from __future__ import annotations

from typing import Any


def format_bytes(count: float | None) -> str:
    """Return a size with a binary unit, e.g. "1.5 GiB"."""
    if count is None:
        return "?"
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(value) < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def format_seconds(seconds: float | None) -> str:
    """Return a duration as "850 ms", "42 s", "3 min 5 s" or "2 h 10 min"."""
    if seconds is None:
        return "?"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def estimate_summary(estimate: Any) -> str:
    """Return one line: peak memory and time here, and the runner's cost."""
    text = (
        f"estimate here: peak {format_bytes(estimate.train_peak_bytes)}, "
        f"{format_seconds(estimate.load_seconds + estimate.train_seconds)}; "
        f"runner: {format_seconds(estimate.runner_seconds)}, "
        f"{format_bytes(estimate.runner_peak_bytes)}"
    )
    if estimate.warnings:
        text += " (warning: " + "; ".join(estimate.warnings) + ")"
    return text


def metrics_summary(metrics: Any) -> str:
    return (
        f"per-era corr mean {metrics.mean:+.4f}, std {metrics.std:.4f}, "
        f"sharpe {metrics.sharpe:.2f}, max drawdown {metrics.max_drawdown:.4f} "
        f"over {len(metrics.eras)} eras"
    )


def report_summary(report: Any) -> str:
    """Return one line: the verdict, its first reason, timings and peak memory."""
    parts = [report.verdict.upper()]
    if report.reasons:
        parts.append(report.reasons[0].message)
    timings = []
    if report.load_seconds is not None:
        timings.append(f"load {format_seconds(report.load_seconds)}")
    if report.predict_seconds is not None:
        timings.append(f"predict {format_seconds(report.predict_seconds)}")
    if report.peak_rss_bytes:
        limit = format_bytes(report.limits.memory_bytes)
        timings.append(f"peak {format_bytes(report.peak_rss_bytes)} of {limit}")
    if report.python:
        timings.append(f"Python {report.python}")
    if timings:
        parts.append(", ".join(timings))
    return "; ".join(parts)


def training_warnings(result: Any) -> list[str]:
    """Return plain warnings about a trained model that scores would not show."""
    warnings = []
    importance = getattr(getattr(result, "model", None), "feature_importance", None)
    if importance is not None and int(importance().sum()) == 0:
        params = getattr(result, "params", {}) or {}
        leaf_rows = params.get("min_data_in_leaf") or params.get("min_child_samples")
        cause = (
            f" (min_data_in_leaf {leaf_rows:,} on {result.train_rows:,} rows)"
            if leaf_rows
            else ""
        )
        warnings.append(
            "The model made no split, so it predicts one constant value"
            f"{cause}. Lower min_data_in_leaf or train on more rows."
        )
    if result.metrics is None:
        note = getattr(result, "validation_note", "")
        warnings.append(note or "No validation eras: the model was not scored.")
    return warnings


def training_summary(result: Any) -> str:
    """Return the validation scores, or why there are none, and any warnings."""
    parts = []
    if result.metrics is not None:
        parts.append(f"validation {metrics_summary(result.metrics)}")
    parts.extend(f"warning: {text}" for text in training_warnings(result))
    return "; ".join(parts)
