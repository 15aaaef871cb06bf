"""The error type that every user-facing failure in `core` derives from."""

from __future__ import annotations


class WizardError(Exception):
    """A failure with a one-line message for the user and what to do next.

    `str(error)` is the message alone; `hint` is the next step, or "".
    Neither may contain a secret key.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def one_line(self) -> str:
        """Return the message and the hint as one line."""
        if not self.hint:
            return self.message
        message = self.message
        if not message.endswith((".", "!", "?", ":")):
            message += "."
        return f"{message} {self.hint}"


class Cancelled(WizardError):
    """Long work stopped because the user asked for it."""
