"""A progress bar with a status line and the cancel key in its text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static


class WorkProgress(Vertical):
    """Shows what a long task is doing, how far it is, and how to stop it."""

    DEFAULT_CSS = """
    WorkProgress {
        height: auto;
        margin: 1 0 0 0;
    }
    WorkProgress ProgressBar {
        width: 100%;
    }
    WorkProgress Bar {
        width: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=None, show_eta=False, id="bar")
        yield Static("", id="status")

    def start(self, text: str, total: float | None = None) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=0)
        self.update_status(text)
        self.display = True

    def advance_to(self, done: float, total: float | None, text: str) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.update_status(text)

    def update_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def finish(self, text: str) -> None:
        bar = self.query_one(ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=1)
        else:
            bar.update(progress=bar.total)
        self.update_status(text)
