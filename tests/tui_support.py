"""Helpers for the TUI tests: settling the app, fixed results, screen text."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

from rich.console import Console
from textual.worker import WorkerFailed

from core.environment import Environment
from core.session import WizardSession
from core.steps import Step, StepState

# Short deadlines and retries, so that tests of failures do not wait for defaults.
FAST_CLIENT = {"timeout": 5.0, "retries": 1, "backoff": 0.05}
FIXED_PICKLE_NAME = "demo_model-20260101-000000.pkl"
# Bytes of the pinned pickle: only its size and sha256 are shown.
FIXED_PICKLE_BYTES = b"\x80\x05fixed pickle bytes for screenshots\x2e" * 64


async def settle(pilot, rounds: int = 40) -> None:
    """Wait until no worker runs and the message queue is empty.

    A worker that failed raises `WorkerFailed` here until Textual drops it
    from its manager; the screen shows that failure, and tests check it there.
    """
    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerFailed:
            pass
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            return


def demo_session(standin, data_dir: Path) -> WizardSession:
    """Open a demo-mode session on `standin`: demo keys, fixed subtitle."""
    env = Environment(api_url=standin.url, data_dir=data_dir, demo=True)
    session = WizardSession.open(env)
    session.client_options = FAST_CLIENT
    return session


def screen_text(app) -> str:
    """Return the current screen as plain text, one line per terminal row."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        color_system=None,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(
            full=True, screen_stack=app._background_screens
        )
    )
    return console.export_text()


def prepare_through_data(session: WizardSession) -> None:
    """Validate the demo keys, choose the demo slot and the small feature set."""
    from core.demo import DEMO_MODEL, DEMO_PUBLIC_ID, DEMO_SECRET_KEY

    session.connect(DEMO_PUBLIC_ID, DEMO_SECRET_KEY, save=False)
    session.accept_disclosure()
    session.choose_slot(DEMO_MODEL)
    session.choose_data("v5.2", "small", "quick")


def pin_pickle(session: WizardSession, folder: Path) -> Path:
    """Point the session at a fixed pickle file, as a finished training would."""
    import hashlib

    path = folder / FIXED_PICKLE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FIXED_PICKLE_BYTES)
    session.state.pickle_path = str(path)
    session.state.pickle_sha256 = hashlib.sha256(FIXED_PICKLE_BYTES).hexdigest()
    session.step_states[Step.TRAIN] = StepState.DONE
    return path


def pin_report(session: WizardSession, verdict: str = "pass") -> None:
    """Give the session a fixed sandbox report, as a finished run would."""
    session.report = fixed_report(verdict)
    failed = verdict == "fail"
    session.step_states[Step.SANDBOX] = StepState.FAILED if failed else StepState.DONE


def fixed_train_result():
    """Return a training result with fixed, plausible validation scores."""
    from core.metrics import ValidationMetrics

    per_era = [0.02 + 0.05 * ((i * 7) % 11 - 5) / 5 for i in range(40)]
    cumulative = []
    total = 0.0
    for value in per_era:
        total += value
        cumulative.append(total)
    metrics = ValidationMetrics(
        eras=[f"{i:04d}" for i in range(40)],
        per_era_corr=per_era,
        mean=0.0211,
        std=0.0882,
        sharpe=0.24,
        max_drawdown=0.547,
        cumulative=cumulative,
        rows=12_000,
    )
    return SimpleNamespace(metrics=metrics, train_rows=18_000)


def fixed_report(verdict: str = "pass"):
    """Return a sandbox report with fixed timings, memory and findings."""
    from core.sandbox import Limits
    from core.sandbox.report import CompatibilityRow, ModuleUse, Reason, SandboxReport

    reasons = []
    if verdict == "fail":
        reasons.append(
            Reason("output_nan", "fail", "The predictions contain 12 NaN values.")
        )
    reasons.append(Reason("synthetic_live_data", "info", "Live data was synthetic."))
    curve = [(i * 0.05, int((10 + 190 * min(i, 12) / 12) * 2**20)) for i in range(20)]
    return SandboxReport(
        verdict=verdict,
        reasons=reasons,
        python="3.11",
        limits=Limits(),
        load_seconds=0.75,
        predict_seconds=0.004,
        scaled_predict_seconds=0.039,
        peak_rss_bytes=200 * 2**20,
        memory_curve=curve,
        rows=600,
        modules=[
            ModuleUse("cloudpickle", "runner", "3.1.1", "3.1.1"),
            ModuleUse("lightgbm", "runner", "4.6.0", "4.6.0"),
        ],
        compatibility=[
            CompatibilityRow("3.10", available=False),
            CompatibilityRow(
                "3.11", True, True, True, verdict != "fail", "", selected=True
            ),
            CompatibilityRow("3.12", available=False),
            CompatibilityRow("3.13", available=False),
        ],
    )
