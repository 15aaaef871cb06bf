"""Uploading a pickle to a model slot and following Numerai's validation.

The upload runs in the three steps of numerapi 3.1.1's `model_upload`, with
checks that it lacks. First the auth query returns a presigned URL. Then the
file is streamed from disk in a PUT whose status must be 2xx. Only then does
the create mutation register the file with the slot.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import state
from core.api import DataVersion, DockerImage, NumeraiClient, UploadInfo
from core.errors import Cancelled, WizardError
from core.upload_put import PutRejected, UploadFailed, put_file
from core.upload_status import describe_status, is_final

log = logging.getLogger(__name__)

__all__ = [
    "UnsupportedChoice",
    "UploadFailed",
    "UploadProgress",
    "choose_data_version",
    "choose_docker_image",
    "describe_status",
    "poll_upload_status",
    "remember_upload",
    "upload_pickle",
]


@dataclass(frozen=True)
class UploadProgress:
    """Progress of an upload: `stage` "auth", "upload" or "create", `rate` in bytes/s."""

    stage: str
    bytes_sent: int
    total: int
    rate: float


class UnsupportedChoice(WizardError):
    """Numerai does not offer the requested Python version or data version."""


def choose_docker_image(images: list[DockerImage], python: str) -> DockerImage:
    """Return the runner image for Python `python` ("3.11"); never guess another."""
    for image in images:
        if image.python == python:
            return image
    offered = ", ".join(sorted(i.python for i in images if i.python)) or "none"
    raise UnsupportedChoice(
        f"Numerai offers no runner for Python {python} (offered: {offered}).",
        "Build the pickle with one of the offered Python versions: a pickle "
        "from another version fails to load in Numerai's runner.",
    )


def choose_data_version(
    versions: list[DataVersion], preferred: str | None
) -> DataVersion:
    """Return the version named or identified by `preferred`, else Numerai's default."""
    if preferred:
        for version in versions:
            if preferred in (version.name, version.id):
                return version
        offered = ", ".join(v.name for v in versions) or "none"
        raise UnsupportedChoice(
            f"Numerai does not offer data version {preferred} for model uploads "
            f"(offered: {offered}).",
            "Train on an offered data version, or choose one with --data-version.",
        )
    for version in versions:
        if version.default:
            return version
    if versions:
        return versions[-1]
    raise UnsupportedChoice(
        "Numerai lists no data versions for model uploads.", "Try again later."
    )


def upload_pickle(
    client: NumeraiClient,
    pickle_path: Path | str,
    model_id: str,
    *,
    data_version_id: str,
    docker_image_id: str,
    progress: Callable[[UploadProgress], None] | None = None,
    cancel: threading.Event | None = None,
    put_attempts: int = 3,
    put_timeout: float = 120.0,
) -> str:
    """Upload `pickle_path` to the slot `model_id`; return Numerai's upload id.

    A 5xx or timed-out PUT is retried on the same URL; a 403 or an expired
    URL gets a fresh one. Raises UploadFailed, Cancelled or an ApiError; the
    create mutation runs only after a 2xx PUT.
    """
    path = Path(pickle_path)
    total = _checked_size(path)
    report = progress or (lambda _p: None)
    cancel = cancel or threading.Event()

    filename = path.name
    fresh_urls = 0
    for attempt in range(1, put_attempts + 1):
        _check_cancel(cancel)
        report(UploadProgress("auth", 0, total, 0.0))
        filename, url = client.upload_auth(path.name, model_id)
        try:
            put_file(url, path, total, report_bytes(report, total), cancel, put_timeout)
            break
        except PutRejected as rejected:
            if attempt == put_attempts:
                raise rejected.as_failure(path) from None
            fresh_urls += 1
            log.warning(
                "PUT of %s rejected (%s); requesting a fresh URL", path, rejected
            )
            time.sleep(min(0.5 * attempt, 2.0) if rejected.retry_delay else 0)

    _check_cancel(cancel)
    report(UploadProgress("create", total, total, 0.0))
    upload_id = client.create_upload(
        filename, model_id, data_version_id, docker_image_id
    )
    log.info(
        "uploaded %s (%d bytes) to model %s as upload %s",
        path,
        total,
        model_id,
        upload_id,
    )
    return upload_id


def report_bytes(report: Callable[[UploadProgress], None], total: int):
    started = time.monotonic()

    def on_bytes(sent: int) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        report(UploadProgress("upload", sent, total, sent / elapsed))

    return on_bytes


def _checked_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UploadFailed(
            f"Pickle file not found: {path}", "Check the path."
        ) from None
    if size == 0:
        raise UploadFailed(f"Pickle file is empty: {path}", "Export the model again.")
    return size


def _check_cancel(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise Cancelled("Upload cancelled; nothing was registered with Numerai.")


def poll_upload_status(
    client: NumeraiClient,
    model_id: str,
    *,
    until_done: bool = True,
    interval: float = 2.0,
    timeout: float = 300.0,
    upload_id: str | None = None,
    progress: Callable[[UploadInfo | None], None] | None = None,
    cancel: threading.Event | None = None,
) -> UploadInfo | None:
    """Return the slot's upload status, polling until validation ends when `until_done`.

    With `upload_id`, an older upload still shown by the API counts as not
    done. After `timeout` seconds the last status is returned as it is.
    """
    deadline = time.monotonic() + timeout
    cancel = cancel or threading.Event()
    while True:
        info = client.upload_status(model_id)
        if progress:
            progress(info)
        current = info is not None and (upload_id is None or info.id == upload_id)
        if not until_done or (current and is_final(info)):
            return info
        if time.monotonic() + interval > deadline:
            log.info(
                "upload status of model %s still not final after %s s",
                model_id,
                timeout,
            )
            return info
        if cancel.wait(interval):
            raise Cancelled(
                "Stopped following the upload status; the upload itself is done."
            )


def remember_upload(
    api_url: str,
    *,
    model_name: str,
    model_id: str,
    data_version: str,
    docker_image: str,
    upload_id: str,
) -> None:
    """Save the slot, data version name, image name and upload id for the next run."""
    saved = state.load_state(api_url)
    saved.model_name = model_name
    saved.model_id = model_id
    saved.data_version = data_version
    saved.docker_image = docker_image
    saved.last_upload_id = upload_id
    state.save_state(api_url, saved)
