"""The list of the six steps with the state of each, shown beside every screen."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from core.steps import Step, StepState

MARKS = {
    "current": "▶",
    StepState.DONE: "✓",
    StepState.FAILED: "✗",
    StepState.TODO: "·",
}
# Labels for a narrow list, used when the full titles do not fit its width.
SHORT_TITLES = {
    Step.KEYS: "Keys",
    Step.ENABLE: "Slot",
    Step.DATA: "Data",
    Step.TRAIN: "Training",
    Step.SANDBOX: "Sandbox",
    Step.UPLOAD: "Upload",
}
STATE_WORDS = {
    StepState.DONE: "done",
    StepState.FAILED: "failed",
    StepState.TODO: "to do",
}


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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.states: dict[Step, StepState] = {}
        self.current = Step.KEYS

    def show(self, states: dict[Step, StepState], current: Step) -> None:
        self.states, self.current = dict(states), current
        self.update(self.render_steps())

    def on_resize(self) -> None:
        if self.states:
            self.update(self.render_steps())

    def render_steps(self) -> Text:
        width = self.content_region.width or self.size.width
        full = all(len(step.title) + 4 <= width for step in Step)
        text = Text()
        for step in Step:
            state = self.states.get(step, StepState.TODO)
            key = "current" if step == self.current else state
            title = step.title if full else SHORT_TITLES[step]
            label = f"{MARKS[key]} {step.value} {title}"
            if step == self.current:
                text.append(label, style="bold reverse")
            elif state == StepState.FAILED:
                text.append(label, style="bold")
            elif state == StepState.DONE:
                text.append(label)
            else:
                text.append(label, style="dim")
            text.append("\n")
        if state_counts := self._legend():
            text.append("\n" + state_counts, style="dim")
        return text

    def _legend(self) -> str:
        done = sum(1 for s in self.states.values() if s == StepState.DONE)
        return f"{done} of 6 done"
