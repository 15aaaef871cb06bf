"""Step 4: train LightGBM with live progress and read the validation scores."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Static

from core.steps import Step
from core.summaries import format_bytes, format_seconds, metrics_summary
from tui.messages import WorkFinished, WorkProgressed
from tui.screens.base import StepScreen
from tui.widgets.plot import LinePlot
from tui.widgets.work_progress import WorkProgress


class TrainScreen(StepScreen):
    STEP = Step.TRAIN
    HELP = """\
Training downloads the chosen data (once), trains LightGBM on the training
eras and scores it on the validation eras that follow a four-era gap
(Numerai's targets look about 20 business days ahead, so the eras right
after training overlap with it).

Scores are **per-era correlation** (numerai_corr) between predictions and
the target: its mean, standard deviation, Sharpe (mean over standard
deviation) and maximum drawdown of the cumulative curve.

Press **c** to cancel: nothing half-written is left behind. Or give the
path of a pickle you made elsewhere and choose *Use this pickle*.
"""
    BINDINGS = StepScreen.BINDINGS + [Binding("c", "cancel", "Cancel training")]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="plan", classes="lead")
        yield WorkProgress(id="progress")
        yield Static("", id="scores")
        yield LinePlot("Per-era correlation", id="per-era")
        yield LinePlot("Cumulative correlation", id="cumulative")
        yield Input(placeholder="…or the path of an existing .pkl", id="pickle-path")

    def compose_actions(self) -> ComposeResult:
        yield Button("Train", id="train", variant="primary")
        yield Button("Use this pickle", id="use-pickle")
        yield Button("Continue", id="continue", variant="success", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(WorkProgress).display = False
        for plot in self.query(LinePlot):
            plot.display = False

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        session = self.session
        params = session.training_params()
        self.query_one("#plan", Static).update(
            f"{session.data_version}, feature set {session.feature_set}, preset {session.preset}: "
            f"{params.get('n_estimators')} trees, learning rate {params.get('learning_rate')}."
        )
        if not self.busy:
            self.query_one("#train", Button).focus()

    @on(Button.Pressed, "#train")
    def start_training(self) -> None:
        self.clear_error()
        self.cancel_event.clear()
        self._set_running(True)
        self.query_one(WorkProgress).start("Preparing the data… (press c to cancel)")
        self.train()

    @work(thread=True, exclusive=True, exit_on_error=False, name="train")
    def train(self) -> None:
        result = self.session.train(
            progress=lambda p: self.post_message(WorkProgressed(p)),
            cancel=self.cancel_event,
        )
        self.post_message(WorkFinished("train", result))

    def on_work_progressed(self, message: WorkProgressed) -> None:
        progress = self.query_one(WorkProgress)
        payload = message.payload
        if hasattr(payload, "trees_done"):
            eta = format_seconds(payload.eta_s) if payload.eta_s is not None else "…"
            progress.advance_to(
                payload.trees_done,
                payload.trees_total or None,
                f"{payload.stage}: {payload.trees_done}/{payload.trees_total} trees, "
                f"{format_seconds(payload.elapsed_s)} elapsed, {eta} left · c cancels",
            )
        elif hasattr(payload, "done_bytes"):
            progress.advance_to(
                payload.done_bytes,
                payload.total_bytes,
                f"downloading {payload.name}: {format_bytes(payload.done_bytes)}"
                f" of {format_bytes(payload.total_bytes)} · c cancels",
            )

    def on_work_finished(self, message: WorkFinished) -> None:
        self._set_running(False)
        if message.task == "train":
            self._show_result(message.result)
        self.refresh_steps()
        button = self.query_one("#continue", Button)
        button.disabled = False
        button.focus()

    def _show_result(self, result) -> None:
        metrics = result.metrics
        self.query_one(WorkProgress).finish(f"Trained on {result.train_rows:,} rows.")
        self.query_one("#scores", Static).update(
            f"Validation: {metrics_summary(metrics)}\nPickle: {self.session.pickle_path}"
        )
        per_era = self.query_one("#per-era", LinePlot)
        cumulative = self.query_one("#cumulative", LinePlot)
        per_era.display = cumulative.display = True
        per_era.set_values(list(metrics.per_era_corr))
        cumulative.set_values(list(metrics.cumulative))

    @on(Button.Pressed, "#use-pickle")
    @on(Input.Submitted, "#pickle-path")
    def use_pickle(self) -> None:
        self.clear_error()
        path = self.query_one("#pickle-path", Input).value.strip()
        if not path:
            self.show_error("Type the path of a .pkl file first.")
            self.query_one("#pickle-path", Input).focus()
            return
        if not self.attempt(self.session.use_pickle, Path(path)):
            return
        self.query_one("#scores", Static).update(f"Using {self.session.pickle_path}")
        self.post_message(WorkFinished("use-pickle"))

    def action_cancel(self) -> None:
        if self.busy:
            self.stop_work()
            self.query_one(WorkProgress).update_status("Cancelling…")

    def after_failure(self, task: str) -> None:
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        for button_id in ("#train", "#use-pickle"):
            self.query_one(button_id, Button).disabled = running
        self.query_one("#pickle-path", Input).disabled = running
        if running:
            self.query_one("#continue", Button).disabled = True
        else:
            self.query_one("#train", Button).focus()

    @on(Button.Pressed, "#continue")
    def continue_(self) -> None:
        self.go_next()
