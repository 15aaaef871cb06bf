"""State remembered between runs: choices, results and consent.

Stored as JSON in the user state directory and written atomically. Nothing
secret goes here; keys live in `core.keys`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from core import paths

log = logging.getLogger(__name__)
STATE_FILE = "wizard-state.json"


@dataclass
class WizardState:
    """Choices and results of the last run of one profile."""

    model_name: str | None = None
    model_id: str | None = None
    data_version: str | None = None
    feature_set: str | None = None
    preset: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    era_step: int = 1
    pickle_path: str | None = None
    pickle_sha256: str | None = None
    sandbox_verdict: str | None = None
    docker_image: str | None = None
    last_upload_id: str | None = None
    # Account usernames that acknowledged that Numerai can read an upload.
    disclosure_accepted: list[str] = field(default_factory=list)


def state_path(profile: str) -> Path:
    """Return the state file of a profile: "demo", or the API address in use."""
    import hashlib

    tag = hashlib.sha256(profile.encode()).hexdigest()[:12]
    return paths.state_dir() / f"{tag}-{STATE_FILE}"


def load_state(profile: str) -> WizardState:
    """Read the saved state; an unreadable file is logged and ignored."""
    path = state_path(profile)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return WizardState()
    except (OSError, ValueError) as error:
        log.warning("ignoring unreadable state file %s: %s", path, error)
        return WizardState()

    known = {f.name for f in fields(WizardState)}
    return WizardState(**{k: v for k, v in raw.items() if k in known})


def save_state(profile: str, state: WizardState) -> None:
    text = json.dumps(asdict(state), indent=2, sort_keys=True)
    paths.atomic_write_text(state_path(profile), text + "\n", mode=0o600)
