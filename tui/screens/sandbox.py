"""Step 5: run the pickle as Numerai's runner would and show the report."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from core.steps import Step
from core.summaries import format_bytes, format_seconds
from tui.messages import WorkFinished, WorkProgressed
from tui.screens.base import StepScreen
from tui.widgets.plot import LinePlot
from tui.widgets.work_progress import WorkProgress


def mebibytes(value: float) -> str:
    return f"{value:,.0f} MiB"


class SandboxScreen(StepScreen):
    STEP = Step.SANDBOX
    HELP = """\
Numerai's runner unpickles the file with `pandas.read_pickle`, calls it with
the live features (and the benchmark models when it takes two arguments),
and rejects a result that is not a non-empty DataFrame with values in
[0, 1] and no NaN. It runs with **1 CPU, 4 GB of memory and 10 minutes**,
and without internet.

The sandbox does the same in a separate process with the same limits, on
the live data of the chosen version (or synthetic live data of the same
size), and adds checks the runner lacks: index matches the live ids, no
constant predictions, feature order, imports the runner will not have.

The matrix shows, per runner Python version, whether the pickle loads,
runs and gives valid output (✓ yes, ✗ no, · not tried). The memory plot
shows the child's resident memory against the 4 GB limit.

**Pass** and **warn** can be uploaded; **fail** cannot. Press **c** to stop.
"""
    BINDINGS = StepScreen.BINDINGS + [Binding("c", "cancel", "Stop")]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="pickle")
        yield WorkProgress(id="progress")
        yield Static("", id="verdict")
        yield Static("", id="reasons")
        yield Static("", id="resources")
        with Horizontal(id="sandbox-detail"):
            yield Static("", id="compatibility")
            yield LinePlot("Memory", id="memory", number=mebibytes)
        yield Static("", id="modules")

    def compose_actions(self) -> ComposeResult:
        yield Button("Run sandbox", id="run", variant="primary")
        yield Button("Continue", id="continue", variant="success", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(WorkProgress).display = False
        self.query_one("#memory", LinePlot).display = False

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        path = self.session.pickle_path
        self.query_one("#pickle", Static).update(
            f"Pickle: {path.name}" if path else "No pickle yet."
        )
        if self.busy:
            return
        if self.session.report is not None:
            self._show_report(self.session.report)
        elif path is not None:
            self.start_run()
            return
        self.query_one("#continue" if self._can_continue() else "#run", Button).focus()

    def _can_continue(self) -> bool:
        report = self.session.report
        return report is not None and report.verdict != "fail"

    @on(Button.Pressed, "#run")
    def start_run(self) -> None:
        self.clear_error()
        self.cancel_event.clear()
        self.query_one("#run", Button).disabled = True
        self.query_one("#continue", Button).disabled = True
        for widget_id in (
            "#verdict",
            "#reasons",
            "#resources",
            "#compatibility",
            "#modules",
        ):
            self.query_one(widget_id, Static).update("")
        self.query_one("#memory", LinePlot).display = False
        self.query_one(WorkProgress).start("Starting the sandbox… (press c to stop)")
        self.run_report()

    @work(thread=True, exclusive=True, exit_on_error=False, name="sandbox")
    def run_report(self) -> None:
        report = self.session.run_sandbox(
            progress=lambda p: self.post_message(WorkProgressed(p)),
            cancel=self.cancel_event,
        )
        self.post_message(WorkFinished("sandbox", report))

    def on_work_progressed(self, message: WorkProgressed) -> None:
        payload = message.payload
        memory = f", {format_bytes(payload.rss_bytes)}" if payload.rss_bytes else ""
        elapsed = format_seconds(payload.elapsed_s)
        self.query_one(WorkProgress).update_status(
            f"{payload.stage}: {payload.message} ({elapsed}{memory}) · c stops"
        )

    def on_work_finished(self, message: WorkFinished) -> None:
        self.query_one(WorkProgress).display = False
        self._show_report(message.result)
        self.refresh_steps()
        self.query_one("#continue" if self._can_continue() else "#run", Button).focus()

    def _show_report(self, report) -> None:
        from tui.format import (
            compatibility_text,
            modules_text,
            reasons_text,
            resources_text,
            verdict_text,
        )

        self.query_one("#verdict", Static).update(verdict_text(report))
        self.query_one("#reasons", Static).update(reasons_text(report))
        self.query_one("#resources", Static).update(resources_text(report))
        self.query_one("#compatibility", Static).update(compatibility_text(report))
        self.query_one("#modules", Static).update(modules_text(report))
        memory = self.query_one("#memory", LinePlot)
        memory.display = bool(report.memory_curve)
        if report.memory_curve:
            values = [rss / 2**20 for _t, rss in report.memory_curve]
            memory.set_values(values, limit=report.limits.memory_bytes / 2**20)
        self.query_one("#run", Button).disabled = False
        self.query_one("#continue", Button).disabled = not self._can_continue()

    def action_cancel(self) -> None:
        if self.busy:
            self.stop_work()
            self.query_one(WorkProgress).update_status("Stopping…")

    def after_failure(self, task: str) -> None:
        self.query_one(WorkProgress).display = False
        self.query_one("#run", Button).disabled = False
        self.query_one("#run", Button).focus()

    @on(Button.Pressed, "#continue")
    def continue_(self) -> None:
        self.go_next()
