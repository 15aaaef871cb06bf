"""Streaming downloads of Numerai data files, resumable and size-checked.

Each file streams into `<name>.part` beside its destination and is renamed
into place only when its size matches the server's. A cut connection is
resumed with an HTTP Range request; a cancel leaves the `.part` file so
the next run resumes it. TLS certificates are always verified.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import paths
from core.errors import Cancelled, WizardError

log = logging.getLogger(__name__)

# A cut connection loses the chunk being read, so chunks stay small.
CHUNK_BYTES = 256 * 1024
# (connect, read) timeouts in seconds for each request.
TIMEOUT_S = (15, 60)
# Attempts per file, counting the first; each new attempt resumes the .part file.
MAX_ATTEMPTS = 5
RETRY_DELAY_S = 1.0
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class DownloadError(WizardError):
    """A data file that could not be downloaded completely."""


@dataclass
class DownloadProgress:
    """Bytes done of one file; `rate` in bytes per second, `eta` in seconds or None."""

    name: str
    done_bytes: int
    total_bytes: int | None
    rate: float
    eta: float | None


def download_files(
    url_for: Callable[[str], str],
    names: list[str],
    dest_dir: Path,
    *,
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[Path]:
    """Download each dataset name (such as "v5.2/train.parquet") to `dest_dir/<name>`.

    `url_for(name)` returns a download URL for a name and is called again
    before every attempt, because presigned URLs expire. Files already
    complete are not downloaded again. Returns the final paths in order.
    """
    import requests

    with requests.Session() as session:
        return [
            _download_one(
                session, url_for, name, Path(dest_dir) / name, progress, cancel
            )
            for name in names
        ]


def sidecar_path(final: Path) -> Path:
    """Return the file that records a finished download's size."""
    return final.with_name(f".{final.name}.download.json")


def _download_one(session, url_for, name, final: Path, progress, cancel) -> Path:
    import requests

    final.parent.mkdir(parents=True, exist_ok=True)
    part = final.with_name(final.name + ".part")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        _check_cancel(cancel, name)
        url = url_for(name)
        try:
            if _already_complete(session, url, final):
                log.info("Download skipped, %s is complete", final)
                return final
            total = _fetch_into(session, url, name, part, progress, cancel)
            _finish(part, final, total)
            return final
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ) as error:
            log.warning(
                "Download of %s interrupted (attempt %s/%s): %s",
                name,
                attempt,
                MAX_ATTEMPTS,
                error,
            )
            if attempt == MAX_ATTEMPTS:
                raise DownloadError(
                    f"Download of {name} failed after {MAX_ATTEMPTS} attempts ({type(error).__name__}).",
                    "Check the network connection and run the step again; the partial file is kept and resumed.",
                ) from None
            time.sleep(RETRY_DELAY_S * attempt)
    raise AssertionError("unreachable")


def _check_cancel(cancel, name: str) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled(
            f"Download of {name} was cancelled; the partial file is kept for resuming."
        )


