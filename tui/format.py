"""Rich text for results shown in the screens; the plain parts come from core.summaries."""

from __future__ import annotations

from rich.text import Text

from core.summaries import format_bytes, format_seconds

VERDICT_STYLES = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red"}
SEVERITY_MARKS = {"fail": "✗", "warn": "!", "info": "·"}


def verdict_text(report) -> Text:
    text = Text("Verdict: ")
    text.append(
        report.verdict.upper(), style=VERDICT_STYLES.get(report.verdict, "bold")
    )
    if report.python:
        text.append(f"  (Python {report.python}, {report.rows or '?'} live rows)")
    return text


def reasons_text(report) -> Text:
    text = Text()
    for reason in report.reasons:
        severity = str(getattr(reason.severity, "value", reason.severity))
        text.append(f"{SEVERITY_MARKS.get(severity, '·')} {reason.message}\n")
    return text


def resources_text(report) -> str:
    limits = report.limits
    lines = [
        f"Load {format_seconds(report.load_seconds)}, predict {format_seconds(report.predict_seconds)}"
        + (
            f" (about {format_seconds(report.scaled_predict_seconds)} on the runner's live size)"
            if report.scaled_predict_seconds
            else ""
        )
        + f" of {format_seconds(limits.timeout_s)}.",
        f"Peak memory {format_bytes(report.peak_rss_bytes)} of {format_bytes(limits.memory_bytes)}"
        f" on {limits.cpus} CPU.",
    ]
    return "\n".join(lines)


def estimate_text(estimate) -> Text:
    text = Text()
    text.append(
        f"{estimate.train_rows:,} training rows × {estimate.n_features:,} features, "
        f"{estimate.trees:,} trees\n"
    )
    text.append(
        f"Here: peak memory about {format_bytes(estimate.train_peak_bytes)}, "
        f"about {format_seconds(estimate.load_seconds + estimate.train_seconds)} "
        "to load and train.\n"
    )
    text.append(
        f"Numerai's runner: about {format_seconds(estimate.runner_seconds)} and "
        f"{format_bytes(estimate.runner_peak_bytes)} per prediction (limits 10 min, 4 GiB).\n"
    )
    for warning in estimate.warnings:
        text.append(f"! {warning}\n", style="bold")
    return text


CHECK_MARKS = {True: "✓", False: "✗", None: "·"}


def compatibility_text(report) -> Text:
    """Return a matrix: one row per runner Python, columns load, run, output."""
    text = Text("Runner   load run output\n", style="bold")
    for row in report.compatibility:
        marks = [
            CHECK_MARKS[value] for value in (row.loads, row.runs, row.output_valid)
        ]
        line = f"{row.python:<8} {marks[0]:^4} {marks[1]:^3} {marks[2]:^6}"
        if row.note:
            # The command-line hint in brackets does not apply in the TUI.
            line += f" {row.note.split(' (')[0]}"
        elif not row.available:
            line += " not available"
        text.append(line + "\n", style="bold" if row.selected else "")
    if not report.compatibility:
        text.append("not checked\n", style="dim")
    return text


MODULE_GROUPS = (
    ("runner", "pinned in the runner"),
    ("runner_extra", "also in the runner"),
    ("not_in_runner", "NOT in the runner"),
    ("local", "your own modules, NOT in the runner"),
)


def modules_text(report) -> str:
    """Return the pickle's imports grouped by whether the runner has them."""
    parts = []
    for kind, label in MODULE_GROUPS:
        names = [_module_label(m) for m in report.modules if m.kind == kind]
        if names:
            parts.append(f"{label}: {', '.join(names)}")
    return "Imports: " + ("; ".join(parts) if parts else "standard library only") + "."


def _module_label(module) -> str:
    if (
        module.local_version
        and module.runner_version
        and module.local_version != module.runner_version
    ):
        return f"{module.name} {module.local_version} (runner {module.runner_version})"
    if module.local_version:
        return f"{module.name} {module.local_version}"
    return module.name
