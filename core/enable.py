"""Slot readiness for model uploads, webhook removal, and the privacy disclosure."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core import state
from core.api import (
    CLASSIC_TOURNAMENT,
    Account,
    ApiConnectionError,
    ApiError,
    ApiTimeout,
    KeysRejected,
    ModelSlot,
    ServerError,
    UploadInfo,
)
from core.errors import WizardError

log = logging.getLogger(__name__)

DISCLOSURE = (
    "Numerai runs an uploaded model by unpickling it on its own servers, so "
    "Numerai can load and read your whole pipeline: the model, its parameters, "
    "the feature list and any code inside the pickle. If your model must stay "
    "private, do not upload it: automate it with Numerai Compute on your own "
    "cloud account, or run your own daily job that submits predictions."
)
WEBHOOK_BLOCKER = (
    "A Numerai Compute webhook is set on this slot; Numerai accepts no upload "
    "until it is removed."
)


@dataclass(frozen=True)
class SlotStatus:
    """A Classic slot and whether it can take an upload now."""

    slot: ModelSlot
    blockers: list[str]
    ready: bool
    needs_webhook_removal: bool
    existing_upload: UploadInfo | None


class ConfirmationRequired(WizardError):
    """An action that changes the account was called without confirmation."""


class UploadsUnavailable(WizardError):
    """Numerai rejected the model-upload queries for this account or key."""


def check_slots(account: Account) -> list[SlotStatus]:
    """Return the status of each Classic slot, in the account's order."""
    return [
        _slot_status(s) for s in account.models if s.tournament == CLASSIC_TOURNAMENT
    ]


def _slot_status(slot: ModelSlot) -> SlotStatus:
    blockers = [WEBHOOK_BLOCKER] if slot.webhook else []
    return SlotStatus(
        slot=slot,
        blockers=blockers,
        ready=not blockers,
        needs_webhook_removal=bool(slot.webhook),
        existing_upload=slot.upload,
    )


def disclosure_accepted(api_url: str, username: str) -> bool:
    return username in state.load_state(api_url).disclosure_accepted


def accept_disclosure(api_url: str, username: str) -> None:
    """Remember that `username` acknowledged `DISCLOSURE` for this API address."""
    saved = state.load_state(api_url)
    if username not in saved.disclosure_accepted:
        saved.disclosure_accepted.append(username)
        state.save_state(api_url, saved)
        log.info("disclosure accepted for account %s", username)


def webhook_removal_warning(slot: ModelSlot) -> str:
    return (
        f"Removing the webhook of {slot.name} stops Numerai from triggering your "
        f"Numerai Compute node ({slot.webhook}) for this model."
    )


def remove_webhook(client, slot: ModelSlot, *, confirmed: bool) -> None:
    """Remove the slot's submission webhook; `confirmed` must be True.

    Raises ConfirmationRequired with `webhook_removal_warning` otherwise.
    """
    if not confirmed:
        raise ConfirmationRequired(
            webhook_removal_warning(slot),
            "Confirm the removal to let this slot take a model upload.",
        )
    client.remove_webhook(slot.id)
    log.info("removed the submission webhook of model %s (%s)", slot.name, slot.id)


def check_upload_access(client) -> None:
    """Query the model-upload choices once; raise UploadsUnavailable when rejected."""
    try:
        client.data_versions()
        client.docker_images()
    except ApiError as error:
        if isinstance(
            error, (ApiConnectionError, ApiTimeout, KeysRejected, ServerError)
        ):
            raise
        raise UploadsUnavailable(
            f"Numerai rejected the model upload queries: {error.message}",
            "Open numer.ai > Models, choose a Classic model and enable "
            "'Upload model' there (Numerai may ask you to accept its terms), "
            "then check again.",
        ) from error
