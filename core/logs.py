"""Logging to one file per run in the user log directory, secrets redacted."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from core import paths

KEEP_LOG_FILES = 10
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_current_log: Path | None = None


def register_secret(value: str | None) -> None:
    """Redact `value` from every log record written from now on."""
    if value and len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class RedactingFilter(logging.Filter):
    """Replaces every registered secret in a record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        record.msg = message
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info)
            )
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def current_log_file() -> Path | None:
    """Return the log file of this run, or None before `setup_logging`."""
    return _current_log


def setup_logging(level: int = logging.INFO) -> Path:
    """Send this run's log to a new file and prune all but the newest files."""
    global _current_log
    if _current_log is not None:
        return _current_log

    directory = paths.log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log_file = directory / f"wizard-{stamp}-{os.getpid()}.log"
    # Account names and model ids are in the log: readable by the owner only.
    log_file.touch(mode=0o600)

    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _prune(directory)
    _current_log = log_file
    return log_file


def _prune(directory: Path) -> None:
    files = sorted(directory.glob("wizard-*.log"), key=lambda p: p.stat().st_mtime)
    for old in files[:-KEEP_LOG_FILES]:
        try:
            old.unlink()
        except OSError:
            pass
