"""Messages that workers post to their screen."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class WorkProgressed(Message):
    """A long task reported progress; only the newest one matters."""

    def __init__(self, payload: Any) -> None:
        super().__init__()
        self.payload = payload

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, WorkProgressed)


class WorkFinished(Message):
    """A long task ended with a result (or None when there is none)."""

    def __init__(self, task: str, result: Any = None) -> None:
        super().__init__()
        self.task = task
        self.result = result
