"""The frame every step screen shares: header, step list, body, actions, footer."""

from __future__ import annotations

import logging
import threading

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState

from core.errors import Cancelled, WizardError
from core.steps import Step, StepState
from tui.widgets.step_list import StepList

log = logging.getLogger(__name__)


class StepScreen(Screen):
    """A wizard step: subclasses fill `compose_body` and `compose_actions`."""

    STEP: Step = Step.KEYS
    HELP = ""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cancel_event = threading.Event()

    @property
    def session(self):
        return self.app.session

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="frame"):
            yield StepList(id="steps")
            with Vertical(id="main"):
                yield Static(f"Step {self.STEP.value} of 6 · {self.STEP.title}", id="title")
                with VerticalScroll(id="body"):
                    yield from self.compose_body()
                yield Static("", id="error")
                with Horizontal(id="actions"):
                    yield from self.compose_actions()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def compose_actions(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        self.refresh_steps()

    def on_mount(self) -> None:
        self.refresh_steps()

    def refresh_steps(self) -> None:
        self.query_one(StepList).show(self.session.step_states, self.STEP)

    # Errors ----------------------------------------------------------------

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(message)
        error.set_class(bool(message), "visible")

    def clear_error(self) -> None:
        self.show_error("")

    def attempt(self, action, *args, **kwargs) -> bool:
        """Run a quick session action; show a `WizardError` here instead of raising."""
        try:
            action(*args, **kwargs)
        except WizardError as error:
            self.show_error(error.one_line())
            return False
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show a failed worker's error in this screen, never as a traceback."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.work_failed(event.worker.name, error)

    def work_failed(self, task: str, error: BaseException | None) -> None:
        from core.logs import current_log_file

        if isinstance(error, Cancelled):
            self.show_error(f"Cancelled. {error.hint}".strip())
        elif isinstance(error, WizardError):
            self.show_error(error.one_line())
        else:
            log.error("unexpected failure in %s", task, exc_info=error)
            log_file = current_log_file()
            where = f" Details are in {log_file}." if log_file else ""
            self.show_error(f"Unexpected error: {error}.{where}")
        self.session.step_states[self.STEP] = StepState.FAILED
        self.refresh_steps()
        self.after_failure(task)

    def after_failure(self, task: str) -> None:
        """Re-enable the screen's controls after a failed worker."""

    # Navigation -------------------------------------------------------------

    def action_back(self) -> None:
        if self.STEP.value > 1:
            self.app.show_step(Step(self.STEP.value - 1))

    def action_help(self) -> None:
        from tui.screens.modals import HelpScreen

        self.app.push_screen(HelpScreen(self.STEP.title, self.HELP))

    def go_next(self) -> None:
        if self.STEP.value < 6:
            self.app.show_step(Step(self.STEP.value + 1))

    @property
    def busy(self) -> bool:
        return any(w.node is self and w.is_running for w in self.app.workers)

    def stop_work(self) -> None:
        """Ask running work to stop; it cleans up and raises `Cancelled`."""
        self.cancel_event.set()
