"""One sandbox run end to end: choose the Python, run the child, build the report."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from core.errors import Cancelled, WizardError
from core.sandbox import envs, outcome as results
from core.sandbox.limits import RUNNER_LIVE_ROWS, Limits
from core.sandbox.report import (
    CompatibilityRow,
    ModuleUse,
    Reason,
    SandboxProgress,
    SandboxReport,
    sort_reasons,
    verdict_of,
)
from core.sandbox.runner import ChildOutcome, ChildRequest, run_child
from core.sandbox.scan import (
    classify_modules,
    import_to_distribution,
    module_reasons,
    scan_pickle,
)

log = logging.getLogger(__name__)

ProgressCallback = Callable[[SandboxProgress], None]
DEFAULT_LIMITS = Limits()


class SandboxError(WizardError):
    """The sandbox could not start: a missing file or an unusable option."""


def manifest_path(pickle_path: Path) -> Path:
    return pickle_path.with_name(pickle_path.stem + ".manifest.json")


def read_manifest(pickle_path: Path) -> dict:
    """Return the manifest written beside the pickle, or {} when there is none."""
    path = manifest_path(pickle_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("ignoring unreadable manifest %s: %s", path, error)
        return {}
    return data if isinstance(data, dict) else {}


def _require_file(path: Path | None, what: str) -> Path | None:
    if path is None:
        return None
    path = Path(path).expanduser()
    if not path.is_file():
        raise SandboxError(f"{what} not found: {path}", "Check the path and try again.")
    return path.resolve()


class _Run:
    """State shared by the steps of one `run_sandbox` call."""

    def __init__(self, pickle_path, live, benchmarks, limits, progress, cancel, order):
        self.pickle = _require_file(pickle_path, "Pickle")
        self.live = _require_file(live, "Live features file")
        self.benchmarks = _require_file(benchmarks, "Benchmark models file")
        self.limits = limits
        self.progress = progress
        self.cancel = cancel
        self.column_order_check = order
        self.started = time.monotonic()
        self.manifest = read_manifest(self.pickle)
        self.scan = scan_pickle(self.pickle)

    def report_progress(self, message: str) -> None:
        if self.progress is not None:
            elapsed = time.monotonic() - self.started
            self.progress(SandboxProgress("preparing", message, elapsed))

    def features(self) -> list[str] | None:
        listed = self.manifest.get("features")
        if isinstance(listed, list) and listed:
            return [str(name) for name in listed]
        return self.scan.feature_names

    def child(self, env: envs.RunnerEnv) -> ChildOutcome:
        request = ChildRequest(
            python=env.python,
            pickle=self.pickle,
            live=self.live,
            benchmarks=self.benchmarks,
            features=self.features(),
            rows=RUNNER_LIVE_ROWS,
            column_order_check=self.column_order_check,
        )
        self.install_extras(env)
        self.report_progress(
            f"Starting Python {env.version} ({env.source} environment)"
        )
        outcome = run_child(request, self.limits, self.progress, self.cancel)
        if outcome.killed_for == "cancel":
            raise Cancelled("The sandbox run was cancelled.")
        return outcome

    def install_extras(self, env: envs.RunnerEnv) -> None:
        """Install runner libraries the pickle imports beyond the pinned six."""
        dists = import_to_distribution(envs.load_pins(), env.version)
        wanted = [dists[m] for m in self.scan.top_modules() if m in dists]
        installed = envs.ensure_modules(env, wanted)
        if installed:
            self.report_progress(f"Installed {', '.join(installed)}")

    def modules(self, version: str) -> tuple[list[ModuleUse], list[Reason]]:
        uses = classify_modules(self.scan, version, envs.load_pins())
        reasons = module_reasons(uses, version)
        if version != envs.own_version():
            # Versions "here" are the wizard's, not those of the env that ran it.
            reasons = [r for r in reasons if r.code != "library_version_differs"]
        if self.scan.error:
            message = f"the opcode scan stopped early: {self.scan.error}"
            reasons.append(Reason("invalid_pickle", "fail", message))
        return uses, reasons


def run_sandbox(
    pickle_path: Path | str,
    *,
    python: str | None = None,
    live_path: Path | str | None = None,
    benchmarks_path: Path | str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    column_order_check: bool = True,
) -> SandboxReport:
    """Run the upload pickle in a child process the way Numerai's runner does.

    The pickle is never loaded in this process. `python` ("3.11") selects the
    runner environment and builds it when missing. Without `python`, the
    manifest beside the pickle decides, else a trial over the ready
    environments.
    Raises SandboxError for a missing file and Cancelled when `cancel` is set.
    """
    run = _Run(
        Path(pickle_path),
        live_path,
        benchmarks_path,
        limits,
        progress,
        cancel,
        column_order_check,
    )
    wanted = python or run.manifest.get("python")
    if wanted:
        report = _run_fixed(run, str(wanted), forced=python is not None)
    else:
        report = _run_by_trial(run)
    if progress is not None:
        elapsed = time.monotonic() - run.started
        progress(SandboxProgress("done", f"Verdict: {report.verdict}", elapsed))
    return report


def _unavailable_report(run: _Run, version: str, error: WizardError) -> SandboxReport:
    reasons = [Reason("python_unavailable", "fail", error.one_line())]
    rows = _matrix(run, {}, selected=None)
    return SandboxReport("fail", reasons, version, run.limits, compatibility=rows)


def _run_fixed(run: _Run, version: str, forced: bool) -> SandboxReport:
    envs.pins_for(version)  # raises for a version the runner does not offer
    try:
        env = envs.get_env(version, progress=run.report_progress, cancel=run.cancel)
    except envs.RunnerEnvError as error:
        return _unavailable_report(run, version, error)

    outcome = run.child(env)
    extra = []
    made_with = run.manifest.get("python")
    if forced and made_with and str(made_with) != version:
        message = (
            f"the manifest records that the pickle was made with Python"
            f" {made_with}, but it was run under {version}; upload it with the"
            f" Python {made_with} image"
        )
        extra.append(Reason("python_mismatch", "warn", message))
    return _report(run, env.version, outcome, extra, {version: outcome}, version)


def _run_by_trial(run: _Run) -> SandboxReport:
    ready = [v for v in envs.runner_versions() if envs.available_env(v) is not None]
    own = envs.own_version()
    order = sorted(ready, key=lambda v: v != own)
    if not order:
        error = WizardError(
            "No runner environment is ready and the pickle has no manifest.",
            "Pass --python 3.X with the Python version that made the pickle.",
        )
        return _unavailable_report(run, own, error)

    tried: dict[str, ChildOutcome] = {}
    first = order[0]
    tried[first] = run.child(envs.available_env(first))
    if not results.is_version_sensitive(results.all_reasons(tried[first], run.limits)):
        return _report(run, first, tried[first], [], tried, first)

    for version in order[1:]:
        tried[version] = run.child(envs.available_env(version))
        if results.flags(tried[version])[0] and not results.is_version_sensitive(
            results.all_reasons(tried[version], run.limits)
        ):
            message = (
                f"the pickle fails under Python {first} and loads under {version};"
                f" it was likely made with {version}: upload it with that image"
            )
            mismatch = [Reason("python_mismatch", "warn", message)]
            return _report(run, version, tried[version], mismatch, tried, version)
    return _report(run, first, tried[first], [], tried, first)


def _matrix(run: _Run, tried: dict[str, ChildOutcome], selected: str | None):
    rows = []
    for version in envs.runner_versions():
        if version in tried:
            loads, runs, valid = results.flags(tried[version])
            row = CompatibilityRow(version, True, loads, runs, valid)
            row.note = _first_failure(tried[version], run.limits)
        elif envs.available_env(version) is not None:
            row = CompatibilityRow(version, True, note="not tried")
        else:
            row = CompatibilityRow(version, False, note=_missing_note(version))
        row.selected = version == selected
        rows.append(row)
    return rows


def _first_failure(outcome: ChildOutcome, limits: Limits) -> str:
    reasons = sort_reasons(results.all_reasons(outcome, limits))
    failures = [r.code for r in reasons if r.severity == "fail"]
    return failures[0] if failures else "ok"


def _missing_note(version: str) -> str:
    if envs.find_interpreter(version) is None:
        return f"Python {version} not installed"
    return f"not built (check --python {version})"


def _report(run, version, outcome, extra, tried, selected) -> SandboxReport:
    uses, scan_reasons = run.modules(version)
    load_s, predict_s, rows = results.timings(outcome)
    scaled = results.scaled_predict(predict_s, rows)
    room = results.headroom(outcome.peak_rss_bytes, load_s, scaled, run.limits)
    reasons = scan_reasons + extra + results.all_reasons(outcome, run.limits)
    reasons += results.headroom_reasons(room, run.limits)
    reasons = sort_reasons(reasons)
    return SandboxReport(
        verdict=verdict_of(reasons),
        reasons=reasons,
        python=version,
        limits=run.limits,
        load_seconds=load_s,
        predict_seconds=predict_s,
        scaled_predict_seconds=scaled,
        peak_rss_bytes=outcome.peak_rss_bytes,
        memory_curve=outcome.memory_curve,
        headroom=room,
        rows=rows,
        modules=uses,
        compatibility=_matrix(run, tried, selected),
        output_tail=outcome.output_tail,
    )
