"""The headless upload: keys, slot checks, consent, upload and status, in order.

`numerai-wizard upload` calls `run_upload`. It prints through `echo` and gets
confirmations through `confirm`, so it runs the same under click and in tests.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import enable, upload
from core.api import NumeraiClient
from core.errors import WizardError
from core.keys import FoundKeys, Keys, find_keys, validate_keys

log = logging.getLogger(__name__)
DEMO_PROFILE = "demo"
# NumeraiClient settings for the command; tests shorten the retry backoff.
CLIENT_DEFAULTS = {"timeout": 30.0, "retries": 3, "backoff": 1.0}


@dataclass(frozen=True)
class UploadRequest:
    pickle_path: Path
    model_name: str
    data_version: str | None = None
    assume_yes: bool = False
    remove_webhook: bool = False
    status_timeout: float = 60.0
    status_interval: float = 2.0
    run_sandbox: bool = True


class UploadRefused(WizardError):
    """A check before the upload failed: keys, slot, consent or validation."""


def run_upload(
    request: UploadRequest,
    api_url: str,
    profile: str,
    *,
    echo: Callable[[str], None],
    confirm: Callable[[str], bool],
    client_options: dict | None = None,
) -> str:
    """Upload `request.pickle_path` and follow its validation; return the upload id."""
    if not request.pickle_path.is_file():
        raise UploadRefused(
            f"Pickle file not found: {request.pickle_path}", "Check the path."
        )
    keys = _keys_for(profile)
    client = NumeraiClient(keys, api_url, **(client_options or CLIENT_DEFAULTS))
    account = validate_keys(client)
    status = _find_slot(account, request)
    # The sandbox runs after the cheap checks and before anything changes.
    report = _sandbox_check(request, echo) if request.run_sandbox else None
    slot = _clear_webhook(client, status, request, confirm)
    _ensure_consent(profile, account.username, request.assume_yes, confirm)

    manifest = _manifest(request.pickle_path)
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    found = report.python if report is not None else None
    python = manifest.get("python") or found or running
    preferred = request.data_version or manifest.get("data_version")
    image = upload.choose_docker_image(client.docker_images(), python)
    version = upload.choose_data_version(client.data_versions(), preferred)

    upload_id = upload.upload_pickle(
        client,
        request.pickle_path,
        slot.id,
        data_version_id=version.id,
        docker_image_id=image.id,
    )
    upload.remember_upload(
        profile,
        model_name=slot.name,
        model_id=slot.id,
        data_version=version.name,
        docker_image=image.name,
        upload_id=upload_id,
    )
    echo(
        f"Uploaded {request.pickle_path.name} to {slot.name} ({image.name}, "
        f"data {version.name}) as upload {upload_id}."
    )
    try:
        info = upload.poll_upload_status(
            client,
            slot.id,
            upload_id=upload_id,
            interval=request.status_interval,
            timeout=request.status_timeout,
        )
    except KeyboardInterrupt:
        echo(
            f"Stopped waiting for validation; upload {upload_id} is done and "
            "Numerai validates it anyway."
        )
        return upload_id
    echo(upload.describe_status(info))
    if info is not None and (info.validation_status or "").lower() in (
        "failed",
        "error",
    ):
        raise UploadRefused(
            f"Numerai rejected upload {upload_id}: {upload.describe_status(info)}",
            "Check the Python and library versions of the pickle, then upload again.",
        )
    return upload_id


def _sandbox_check(request: UploadRequest, echo: Callable[[str], None]):
    """Run the pickle as Numerai's runner would; refuse to upload on a fail verdict."""
    from core.sandbox import run_sandbox
    from core.summaries import report_summary

    report = run_sandbox(request.pickle_path)
    echo(f"Sandbox: {report_summary(report)}")
    if report.verdict == "fail":
        raise UploadRefused(
            f"The sandbox rejected {request.pickle_path.name}: {report.reasons[0].message}",
            "Run `numerai-wizard check PICKLE` for the whole report and fix the "
            "pickle; nothing was uploaded.",
        )
    return report


def _keys_for(profile: str) -> Keys:
    if profile == DEMO_PROFILE:
        from core.demo import DEMO_PUBLIC_ID, DEMO_SECRET_KEY

        return Keys(DEMO_PUBLIC_ID, DEMO_SECRET_KEY)
    found: FoundKeys | None = find_keys()
    if found is None:
        raise UploadRefused(
            "No Numerai API keys found.",
            "Set NUMERAI_PUBLIC_ID and NUMERAI_SECRET_KEY, or run numerai-wizard "
            "once to enter and save them.",
        )
    log.info("using API keys from %s", found.source)
    return found.keys


def _find_slot(account, request: UploadRequest):
    statuses = enable.check_slots(account)
    status = next((s for s in statuses if s.slot.name == request.model_name), None)
    if status is None:
        names = ", ".join(s.slot.name for s in statuses) or "none"
        other = next((m for m in account.models if m.name == request.model_name), None)
        reason = "is not a Classic model" if other else "was not found"
        raise UploadRefused(
            f"Model {request.model_name!r} {reason}; Classic slots of "
            f"{account.username}: {names}.",
            "Pass one of those with --model.",
        )
    return status


def _clear_webhook(client, status, request: UploadRequest, confirm):
    if status.needs_webhook_removal:
        warning = enable.webhook_removal_warning(status.slot)
        confirmed = request.remove_webhook or confirm(f"{warning} Remove it?")
        if not confirmed:
            raise UploadRefused(
                f"Model {status.slot.name} has a Numerai Compute webhook, "
                "so it takes no upload.",
                "Pass --remove-webhook to remove it (your Compute node stops being "
                "triggered for this model), or choose another slot.",
            )
        enable.remove_webhook(client, status.slot, confirmed=True)
    return status.slot


def _ensure_consent(profile: str, username: str, assume_yes: bool, confirm) -> None:
    if enable.disclosure_accepted(profile, username):
        return
    if not (assume_yes or confirm(f"{enable.DISCLOSURE}\nUpload anyway?")):
        raise UploadRefused(
            "Upload not confirmed: Numerai can read an uploaded model.",
            "Pass --yes to accept this, or keep the model private with another "
            "automation path.",
        )
    enable.accept_disclosure(profile, username)


def _manifest(pickle_path: Path) -> dict:
    from core.export import read_manifest

    return read_manifest(pickle_path) or {}
