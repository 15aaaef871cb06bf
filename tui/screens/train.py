"""Step 4: train LightGBM with live progress and read the validation scores."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from core.steps import Step
from core.summaries import format_bytes, format_seconds, metrics_summary
from tui.messages import WorkFinished, WorkProgressed
from tui.screens.base import StepScreen
from tui.widgets.plot import LinePlot
from tui.widgets.work_progress import WorkProgress


def whole(value: float) -> str:
    return f"{value:,.0f}"


class TrainScreen(StepScreen):
    STEP = Step.TRAIN
    HELP = """\
Training downloads the chosen data (once), trains LightGBM on the training
eras and scores it on the validation eras that follow a four-era gap
(Numerai's targets look about 20 business days ahead, so the eras right
after training overlap with it).

While it trains, the plot shows the trees done over time. Scores are
**per-era correlation** (numerai_corr) between predictions and the target:
its mean, standard deviation, Sharpe (mean over standard deviation) and
maximum drawdown of the cumulative curve.

Press **c** to cancel: nothing half-written is left behind. Or give the
path of a pickle you made elsewhere and choose *Use this pickle*.
"""
    BINDINGS = StepScreen.BINDINGS + [Binding("c", "cancel", "Cancel training")]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="plan")
        yield Input(placeholder="…or the path of an existing .pkl", id="pickle-path")
        yield WorkProgress(id="progress")
        yield LinePlot("Trees done over time", id="curve", number=whole)
        yield Static("", id="scores")
        with Horizontal(classes="plots"):
            yield LinePlot("Per-era corr", id="per-era")
            yield LinePlot("Cumulative", id="cumulative", classes="right")

    def compose_actions(self) -> ComposeResult:
        yield Button("Train", id="train", variant="primary")
        yield Button("Use this pickle", id="use-pickle")
        yield Button("Continue", id="continue", variant="success", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(WorkProgress).display = False
        self.query_one("#curve", LinePlot).display = False
        self.query_one(".plots").display = False
        self.trees_over_time: list[float] = []

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.query_one("#plan", Static).update(self.describe_plan())
        if self.busy:
            return
        if self.session.train_result is not None:
            self._show_result(self.session.train_result)
        elif self.session.pickle_path is not None:
            self._show_pickle()
        self.query_one("#train", Button).focus()

    def describe_plan(self) -> str:
        from core.presets import tree_count

        session = self.session
        params = session.training_params()
        era_step = f", every {session.era_step}th era" if session.era_step > 1 else ""
        return (
            f"{session.data_version}, feature set {session.feature_set}, preset "
            f"{session.preset}: {tree_count(params):,} trees, learning rate "
            f"{params.get('learning_rate')}{era_step}."
        )

    @on(Button.Pressed, "#train")
    def start_training(self) -> None:
        self.clear_error()
        self.cancel_event.clear()
        self._set_running(True)
        self.trees_over_time = []
        self.query_one(".plots").display = False
        self.query_one("#scores", Static).update("")
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
        payload = message.payload
        if hasattr(payload, "trees_done"):
            self._show_training(payload)
        elif hasattr(payload, "done_bytes"):
            self.query_one(WorkProgress).advance_to(
                payload.done_bytes,
                payload.total_bytes,
                f"downloading {payload.name}: {format_bytes(payload.done_bytes)}"
                f" of {format_bytes(payload.total_bytes)} · c cancels",
            )

    def _show_training(self, payload) -> None:
        eta = format_seconds(payload.eta_s) if payload.eta_s is not None else "…"
        self.query_one(WorkProgress).advance_to(
            payload.trees_done,
            payload.trees_total or None,
            f"{payload.stage}: {payload.trees_done:,}/{payload.trees_total:,} trees, "
            f"{format_seconds(payload.elapsed_s)} elapsed, {eta} left · c cancels",
        )
        if payload.stage != "training":
            return
        self.trees_over_time.append(float(payload.trees_done))
        curve = self.query_one("#curve", LinePlot)
        curve.display = True
        curve.set_values(self.trees_over_time, limit=float(payload.trees_total))

    def on_work_finished(self, message: WorkFinished) -> None:
        self._set_running(False)
        if message.task == "train":
            self.query_one(WorkProgress).finish(
                f"Trained on {message.result.train_rows:,} rows."
            )
            self._show_result(message.result)
        self.refresh_steps()
        button = self.query_one("#continue", Button)
        button.disabled = False
        button.focus()

    def _show_result(self, result) -> None:
        from core.summaries import training_warnings

        metrics = result.metrics
        self.query_one("#curve", LinePlot).display = False
        name = self.session.pickle_path.name if self.session.pickle_path else "?"
        warnings = "".join(f"\n! {text}" for text in training_warnings(result))
        if metrics is None:
            self.query_one("#scores", Static).update(f"Pickle: {name}{warnings}")
            return
        self.query_one("#scores", Static).update(
            f"Validation: {metrics_summary(metrics)}.\nPickle: {name}{warnings}"
        )
        self.query_one(".plots").display = True
        self.query_one("#per-era", LinePlot).set_values(list(metrics.per_era_corr))
        self.query_one("#cumulative", LinePlot).set_values(list(metrics.cumulative))
        self.query_one("#continue", Button).disabled = False

    def _show_pickle(self) -> None:
        self.query_one("#scores", Static).update(f"Using {self.session.pickle_path}")
        self.query_one("#continue", Button).disabled = False

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
        self.query_one(".plots").display = False
        self.query_one("#curve", LinePlot).display = False
        self.query_one(WorkProgress).display = False
        self._show_pickle()
        self.post_message(WorkFinished("use-pickle"))

    def action_cancel(self) -> None:
        if self.busy:
            self.stop_work()
            self.query_one(WorkProgress).update_status("Cancelling…")

    def after_failure(self, task: str) -> None:
        self._set_running(False)
        self.query_one(WorkProgress).display = False
        self.query_one("#curve", LinePlot).display = False

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
