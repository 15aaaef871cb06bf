"""The wizard's Textual app: it routes between the six step screens."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.binding import Binding
from textual.worker import WorkerCancelled, WorkerFailed

from core.environment import Environment
from core.session import WizardSession
from core.steps import Step

# Opens the environment (for the demo: starts the stand-in API) in a worker
# thread, so the first frame is drawn before the data generator loads pandas.
EnvironmentOpener = Callable[[], Environment]

DEMO_SUBTITLE = "demo: stand-in API on 127.0.0.1, synthetic data"


def subtitle_for(env: Environment) -> str:
    """Return the header's subtitle: where the wizard sends its requests."""
    if env.demo and env.local_data_dir is not None:
        return f"demo: stand-in API on 127.0.0.1, data from {env.local_data_dir}"
    return DEMO_SUBTITLE if env.demo else env.api_url


class WizardApp(App):
    """Routes the step screens and requests confirmation before quitting during work.

    Give it an open `session`, or an `open_environment` callable that the
    start-up screen runs in a worker before the first step is shown.
    """

    CSS_PATH = "wizard.tcss"
    TITLE = "Numerai upload wizard"
    BINDINGS = [Binding("ctrl+q", "quit_wizard", "Quit", priority=True)]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(
        self,
        session: WizardSession | None = None,
        *,
        open_environment: EnvironmentOpener | None = None,
    ) -> None:
        super().__init__()
        if session is None and open_environment is None:
            raise ValueError(
                "WizardApp needs a session or an open_environment callable"
            )
        self.session = session
        self.open_environment = open_environment
        self.sub_title = subtitle_for(session.env) if session else DEMO_SUBTITLE

    def on_mount(self) -> None:
        if self.session is not None:
            self.start_steps(self.session)
            return
        from tui.screens.starting import StartingScreen

        self.push_screen(StartingScreen(self.open_environment))

    def start_steps(self, session: WizardSession) -> None:
        """Install the six step screens for `session` and show the first."""
        from tui.screens import SCREENS_BY_STEP

        self.session = session
        self.sub_title = subtitle_for(session.env)
        for step, screen_class in SCREENS_BY_STEP.items():
            self.install_screen(screen_class(), name=step.name)
        if len(self.screen_stack) > 1:
            self.switch_screen(Step.KEYS.name)
        else:
            self.push_screen(Step.KEYS.name)

    def show_step(self, step: Step) -> None:
        self.switch_screen(step.name)

    async def action_quit_wizard(self) -> None:
        from tui.screens.modals import ConfirmScreen

        # A dialog may be open above the step whose work is running.
        busy = next(
            (s for s in reversed(self.screen_stack) if getattr(s, "busy", False)), None
        )
        if busy is None:
            self.exit(return_code=getattr(self.screen, "exit_code", 0))
            return
        if getattr(self.screen, "asks_to_quit", False):
            # Ctrl+Q pressed again on the question: take it as the answer yes.
            self.screen.dismiss(True)
            return

        def answered(stop: bool | None) -> None:
            if stop:
                busy.stop_work()
                self.call_later(self._exit_when_idle)

        question = getattr(
            busy, "quit_question", "Work is still running. Stop it and quit?"
        )
        dialog = ConfirmScreen(question, "Stop and quit", "Keep working")
        dialog.asks_to_quit = True
        self.push_screen(dialog, answered)

    async def _exit_when_idle(self) -> None:
        """Exit once every worker has ended (a cancelled one raises, as expected)."""
        for worker in list(self.workers):
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
        self.exit()