def _already_complete(session, url: str, final: Path) -> bool:
    """Return True when `final` exists with the size the server reports.

    The size comes from a one-byte Range GET, because presigned GET URLs
    reject HEAD. When the server gives no size, the sidecar of an earlier
    complete download decides.
    """
    if not final.is_file():
        return False
    size = final.stat().st_size
    remote = _remote_size(session, url)
    if remote is not None:
        return remote == size
    try:
        recorded = json.loads(sidecar_path(final).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and recorded.get("size") == size


def _remote_size(session, url: str) -> int | None:
    with session.get(
        url, headers={"Range": "bytes=0-0"}, stream=True, timeout=TIMEOUT_S
    ) as response:
        if response.status_code == 206:
            match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
            if match and match.group(3) != "*":
                return int(match.group(3))
            return None
        if response.status_code == 200 and "Content-Length" in response.headers:
            return int(response.headers["Content-Length"])
        return None


def _fetch_into(session, url, name, part: Path, progress, cancel) -> int | None:
    """Stream `url` into `part`, resuming from its current size; return the total size."""
    offset = part.stat().st_size if part.is_file() else 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    with session.get(url, headers=headers, stream=True, timeout=TIMEOUT_S) as response:
        if response.status_code == 416 and offset:
            return _total_from_416(response, offset, part)
        _raise_for_status(response, name)
        total, mode = _resume_plan(response, offset)
        if mode == "wb":
            offset = 0
        meter = _Meter(name, offset, total, progress)
        with open(part, mode) as handle:
            for chunk in response.iter_content(CHUNK_BYTES):
                _check_cancel(cancel, name)
                handle.write(chunk)
                meter.add(len(chunk))
            handle.flush()
            os.fsync(handle.fileno())
        meter.report(force=True)
    return total


def _total_from_416(response, offset: int, part: Path) -> int | None:
    # A 416 with "bytes */N" means the .part file already has N bytes, or more if corrupt.
    match = re.match(r"bytes \*/(\d+)", response.headers.get("Content-Range", ""))
    total = int(match.group(1)) if match else None
    if total != offset:
        part.unlink(missing_ok=True)
    return total


def _resume_plan(response, offset: int) -> tuple[int | None, str]:
    """Return (total size, file mode): append on 206, rewrite when the Range was ignored."""
    if response.status_code == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if not match or int(match.group(1)) != offset:
            raise DownloadError(
                f"Server returned with an unexpected range ({response.headers.get('Content-Range')!r}).",
                "Delete the .part file and download again.",
            )
        return (None if match.group(3) == "*" else int(match.group(3))), "ab"
    length = response.headers.get("Content-Length")
    return (int(length) if length is not None else None), "wb"


def _raise_for_status(response, name: str) -> None:
    if response.status_code in (200, 206):
        return
    hint = "The download link may have expired; run the step again."
    if response.status_code == 404:
        hint = "Check the data version name."
    raise DownloadError(
        f"Download of {name} failed with HTTP {response.status_code}.", hint
    )


def _finish(part: Path, final: Path, total: int | None) -> None:
    size = part.stat().st_size if part.is_file() else -1
    if total is not None and size != total:
        # A short file resumes on the next attempt; a long one cannot be trusted.
        if size > total:
            part.unlink(missing_ok=True)
        raise _short_read(final.name, size, total)
    os.replace(part, final)
    paths.atomic_write_text(sidecar_path(final), json.dumps({"size": size}) + "\n")
    log.info("Downloaded %s (%s bytes)", final, size)


def _short_read(name: str, size: int, total: int):
    import requests

    return requests.exceptions.ChunkedEncodingError(
        f"{name}: got {size} of {total} bytes"
    )


class _Meter:
    """Rate and ETA for one file, sent at most every 0.2 s."""

    def __init__(self, name: str, done: int, total: int | None, progress) -> None:
        self.name, self.done, self.total, self.progress = name, done, total, progress
        self.start_done = done
        self.started = time.monotonic()
        self.last = 0.0

    def add(self, count: int) -> None:
        self.done += count
        self.report()

    def report(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.progress is None or (not force and now - self.last < 0.2):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = (self.done - self.start_done) / elapsed
        eta = (
            (self.total - self.done) / rate
            if self.total is not None and rate > 0
            else None
        )
        self.progress(DownloadProgress(self.name, self.done, self.total, rate, eta))


# Files a data version may lack without stopping training or the sandbox.
OPTIONAL_FILES = ("live_benchmark_models.parquet",)


def fetch_version_files(
    client,
    version: str,
    filenames: list[str],
    dest_dir: Path,
    *,
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Download `version`'s files through the API's dataset URLs; return `dest_dir/version`.

    Raises `DownloadError` when the API does not list a required file.
    """
    wanted = [f"{version}/{name}" for name in filenames]
    available = set(client.list_datasets())
    required = [
        name
        for name in wanted
        if name not in available and not name.endswith(OPTIONAL_FILES)
    ]
    if required:
        raise DownloadError(
            f"The API does not list {', '.join(required)}.",
            "Choose another data version.",
        )
    present = [name for name in wanted if name in available]
    download_files(
        client.dataset_url, present, dest_dir, progress=progress, cancel=cancel
    )
    return Path(dest_dir) / version
