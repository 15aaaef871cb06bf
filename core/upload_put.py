"""The PUT of a pickle to a presigned URL, streamed from disk with progress."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path

from core.errors import Cancelled, WizardError

log = logging.getLogger(__name__)

CHUNK = 1 << 20
CONNECT_TIMEOUT = 10.0
_S3_MESSAGE = re.compile(r"<Message>(.*?)</Message>", re.S)


class UploadFailed(WizardError):
    """The pickle could not be uploaded; nothing was registered with Numerai."""


class PutRejected(Exception):
    """A failed PUT that may succeed with a fresh URL, after a pause if `retry_delay`."""

    def __init__(self, reason: str, *, retry_delay: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_delay = retry_delay

    def as_failure(self, path: Path) -> UploadFailed:
        return UploadFailed(
            f"Uploading {path.name} failed: {self.reason}.",
            "Nothing was registered with Numerai; try the upload again later.",
        )


class _CancelledRead(Exception):
    pass


class _ProgressFile:
    """A file object that reports bytes read and stops when `cancel` is set.

    `__len__` lets requests send a Content-Length header: presigned URLs
    reject chunked transfer encoding.
    """

    def __init__(
        self,
        handle,
        total: int,
        on_bytes: Callable[[int], None],
        cancel: threading.Event,
    ) -> None:
        self._handle = handle
        self._total = total
        self._on_bytes = on_bytes
        self._cancel = cancel
        self.sent = 0
        self._reported = 0

    def __len__(self) -> int:
        return self._total

    def __iter__(self):
        while chunk := self.read(CHUNK):
            yield chunk

    def read(self, size: int = -1) -> bytes:
        if self._cancel.is_set():
            raise _CancelledRead()
        chunk = self._handle.read(size if size and size > 0 else CHUNK)
        self.sent += len(chunk)
        if self.sent - self._reported >= CHUNK or self.sent == self._total:
            self._reported = self.sent
            self._on_bytes(self.sent)
        return chunk


def put_file(
    url: str,
    path: Path,
    total: int,
    on_bytes: Callable[[int], None],
    cancel: threading.Event,
    timeout: float,
) -> None:
    """PUT `path` to `url`; return on 2xx.

    Raises PutRejected for 403, 5xx, timeouts and connection failures,
    UploadFailed for other statuses and Cancelled when `cancel` is set.
    """
    import requests

    try:
        with open(path, "rb") as handle:
            body = _ProgressFile(handle, total, on_bytes, cancel)
            response = requests.put(
                url,
                data=body,
                headers={"Content-Type": "application/octet-stream"},
                timeout=(CONNECT_TIMEOUT, timeout),
            )
    except (requests.Timeout, requests.ConnectionError, _CancelledRead) as error:
        if cancel.is_set():
            raise Cancelled(
                "Upload cancelled; nothing was registered with Numerai."
            ) from None
        if isinstance(error, requests.Timeout):
            raise PutRejected(
                f"timed out after {timeout:g} s without a response", retry_delay=True
            ) from None
        raise PutRejected(
            f"connection failed ({type(error).__name__})", retry_delay=True
        ) from None
    _check_status(response, path)


def _check_status(response, path: Path) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    match = _S3_MESSAGE.search(response.text or "")
    detail = match.group(1) if match else response.reason
    log.warning("PUT of %s returned HTTP %s: %s", path, status, detail)
    if status == 403:
        raise PutRejected(f"HTTP 403 {detail}", retry_delay=False)
    if status >= 500:
        raise PutRejected(f"HTTP {status} {detail}", retry_delay=True)
    raise UploadFailed(
        f"Uploading {path.name} was rejected with HTTP {status}: {detail}.",
        "Nothing was registered with Numerai; check the file and try again.",
    )
