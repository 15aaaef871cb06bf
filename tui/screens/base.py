"""The frame every step screen shares: header, step list, body, actions, footer."""

from __future__ import annotations

import logging
import threading

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    OptionList,
    Select,
    Static,
)
from textual.worker import Worker, WorkerState

from core.errors import Cancelled, WizardError
from core.steps import Step, StepState
from tui.widgets.step_list import StepList

log = logging.getLogger(__name__)

# Widgets drawn without borders, so each takes one row and every step fits 80×24.
COMPACT_WIDGETS = (Button, Checkbox, Input, OptionList, Select)


def make_compact(screen: Screen) -> None:
    """Switch every bordered control of `screen` to Textual's compact style."""
    for widget in screen.query("*"):
        if isinstance(widget, COMPACT_WIDGETS):
            widget.compact = True


def with_log_location(text: str) -> str:
    """Append where this run's log file is, when logging to a file is on."""
    from core.logs import current_log_file

    log_file = current_log_file()
    return f"{text} Details are in {log_file}." if log_file else text


class StepScreen(Screen):
    """A wizard step: subclasses fill `compose_body` and `compose_actions`."""

    STEP: Step = Step.KEYS
    HELP = ""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        # F1 is the key the footer shows, because an input field with focus
        # takes "?" as text; "?" works everywhere else.
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
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
                yield Static(
                    f"Step {self.STEP.value} of 6 · {self.STEP.title}", id="title"
                )
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
        make_compact(self)
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
            log.warning("%s: %s", self.STEP.name.lower(), error.one_line())
            self.show_error(with_log_location(error.one_line()))
            return False
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show a failed worker's error in this screen, never as a traceback."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.work_failed(event.worker.name, error)

    def work_failed(self, task: str, error: BaseException | None) -> None:
        if isinstance(error, Cancelled):
            log.info("%s cancelled", task)
            self.show_error(f"Cancelled: {error.one_line()}")
            state = StepState.TODO
        elif isinstance(error, WizardError):
            log.warning("%s failed: %s", task, error.one_line())
            self.show_error(with_log_location(error.one_line()))
            state = StepState.FAILED
        else:
            log.error("unexpected failure in %s", task, exc_info=error)
            self.show_error(with_log_location(f"Unexpected error in {task}: {error}."))
            state = StepState.FAILED
        self.session.step_states[self.STEP] = state
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
        """True while a worker of this screen runs."""
        return any(w.node is self and w.is_running for w in self.app.workers)

    def stop_work(self) -> None:
        """Ask running work to stop; it cleans up and raises `Cancelled`."""
        self.cancel_event.set()
