"""Step 1: enter, validate and store the Numerai API keys."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Label, Static

from core.keys import PUBLIC_ID_LENGTH
from core.steps import Step
from tui.messages import WorkFinished
from tui.screens.base import StepScreen


def describe_source(found) -> str:
    if found.source == "demo":
        return "The stand-in's demo keys are filled in; your real keys are not read."
    places = {
        "environment": "NUMERAI_PUBLIC_ID and NUMERAI_SECRET_KEY",
        "config": "the wizard's key file",
        "numerai-cli": "numerai-cli's key file; Check keys imports them",
    }
    where = f" ({found.path})" if found.path else ""
    return f"Keys found in {places.get(found.source, found.source)}{where}."


class KeysScreen(StepScreen):
    STEP = Step.KEYS
    HELP = """\
Numerai API keys come in two parts: a **public id** (32 characters) and a
**secret key** (64 characters). Create them on numer.ai under *Account →
Custom API keys* with the scope **Upload submissions** ticked.

The wizard checks the keys with Numerai before saving them to a file that
only you can read. Environment variables `NUMERAI_PUBLIC_ID` and
`NUMERAI_SECRET_KEY` are used when set, and keys saved by numerai-cli in
`~/.numerai/.keys` are offered for import.

Pasting `PUBLIC$SECRET` into either field works: the wizard splits it.
"""

    def compose_body(self) -> ComposeResult:
        yield Static(
            "Paste the keys of a Numerai API key with the Upload submissions scope.",
            classes="lead",
        )
        yield Static("", id="source", classes="hint")
        with Horizontal(classes="field"):
            yield Label("Public id")
            yield Input(placeholder="32 characters", id="public-id")
        with Horizontal(classes="field"):
            yield Label("Secret key")
            yield Input(
                placeholder="64 characters, shown as dots",
                password=True,
                id="secret-key",
            )
        yield Checkbox(
            "Save the keys for next time (file mode 0600)", value=True, id="save"
        )
        yield Static("", id="result")

    def compose_actions(self) -> ComposeResult:
        yield Button("Check keys", id="check", variant="primary")
        yield Button("Continue", id="continue", variant="success", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        found = self.session.stored_keys()
        if found is not None:
            self.query_one("#public-id", Input).value = found.keys.public_id
            self.query_one("#secret-key", Input).value = found.keys.secret_key
            self.query_one("#source", Static).update(describe_source(found))
            self.query_one("#save", Checkbox).value = found.source != "environment"
            self.query_one("#check", Button).focus()
            self.check_keys()
        else:
            self.query_one("#public-id", Input).focus()
        if self.session.env.demo:
            self.query_one("#save", Checkbox).display = False

    @on(Input.Submitted, "#public-id")
    def next_field(self) -> None:
        self.query_one("#secret-key", Input).focus()

    @on(Input.Submitted, "#secret-key")
    @on(Button.Pressed, "#check")
    def check_keys(self) -> None:
        self.clear_error()
        self.query_one("#check", Button).disabled = True
        self.query_one("#result", Static).update("Checking the keys with Numerai…")
        # The keys go to the worker through attributes, not arguments, because
        # Textual puts a worker's arguments into its description and logs.
        self.entered = (
            self.query_one("#public-id", Input).value,
            self.query_one("#secret-key", Input).value,
        )
        self.validate(self.query_one("#save", Checkbox).value)

    @work(thread=True, exclusive=True, exit_on_error=False, name="keys")
    def validate(self, save: bool) -> None:
        from core.resume import restore_progress

        public_id, secret_key = self.entered
        result = self.session.connect(public_id, secret_key, save=save)
        resume_step, notice = restore_progress(self.session)
        self.post_message(WorkFinished("keys", (result, resume_step, notice)))

    def on_work_finished(self, message: WorkFinished) -> None:
        result, resume_step, notice = message.result
        account = result.account
        lines = [f"Keys valid for account {account.username}."]
        lines.append(f"Scopes: {', '.join(account.scopes) or 'none'}.")
        lines.extend(result.notes)
        self.query_one("#result", Static).update("\n".join(lines))
        # Show the keys as they were used, e.g. after a pasted PUBLIC$SECRET was split.
        keys = self.session.keys
        self.query_one("#public-id", Input).value = keys.public_id
        self.query_one("#secret-key", Input).value = keys.secret_key
        self.query_one("#check", Button).disabled = False
        button = self.query_one("#continue", Button)
        button.disabled = False
        button.focus()
        self.refresh_steps()
        if notice:
            self.notify(notice, timeout=8)
            self.app.show_step(resume_step)

    def after_failure(self, task: str) -> None:
        self.query_one("#result", Static).update("")
        self.query_one("#check", Button).disabled = False
        self.query_one("#continue", Button).disabled = True
        public_id = self.query_one("#public-id", Input)
        # A value this long may contain the secret: do not leave it on screen.
        if len(public_id.value.strip()) > PUBLIC_ID_LENGTH:
            public_id.value = ""
            public_id.focus()
        else:
            self.query_one("#secret-key", Input).focus()

    @on(Button.Pressed, "#continue")
    def continue_(self) -> None:
        self.go_next()
