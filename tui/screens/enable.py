"""Step 2: choose a Classic model slot that can take an upload, and consent."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Button, Checkbox, OptionList, Static
from textual.widgets.option_list import Option

from core.steps import Step
from tui.messages import WorkFinished
from tui.screens.base import StepScreen


def describe_slot(status) -> str:
    if status.ready:
        upload = status.existing_upload
        if upload is not None:
            return f"{status.slot.name}: ready (replaces {upload.filename}, {upload.validation_status})"
        return f"{status.slot.name}: ready"
    return f"{status.slot.name}: {'; '.join(status.blockers)}"


class EnableScreen(StepScreen):
    STEP = Step.ENABLE
    HELP = """\
Model Uploads work on **Classic** tournament slots. A slot that is
triggered by a Numerai Compute webhook (your own cloud node) cannot take an
upload until the webhook is removed, and removing it stops your cloud node
from being triggered.

Numerai runs an uploaded model in its own container every round. To do
that it unpickles the file, so **Numerai can read the whole pipeline**.
If the model must stay private, automate it with Numerai Compute on your
own cloud or with your own daily job instead.
"""

    def compose_body(self) -> ComposeResult:
        yield Static("Choose the model slot the upload goes to.", classes="lead")
        yield OptionList(id="slots")
        yield Static("", id="disclosure", classes="notice")
        yield Checkbox(
            "I understand that Numerai can read my uploaded pipeline", id="consent"
        )

    def compose_actions(self) -> ComposeResult:
        yield Button("Use this slot", id="use", variant="primary")
        yield Button(
            "Remove webhook", id="remove-webhook", variant="warning", disabled=True
        )
        yield Button("Re-check", id="recheck")

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.show_slots()

    def show_slots(self, highlight: str | None = None) -> None:
        """List the slots, highlighting `highlight`, else the last chosen or first ready one."""
        from core.enable import DISCLOSURE

        slots = self.query_one("#slots", OptionList)
        slots.clear_options()
        statuses = self.session.slot_statuses()
        for status in statuses:
            slots.add_option(Option(describe_slot(status), id=status.slot.name))
        if not statuses:
            self.show_error(
                "This account has no Classic model slot. Create one on numer.ai under Models, then Re-check."
            )
            return
        chosen = (
            self.session.slot.name
            if self.session.slot
            else self.session.state.model_name
        )
        names = [s.slot.name for s in statuses]
        ready = [s.slot.name for s in statuses if s.ready]
        if highlight in names:
            preferred = highlight
        elif chosen in names:
            preferred = chosen
        elif ready:
            preferred = ready[0]
        else:
            preferred = names[0]
        slots.highlighted = names.index(preferred)
        needs_consent = self.session.disclosure_needed()
        self.query_one("#disclosure", Static).update(
            DISCLOSURE
            if needs_consent
            else "Disclosure already acknowledged for this account."
        )
        consent = self.query_one("#consent", Checkbox)
        consent.display = needs_consent
        slots.focus()

    def _highlighted_status(self):
        slots = self.query_one("#slots", OptionList)
        if slots.highlighted is None:
            return None
        name = slots.get_option_at_index(slots.highlighted).id
        return next(
            (s for s in self.session.slot_statuses() if s.slot.name == name), None
        )

    @on(OptionList.OptionHighlighted, "#slots")
    def slot_highlighted(self) -> None:
        status = self._highlighted_status()
        needs_removal = bool(status and status.needs_webhook_removal)
        self.query_one("#remove-webhook", Button).disabled = not needs_removal

    @on(OptionList.OptionSelected, "#slots")
    def slot_selected(self) -> None:
        consent = self.query_one("#consent", Checkbox)
        if consent.display and not consent.value:
            consent.focus()
        else:
            self.query_one("#use", Button).focus()

    @on(Checkbox.Changed, "#consent")
    def consent_changed(self, event: Checkbox.Changed) -> None:
        if event.value:
            self.query_one("#use", Button).focus()

    @on(Button.Pressed, "#use")
    def use_slot(self) -> None:
        self.clear_error()
        status = self._highlighted_status()
        if status is None:
            return
        consent = self.query_one("#consent", Checkbox)
        if consent.display:
            if not consent.value:
                self.show_error(
                    "Tick the box to confirm you understand that Numerai can read the upload."
                )
                consent.focus()
                return
            self.session.accept_disclosure()
        if not self.attempt(self.session.choose_slot, status.slot.name):
            return
        self.refresh_steps()
        self.go_next()

    @on(Button.Pressed, "#remove-webhook")
    def ask_remove_webhook(self) -> None:
        from tui.screens.modals import ConfirmScreen

        status = self._highlighted_status()
        if status is None:
            return
        question = (
            f"Remove the webhook of {status.slot.name}?\n\n"
            f"{status.slot.webhook}\n\nYour Numerai Compute cloud node will stop "
            "being triggered for this model."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_webhook(status.slot.name)

        self.app.push_screen(
            ConfirmScreen(question, "Remove webhook", "Keep it"), answered
        )

    @work(thread=True, exclusive=True, exit_on_error=False, name="webhook")
    def remove_webhook(self, name: str) -> None:
        self.session.remove_webhook(name, confirmed=True)
        self.post_message(WorkFinished("webhook", name))

    @on(Button.Pressed, "#recheck")
    def recheck(self) -> None:
        self.clear_error()
        self.refresh_account()

    @work(thread=True, exclusive=True, exit_on_error=False, name="recheck")
    def refresh_account(self) -> None:
        self.session.refresh_account()
        self.post_message(WorkFinished("recheck"))

    def on_work_finished(self, message: WorkFinished) -> None:
        self.clear_error()
        self.show_slots(highlight=message.result)
        if message.task == "webhook":
            self.notify(f"Webhook removed: {message.result} can take an upload now.")
