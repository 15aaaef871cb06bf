"""The wizard's Textual app: it routes between the six step screens."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from core.session import WizardSession
from core.steps import Step


class WizardApp(App):
    """Routes the step screens and asks before quitting during long work."""

    CSS_PATH = "wizard.tcss"
    TITLE = "Numerai upload wizard"
    BINDINGS = [Binding("ctrl+q", "quit_wizard", "Quit", priority=True)]

    def __init__(self, session: WizardSession) -> None:
        super().__init__()
        self.session = session
        if session.env.demo:
            self.sub_title = "demo: stand-in API on 127.0.0.1, synthetic data"
        else:
            self.sub_title = session.env.api_url

    def on_mount(self) -> None:
        from tui.screens import SCREENS_BY_STEP

        for step, screen_class in SCREENS_BY_STEP.items():
            self.install_screen(screen_class(), name=step.name)
        self.push_screen(Step.KEYS.name)

    def show_step(self, step: Step) -> None:
        self.switch_screen(step.name)

    async def action_quit_wizard(self) -> None:
        from tui.screens.modals import ConfirmScreen

        screen = self.screen
        if not getattr(screen, "busy", False):
            self.exit()
            return

        def answered(stop: bool | None) -> None:
            if stop:
                screen.stop_work()
                self.call_later(self._exit_when_idle, screen)

        self.push_screen(
            ConfirmScreen("Work is still running. Stop it and quit?", "Stop and quit", "Keep working"),
            answered,
        )

    async def _exit_when_idle(self, screen) -> None:
        await self.workers.wait_for_complete()
        self.exit()
