"""Step 5: run the pickle as Numerai's runner would and show the report."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from core.steps import Step
from core.summaries import format_bytes, format_seconds
from tui.messages import WorkFinished, WorkProgressed
from tui.screens.base import StepScreen
from tui.widgets.plot import LinePlot
from tui.widgets.work_progress import WorkProgress


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

**Pass** and **warn** can be uploaded; **fail** cannot. Press **c** to stop.
"""
    BINDINGS = StepScreen.BINDINGS + [Binding("c", "cancel", "Stop")]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="pickle", classes="lead")
        yield WorkProgress(id="progress")
        yield Static("", id="verdict")
        yield Static("", id="reasons")
        yield Static("", id="resources")
        yield LinePlot("Memory (MiB) over time", id="memory", plot_height=3)

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
        self.query_one("#pickle", Static).update(f"Pickle: {path}" if path else "No pickle yet.")
        if self.session.report is None and path is not None and not self.busy:
            self.start_run()
        elif not self.busy:
            self.query_one("#continue" if self.session.report else "#run", Button).focus()

    @on(Button.Pressed, "#run")
    def start_run(self) -> None:
        self.clear_error()
        self.cancel_event.clear()
        self.query_one("#run", Button).disabled = True
        self.query_one("#continue", Button).disabled = True
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
        self.query_one(WorkProgress).update_status(
            f"{payload.stage}: {payload.message} ({format_seconds(payload.elapsed_s)}{memory}) · c stops"
        )

    def on_work_finished(self, message: WorkFinished) -> None:
        report = message.result
        self.query_one(WorkProgress).finish("Sandbox run finished.")
        self._show_report(report)
        self.query_one("#run", Button).disabled = False
        self.refresh_steps()
        if report.verdict != "fail":
            button = self.query_one("#continue", Button)
            button.disabled = False
            button.focus()
        else:
            self.query_one("#run", Button).focus()

    def _show_report(self, report) -> None:
        from tui.format import reasons_text, resources_text, verdict_text

        self.query_one("#verdict", Static).update(verdict_text(report))
        self.query_one("#reasons", Static).update(reasons_text(report))
        self.query_one("#resources", Static).update(resources_text(report))
        memory = self.query_one("#memory", LinePlot)
        if report.memory_curve:
            memory.display = True
            memory.set_values([rss / 2**20 for _t, rss in report.memory_curve])

    def action_cancel(self) -> None:
        if self.busy:
            self.stop_work()
            self.query_one(WorkProgress).update_status("Stopping…")

    def after_failure(self, task: str) -> None:
        self.query_one("#run", Button).disabled = False
        self.query_one("#run", Button).focus()

    @on(Button.Pressed, "#continue")
    def continue_(self) -> None:
        self.go_next()
