"""Validation of uploaded pickles and the statuses an upload goes through.

After the create mutation an upload reads "pending", then "validating",
then "success" or "failed", over `Store.validation_seconds`. The file is
checked by walking its pickle opcodes with `pickletools`; nothing is ever
unpickled. After validation the upload gets one trigger: a failed one that
carries the reason, or one that waits for the next round, as the live
service reports outside round windows.
"""

from __future__ import annotations

import pickletools
import time
import uuid
from pathlib import Path

from core.demo.store import PickleRecord, TriggerRecord, now_iso

NO_OPEN_ROUND = "No open round, will run at the next round"
INVALID_PICKLE = "Invalid pickle file: {reason}"


def check_pickle(path: Path) -> tuple[bool, str]:
    """Walk the opcodes of `path`; return (valid, failure description)."""
    last = None
    try:
        with open(path, "rb") as handle:
            for opcode, _arg, _pos in pickletools.genops(handle):
                last = opcode.name
    except (ValueError, EOFError, OSError) as error:
        return False, INVALID_PICKLE.format(reason=error)
    if last != "STOP":
        return False, INVALID_PICKLE.format(reason="the stream has no STOP opcode")
    return True, ""


def validation_status(record: PickleRecord, seconds: float) -> str:
    """Return the status of `record` now, adding its trigger once it succeeded."""
    if record.fixed_validation_status:
        return record.fixed_validation_status
    elapsed = time.monotonic() - record.created_monotonic
    if elapsed < seconds / 3:
        return "pending"
    if elapsed < seconds:
        return "validating"
    if not record.valid:
        if not record.triggers:
            record.triggers.append(_trigger("failed", record.failure_description))
        return "failed"
    if not record.triggers:
        record.triggers.append(_trigger("pending", NO_OPEN_ROUND))
    return "success"


def _trigger(status: str, description: str) -> TriggerRecord:
    stamp = now_iso()
    entry = {"status": status, "description": description, "insertedAt": stamp}
    return TriggerRecord(
        id=str(uuid.uuid4()), status=status, statuses=[entry], inserted_at=stamp
    )
