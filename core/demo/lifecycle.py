"""Validation of uploaded pickles and the statuses an upload goes through.

After the create mutation an upload reads "pending", then "validating",
then "success" or "failed", over `Store.validation_seconds`. The file is
checked by walking its pickle opcodes with `pickletools`; nothing is ever
unpickled. After validation the upload gets one trigger: a failed one that
carries the reason, or one that waits for the next round, as the live
service reports outside round windows.
"""

from __future__ import annotations

import logging
import pickletools
import threading
import time
import uuid
from pathlib import Path

from core.demo.store import PickleRecord, TriggerRecord, now_iso

NO_OPEN_ROUND = "No open round, will run at the next round"
INVALID_PICKLE = "Invalid pickle file: {reason}"
log = logging.getLogger(__name__)


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


SEGFAULT = (
    "Segmentation fault! Ensure python and library versions match our environment."
)


def start_runner_validation(
    record: PickleRecord, path: Path, python: str, live: Path | None
) -> bool:
    """Run the pickle in the sandbox for `python` in a thread; False when no runner is ready.

    The outcome replaces `record.valid` and `record.failure_description`,
    worded like the statuses Numerai shows for a failed run.
    """
    from core.sandbox import envs

    if envs.available_env(python) is None:
        log.info(
            "no ready runner for Python %s; upload %s is only checked statically",
            python,
            record.id,
        )
        return False
    record.running = True
    thread = threading.Thread(
        target=_run_validation, args=(record, path, python, live), daemon=True
    )
    thread.start()
    return True


def _run_validation(
    record: PickleRecord, path: Path, python: str, live: Path | None
) -> None:
    from core.errors import WizardError
    from core.sandbox import run_sandbox

    try:
        report = run_sandbox(path, python=python, live_path=live)
        failures = [r for r in report.reasons if r.severity == "fail"]
        if failures:
            record.valid = False
            record.failure_description = _runner_wording(failures[0])
    except WizardError as error:
        log.warning("validation run of upload %s failed: %s", record.id, error)
        record.valid = False
        record.failure_description = error.one_line()
    finally:
        record.running = False


def _runner_wording(reason) -> str:
    if reason.code in ("crash", "crash_after_load", "wrong_python_version"):
        return SEGFAULT
    return f"Invalid submission: {reason.message}"


def validation_status(record: PickleRecord, seconds: float) -> str:
    """Return the status of `record` now, adding its trigger once it succeeded."""
    if record.fixed_validation_status:
        return record.fixed_validation_status
    elapsed = time.monotonic() - record.created_monotonic
    if elapsed < seconds / 3:
        return "pending"
    if elapsed < seconds or record.running:
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
