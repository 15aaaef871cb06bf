"""Modal screens: help for a step and a yes/no confirmation."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static


class HelpScreen(ModalScreen[None]):
    """Help for the current step; any of Escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.help_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Help · {self.help_title}", classes="dialog-title")
            with VerticalScroll(id="help-text"):
                yield Markdown(self.text or "No help for this step.")
            yield Static("Escape closes this help; arrows scroll it.", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#help-text").focus()

    def action_dismiss(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A question with Yes and No; Escape answers No."""

    # True for the question Ctrl+Q asks, so that a second Ctrl+Q answers yes.
    asks_to_quit = False

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(
        self, question: str, yes_label: str = "Yes", no_label: str = "No"
    ) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes_label
        self.no_label = no_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, classes="question")
            with Horizontal(classes="dialog-actions"):
                yield Button(f"{self.no_label} (n)", id="no", compact=True)
                yield Button(
                    f"{self.yes_label} (y)", id="yes", variant="warning", compact=True
                )

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
