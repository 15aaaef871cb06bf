"""The list of the six steps with the state of each, shown beside every screen."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from core.steps import Step, StepState

MARKS = {"current": "▶", StepState.DONE: "✓", StepState.FAILED: "✗", StepState.TODO: "·"}


class StepList(Static):
    """Steps 1 to 6: done, current, to do or failed."""

    DEFAULT_CSS = """
    StepList {
        width: 24;
        height: 100%;
        padding: 1 1;
        border-right: solid $primary-muted;
    }
    """

    def show(self, states: dict[Step, StepState], current: Step) -> None:
        text = Text()
        for step in Step:
            key = "current" if step == current else states[step]
            label = f"{MARKS[key]} {step.value} {step.title}"
            if step == current:
                text.append(label, style="bold reverse")
            elif states[step] == StepState.FAILED:
                text.append(label, style="bold")
            elif states[step] == StepState.DONE:
                text.append(label)
            else:
                text.append(label, style="dim")
            text.append("\n")
        self.update(text)
