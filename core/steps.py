"""The six steps of the wizard and the states a step can be in."""

from __future__ import annotations

import enum


class Step(enum.IntEnum):
    KEYS = 1
    ENABLE = 2
    DATA = 3
    TRAIN = 4
    SANDBOX = 5
    UPLOAD = 6

    @property
    def title(self) -> str:
        return STEP_TITLES[self]


STEP_TITLES = {
    Step.KEYS: "API keys",
    Step.ENABLE: "Model Uploads",
    Step.DATA: "Data and features",
    Step.TRAIN: "Training",
    Step.SANDBOX: "Sandbox report",
    Step.UPLOAD: "Upload",
}


class StepState(str, enum.Enum):
    TODO = "todo"
    DONE = "done"
    FAILED = "failed"
