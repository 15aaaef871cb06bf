"""In-memory state of the stand-in API: accounts, models, uploads, failures."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class TokenRecord:
    """One API key of an account: the public id, the secret and its scopes."""

    name: str
    public_id: str
    secret_key: str
    scopes: list[str]


@dataclass
class TriggerRecord:
    """One run of an uploaded pickle, with the history of its statuses."""

    id: str
    status: str
    statuses: list[dict]
    inserted_at: str


@dataclass
class PickleRecord:
    """A `ComputePickleUpload` created by the create mutation."""

    id: str
    model_id: str
    filename: str
    data_version_id: str | None
    docker_image_id: str | None
    inserted_at: str
    created_monotonic: float
    valid: bool
    failure_description: str = ""
    # True while the pickle runs in a runner environment (`Store.run_pickles`).
    running: bool = False
    triggers: list[TriggerRecord] = field(default_factory=list)
    # A fixed status overrides the time-based lifecycle (used by fixtures).
    fixed_validation_status: str | None = None


@dataclass
class ModelRecord:
    """One model slot of an account."""

    id: str
    name: str
    tournament: int
    submission_webhook: str | None = None
    upload: PickleRecord | None = None
    history: list[PickleRecord] = field(default_factory=list)


@dataclass
class StoredUpload:
    """Bytes received by a PUT to a presigned URL, spooled to disk."""

    token: str
    filename: str
    model_id: str
    path: Path
    size: int = 0
    sha256: str = ""
    data_version_id: str | None = None
    docker_image_id: str | None = None
    created: bool = False

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


@dataclass
class UploadSlot:
    """A presigned PUT URL handed out by `computePickleUploadAuth`."""

    token: str
    filename: str
    model_id: str
    expires_at: float


@dataclass
class Failures:
    """Failures to inject, each a count of requests it still applies to."""

    http_500: int = 0
    html_502: int = 0
    stall: int = 0
    put_403: int = 0
    expire_upload_urls: int = 0

    def take(self, name: str) -> bool:
        """Consume one pending failure of kind `name`; return whether there was one."""
        count = getattr(self, name)
        if count <= 0:
            return False
        setattr(self, name, count - 1)
        return True


@dataclass
class Store:
    """All state of the stand-in, which tests read and change directly."""

    username: str
    account_id: str
    tokens: list[TokenRecord]
    models: list[ModelRecord]
    data_versions: list[dict]
    docker_images: list[dict]
    spool_dir: Path
    data_root: Path | None = None
    validation_seconds: float = 1.5
    # Run each uploaded pickle as Numerai's runner does, where a runner
    # environment for the image's Python is ready; else only walk its opcodes.
    run_pickles: bool = False
    upload_url_seconds: float = 600.0
    # False makes the model-upload queries fail, as for an account that cannot use them.
    model_uploads_enabled: bool = True
    slots: dict[str, UploadSlot] = field(default_factory=dict)
    uploads: dict[str, StoredUpload] = field(default_factory=dict)
    failures: Failures = field(default_factory=Failures)
    trigger_logs: dict[str, list[dict]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def token_for(self, public_id: str, secret_key: str) -> TokenRecord | None:
        for token in self.tokens:
            if token.public_id == public_id and token.secret_key == secret_key:
                return token
        return None

    def model(self, model_id: str | None) -> ModelRecord | None:
        for model in self.models:
            if model.id == model_id:
                return model
        return None

    def model_by_name(self, name: str) -> ModelRecord | None:
        for model in self.models:
            if model.name == name:
                return model
        return None

    def uploads_for(self, model_id: str) -> list[StoredUpload]:
        """Return the PUT uploads received for one model, oldest first."""
        return [u for u in self.uploads.values() if u.model_id == model_id]


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
