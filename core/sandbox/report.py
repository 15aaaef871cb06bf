"""The sandbox report: verdict, reasons, timings, memory, and text/JSON forms."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from core.sandbox.limits import GIB, Limits

Severity = Literal["fail", "warn", "info"]
Verdict = Literal["pass", "warn", "fail"]
Stage = Literal["preparing", "loading", "predicting", "checking", "done"]

_SEVERITY_RANK = {"fail": 0, "warn": 1, "info": 2}

# Reasons of equal severity are listed in this order; codes not listed sort last.
# The order follows the run: environment, loading, calling, then the output.
CODE_ORDER = (
    "cancelled",
    "python_unavailable",
    "python_mismatch",
    "env_build_failed",
    "pickle_not_found",
    "main_reference",
    "local_module",
    "module_not_in_runner",
    "crash",
    "crash_after_load",
    "memory_limit",
    "timeout",
    "invalid_pickle",
    "wrong_python_version",
    "missing_module",
    "load_error",
    "not_callable",
    "wrong_parameter_count",
    "network_access",
    "live_data_error",
    "features_unknown",
    "missing_feature",
    "predict_error",
    "none_output",
    "not_dataframe",
    "empty_output",
    "nan_predictions",
    "non_numeric_predictions",
    "out_of_range",
    "wrong_length",
    "duplicate_ids",
    "index_mismatch",
    "column_order_dependent",
    "missing_prediction_column",
    "extra_columns",
    "constant_predictions",
    "narrow_predictions",
    "memory_near_limit",
    "time_near_limit",
    "child_error",
    "library_version_differs",
    "synthetic_live_data",
)


@dataclass(frozen=True)
class Reason:
    """One finding: a stable `code`, its severity and a one-line message."""

    code: str
    severity: Severity
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class SandboxProgress:
    """A progress event: the stage reached and seconds since the run started."""

    stage: Stage
    message: str
    elapsed_s: float
    rss_bytes: int = 0


@dataclass
class CompatibilityRow:
    """One runner environment's result for the pickle; None means not tried."""

    python: str
    available: bool
    loads: bool | None = None
    runs: bool | None = None
    output_valid: bool | None = None
    note: str = ""
    selected: bool = False

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass
class ModuleUse:
    """A top-level module the pickle imports, with its version here and pinned."""

    name: str
    kind: str  # stdlib, runner, runner_extra, not_in_runner, local, main
    local_version: str | None = None
    runner_version: str | None = None

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass
class SandboxReport:
    """Everything one sandbox run found, ready for the TUI, the CLI and JSON."""

    verdict: Verdict
    reasons: list[Reason]
    python: str | None
    limits: Limits
    load_seconds: float | None = None
    predict_seconds: float | None = None
    scaled_predict_seconds: float | None = None
    peak_rss_bytes: int = 0
    memory_curve: list[tuple[float, int]] = field(default_factory=list)
    headroom: dict[str, float | None] = field(default_factory=dict)
    rows: int | None = None
    modules: list[ModuleUse] = field(default_factory=list)
    compatibility: list[CompatibilityRow] = field(default_factory=list)
    output_tail: str = ""

    def codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "python": self.python,
            "limits": self.limits.to_dict(),
            "load_seconds": self.load_seconds,
            "predict_seconds": self.predict_seconds,
            "scaled_predict_seconds": self.scaled_predict_seconds,
            "peak_rss_bytes": self.peak_rss_bytes,
            "memory_curve": [list(point) for point in self.memory_curve],
            "headroom": self.headroom,
            "rows": self.rows,
            "modules": [module.to_dict() for module in self.modules],
            "compatibility": [row.to_dict() for row in self.compatibility],
            "output_tail": self.output_tail,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def sort_reasons(reasons: list[Reason]) -> list[Reason]:
    """Order reasons most important first and drop exact duplicates."""
    order = {code: index for index, code in enumerate(CODE_ORDER)}
    unique = list(dict.fromkeys(reasons))
    return sorted(
        unique,
        key=lambda r: (_SEVERITY_RANK[r.severity], order.get(r.code, len(order))),
    )


def verdict_of(reasons: list[Reason]) -> Verdict:
    severities = {reason.severity for reason in reasons}
    if "fail" in severities:
        return "fail"
    if "warn" in severities:
        return "warn"
    return "pass"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _mark(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "-"}[value]


def render_text(report: SandboxReport) -> str:
    """Render the report as plain text for the terminal (no markup)."""
    limits = report.limits
    lines = [f"Verdict: {report.verdict.upper()}  (Python {report.python or '?'})"]
    for reason in report.reasons:
        lines.append(f"  [{reason.severity}] {reason.code}: {reason.message}")

    lines.append("")
    lines.append(f"Rows predicted:   {report.rows if report.rows is not None else '-'}")
    lines.append(f"Load time:        {_seconds(report.load_seconds)}")
    lines.append(f"Predict time:     {_seconds(report.predict_seconds)}")
    if report.scaled_predict_seconds != report.predict_seconds:
        scaled = _seconds(report.scaled_predict_seconds)
        lines.append(f"  at live size:   {scaled} (estimate, scaled by rows)")
    lines.append(
        f"Peak memory:      {report.peak_rss_bytes / GIB:.2f} GiB"
        f" of {limits.memory_bytes / GIB:.2f} GiB"
    )
    lines.append(f"Time limit:       {limits.timeout_s:.0f} s, CPUs: {limits.cpus}")
    for name, value in report.headroom.items():
        if value is not None:
            lines.append(f"Headroom {name + ':':<8} {value:.0%}")

    if report.modules:
        lines.append("")
        lines.append("Modules the pickle imports (here / runner):")
        for module in report.modules:
            here = module.local_version or "-"
            runner = module.runner_version or "-"
            lines.append(f"  {module.name:<16} {here:<10} {runner:<10} {module.kind}")

    if len(report.compatibility) > 1:
        lines.append("")
        lines.append("Python   loads  runs  output  note")
        for row in report.compatibility:
            chosen = "*" if row.selected else " "
            lines.append(
                f"{chosen}{row.python:<7} {_mark(row.loads):<6} {_mark(row.runs):<5}"
                f" {_mark(row.output_valid):<7} {row.note}"
            )
    return "\n".join(lines)
