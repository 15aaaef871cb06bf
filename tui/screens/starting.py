"""The start-up screen shown while the demo's stand-in API and data get ready."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from core.errors import WizardError
from tui.messages import WorkFinished

STARTING_TEXT = (
    "Starting the demo: a stand-in of Numerai's API on 127.0.0.1 with synthetic data.\n"
    "The first run generates the data, which takes a few seconds."
)


class StartingScreen(Screen):
    """Opens the environment in a worker, then hands over to step 1."""

    def __init__(self, open_environment) -> None:
        super().__init__()
        self.open_environment = open_environment
        # The app's Ctrl+Q exits with this code: 1 once opening failed.
        self.exit_code = 0

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="starting"):
            yield LoadingIndicator()
            yield Static(STARTING_TEXT, id="starting-text")
        yield Footer()

    def on_mount(self) -> None:
        self.open_session()

    @work(thread=True, exclusive=True, exit_on_error=False, name="starting")
    def open_session(self) -> None:
        from core.session import WizardSession

        env = self.open_environment()
        self.post_message(WorkFinished("starting", WizardSession.open(env)))

    def on_work_finished(self, message: WorkFinished) -> None:
        self.app.start_steps(message.result)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        self.exit_code = 1
        self.query_one(LoadingIndicator).display = False
        self.query_one("#starting-text", Static).update(
            describe_start_failure(event.worker.error)
        )


def describe_start_failure(error: BaseException | None) -> str:
    """Return the in-screen text for a failed start, with where the log is."""
    import logging

    from core.logs import current_log_file

    if isinstance(error, WizardError):
        text = f"The demo could not start: {error.one_line()}"
    else:
        logging.getLogger(__name__).error("demo start-up failed", exc_info=error)
        text = f"The demo could not start: {error}."
    log_file = current_log_file()
    if log_file:
        text += f"\nDetails are in {log_file}."
    return text + "\nCtrl+Q quits."
