"""Step 6: a summary, a confirmation, the streamed upload and Numerai's status."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from core.steps import Step
from core.summaries import format_bytes
from tui.messages import WorkFinished, WorkProgressed
from tui.screens.base import StepScreen
from tui.widgets.work_progress import WorkProgress


class UploadScreen(StepScreen):
    STEP = Step.UPLOAD
    HELP = """\
The upload goes in three checked steps: Numerai gives a one-time upload
address, the file is streamed there, and only when that succeeded is the
upload registered for the model slot, with the data version and the
runner's Python version named explicitly (a pickle run on another Python
crashes).

Numerai then validates the pickle. *Validated, runs at the next round*
means it is ready: Numerai runs it every round from now on.
"""
    BINDINGS = StepScreen.BINDINGS + [Binding("c", "cancel", "Cancel upload")]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary")
        yield Static("", id="next-action")
        yield WorkProgress(id="progress")
        yield Static("", id="status")

    def compose_actions(self) -> ComposeResult:
        yield Button("Upload", id="upload", variant="primary", disabled=True)
        yield Button("Refresh status", id="refresh", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(WorkProgress).display = False

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if not self.busy:
            self.query_one("#summary", Static).update(
                "Asking Numerai for the upload choices…"
            )
            self.load_choices()

    @work(thread=True, exclusive=True, exit_on_error=False, name="choices")
    def load_choices(self) -> None:
        choices = self.session.upload_choices()
        self.post_message(WorkFinished("choices", choices))

    def on_work_finished(self, message: WorkFinished) -> None:
        {
            "choices": self._show_summary,
            "upload": self._uploaded,
            "status": self._show_status,
        }[message.task](message.result)

    def _show_summary(self, choices) -> None:
        version, image = choices
        session = self.session
        path = session.pickle_path
        report = session.report
        verdict = report.verdict.upper() if report else "not run"
        self.query_one("#summary", Static).update(
            f"Model slot:    {session.slot.name}\n"
            f"Pickle:        {path.name} ({format_bytes(path.stat().st_size)})\n"
            f"sha256:        {session.state.pickle_sha256[:16]}…\n"
            f"Runner:        {image.name} (matches the pickle's Python {session.pickle_python()})\n"
            f"Data version:  {version.name}\n"
            f"Sandbox:       {verdict}"
        )
        self.query_one("#next-action", Static).update(
            "\nPress Upload to send it to Numerai."
        )
        button = self.query_one("#upload", Button)
        button.disabled = False
        button.focus()

    @on(Button.Pressed, "#upload")
    def confirm_upload(self) -> None:
        from tui.screens.modals import ConfirmScreen

        question = (
            f"Upload {self.session.pickle_path.name} to {self.session.slot.name}?\n\n"
            "Numerai will run it every round from now on, replacing the slot's current upload."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.start_upload()

        self.app.push_screen(ConfirmScreen(question, "Upload", "Not now"), answered)

    def start_upload(self) -> None:
        self.clear_error()
        self.cancel_event.clear()
        self.query_one("#upload", Button).disabled = True
        total = self.session.pickle_path.stat().st_size
        self.query_one(WorkProgress).start(
            "Asking Numerai for an upload address…", total
        )
        self.upload()

    @work(thread=True, exclusive=True, exit_on_error=False, name="upload")
    def upload(self) -> None:
        upload_id = self.session.upload(
            progress=lambda p: self.post_message(WorkProgressed(p)),
            cancel=self.cancel_event,
        )
        self.post_message(WorkFinished("upload", upload_id))
        info = self.session.poll_upload(
            progress=lambda info: self.post_message(WorkProgressed(info)),
            cancel=self.cancel_event,
        )
        self.post_message(WorkFinished("status", info))

    def on_work_progressed(self, message: WorkProgressed) -> None:
        payload = message.payload
        if hasattr(payload, "bytes_sent"):
            self.query_one(WorkProgress).advance_to(
                payload.bytes_sent,
                payload.total,
                f"{payload.stage}: {format_bytes(payload.bytes_sent)} of "
                f"{format_bytes(payload.total)} at {format_bytes(payload.rate)}/s · c cancels",
            )
        else:
            self._show_status(payload, final=False)

    @property
    def quit_question(self) -> str:
        """Return the question Ctrl+Q asks while this screen's work runs."""
        if self.session.upload_id:
            return (
                "The upload is done; only the wait for Numerai's validation is "
                "running. Stop waiting and quit? The status can be checked later."
            )
        return "The upload is still running. Stop it and quit? Nothing is registered."

    def _uploaded(self, upload_id: str) -> None:
        self.query_one("#next-action", Static).update("")
        self.query_one(WorkProgress).finish(
            f"Uploaded (upload id {upload_id}). Waiting for validation…"
        )

    def _show_status(self, info, final: bool = True) -> None:
        from core.upload import describe_status

        text = f"Numerai: {describe_status(info)}"
        if final:
            text += "\n\nDone. Ctrl+Q quits; re-run the wizard to upload a new model."
            if self.session.upload_id:
                self.query_one(WorkProgress).update_status(
                    f"Uploaded (upload id {self.session.upload_id})."
                )
        self.query_one("#status", Static).update(text)
        self.query_one("#refresh", Button).disabled = False
        if final:
            self.refresh_steps()

    @on(Button.Pressed, "#refresh")
    def refresh_status(self) -> None:
        self.poll_again()

    @work(thread=True, exclusive=True, exit_on_error=False, name="status")
    def poll_again(self) -> None:
        info = self.session.poll_upload()
        self.post_message(WorkFinished("status", info))

    def action_cancel(self) -> None:
        if self.busy:
            self.stop_work()
            self.query_one(WorkProgress).update_status("Cancelling…")

    def after_failure(self, task: str) -> None:
        self.query_one(WorkProgress).display = False
        self.query_one("#upload", Button).disabled = task == "choices"
