"""Reading Numerai's validation and trigger statuses of an uploaded pickle."""

from __future__ import annotations

from core.api import UploadInfo

FINAL_VALIDATION = {"success", "failed", "error"}
_WAITING_FOR_ROUND = ("no open round", "next round")


def is_final(info: UploadInfo | None) -> bool:
    """Return True when validation ended (any outcome)."""
    return info is not None and _lower(info.validation_status) in FINAL_VALIDATION


def latest_description(info: UploadInfo) -> str:
    """Return the description of the newest trigger status, or ""."""
    for trigger in reversed(info.triggers):
        for status in reversed(trigger.statuses):
            if status.description:
                return status.description
    return ""


def describe_status(info: UploadInfo | None) -> str:
    """Return a one-line summary of the upload's state, for a person."""
    if info is None:
        return "No model is uploaded to this slot yet."
    validation = _lower(info.validation_status)
    detail = latest_description(info)
    if validation not in FINAL_VALIDATION:
        return (
            f"Uploaded; Numerai is validating the pickle ({validation or 'pending'})."
        )
    if validation != "success":
        reason = detail or "no reason given"
        return f"Numerai could not validate the pickle: {reason}."
    return _describe_runs(info, detail)


def _describe_runs(info: UploadInfo, detail: str) -> str:
    trigger = _lower(
        info.trigger_status or (info.triggers[-1].status if info.triggers else "")
    )
    if not info.triggers or any(p in detail.lower() for p in _WAITING_FOR_ROUND):
        return "Validated; runs at the next round."
    if trigger in ("success", "succeeded"):
        return "Validated; the last run succeeded."
    if trigger in ("failed", "error"):
        return f"Validated, but the last run failed: {detail or trigger}."
    return f"Validated; the current run is {trigger or 'pending'}."


def _lower(value: str | None) -> str:
    return (value or "").strip().lower()
