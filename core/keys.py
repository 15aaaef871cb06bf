"""Finding, normalising, storing and validating the Numerai API keys.

A key pair is a public id (32 uppercase letters and digits) and a secret key
(64 of them); Numerai's API receives them as `Token PUBLIC$SECRET`.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core import paths
from core.errors import WizardError
from core.logs import register_secret

if TYPE_CHECKING:
    from core.api import Account, NumeraiClient

log = logging.getLogger(__name__)

PUBLIC_ID_LENGTH = 32
SECRET_KEY_LENGTH = 64
UPLOAD_SCOPE = "upload_submission"
KEYS_FILE = "keys.json"
_KEY_CHARS = re.compile(r"^[A-Z0-9]+$")
_NEW_KEY_HINT = (
    "Copy both parts again from numer.ai > Account > Settings > API keys, "
    "or create a new key there."
)


@dataclass(frozen=True)
class Keys:
    """An API key pair; `repr` and `str` never show the secret."""

    public_id: str
    secret_key: str

    def __post_init__(self) -> None:
        register_secret(self.secret_key)

    def __repr__(self) -> str:
        masked = mask_secret(self.secret_key)
        return f"Keys(public_id={self.public_id!r}, secret_key={masked!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class FoundKeys:
    """Keys found on this machine, with `source` "environment", "config" or "numerai-cli"."""

    keys: Keys
    source: str
    path: Path | None


class KeyFormatError(WizardError):
    """A public id or secret key that cannot be a Numerai API key."""


def mask_secret(secret: str) -> str:
    """Return `secret` with all but its last four characters hidden."""
    if len(secret) <= 8:
        return "*" * len(secret)
    return "*" * (len(secret) - 4) + secret[-4:]


def normalize_keys(public_id: str, secret_key: str) -> tuple[Keys, list[str]]:
    """Clean up pasted keys; return them and notes on what was changed.

    Raises KeyFormatError for values that cannot be Numerai keys, with the fix.
    """
    notes: list[str] = []
    _register_possible_secrets(public_id)
    _register_possible_secrets(secret_key)
    public_id, secret_key = _split_pasted_token(public_id, secret_key, notes)
    public_id = _trimmed(public_id, "public id", notes)
    secret_key = _trimmed(secret_key, "secret key", notes)
    register_secret(secret_key)

    _check_public_id(public_id, secret_key)
    _check_secret_key(secret_key)
    return Keys(public_id, secret_key), notes


def _register_possible_secrets(value: str) -> None:
    """Redact from logs any long run of key characters, wherever it was typed.

    A secret pasted into the public id field, or joined to the public id by a
    space or a colon, must not reach a log line either.
    """
    for token in re.split(r"[^A-Za-z0-9]+", value):
        if len(token) > PUBLIC_ID_LENGTH:
            register_secret(token)


def _shown(value: str) -> str:
    """Return `value` for an error message, cut short when it may contain a secret."""
    if len(value) <= PUBLIC_ID_LENGTH and re.fullmatch(r"[\w.-]+", value):
        return repr(value)
    return f"{value[:6]!r}… ({len(value)} characters)"


def _split_pasted_token(public_id: str, secret_key: str, notes: list[str]):
    for label, value in (("public id", public_id), ("secret key", secret_key)):
        if "$" in value.strip():
            left, _, right = value.strip().partition("$")
            if left.strip() and right.strip():
                register_secret(right.strip())
                notes.append(
                    f"Split the PUBLIC$SECRET pair pasted into the {label} field."
                )
                return left, right
    return public_id, secret_key


def _trimmed(value: str, label: str, notes: list[str]) -> str:
    cleaned = value.strip().strip("\"'").strip()
    if cleaned != value:
        if "\r" in value or "\n" in value:
            notes.append(f"Removed a line break (LF or CRLF) around the {label}.")
        else:
            notes.append(f"Removed spaces or quotes around the {label}.")
    return cleaned


def _check_public_id(public_id: str, secret_key: str) -> None:
    if not public_id:
        raise KeyFormatError("The public id is empty.", _NEW_KEY_HINT)
    if public_id == secret_key:
        raise KeyFormatError(
            "The public id and the secret key are the same value.", _NEW_KEY_HINT
        )
    if len(public_id) == SECRET_KEY_LENGTH and _KEY_CHARS.match(public_id):
        raise KeyFormatError(
            "The public id field contains a 64-character value, which is a secret key.",
            "Put the 32-character public id first and the 64-character secret second.",
        )
    if len(public_id) != PUBLIC_ID_LENGTH or not _KEY_CHARS.match(public_id):
        raise KeyFormatError(
            f"Invalid public id {_shown(public_id)}: expected 32 uppercase "
            f"letters and digits, got {len(public_id)} characters.",
            "The public id is not your username; copy it from numer.ai > Account > "
            "Settings > API keys.",
        )


def _check_secret_key(secret_key: str) -> None:
    if not secret_key:
        raise KeyFormatError(
            "The secret key is empty.",
            "If you set it in a shell, use single quotes: a $ inside double quotes "
            "starts a variable and cuts the key.",
        )
    if len(secret_key) < SECRET_KEY_LENGTH and _KEY_CHARS.match(secret_key):
        raise KeyFormatError(
            f"The secret key is truncated: {len(secret_key)} of 64 characters.",
            "Copy it again whole; in a shell, quote it with single quotes so that "
            "a $ does not cut it.",
        )
    if len(secret_key) != SECRET_KEY_LENGTH or not _KEY_CHARS.match(secret_key):
        raise KeyFormatError(
            f"Invalid secret key: expected 64 uppercase letters and digits, "
            f"got {len(secret_key)} characters.",
            _NEW_KEY_HINT,
        )


def find_keys() -> FoundKeys | None:
    """Return the first keys found: environment, our config file, numerai-cli's file.

    Sources that hold malformed keys are logged and skipped.
    """
    for finder in (_from_environment, _from_config, _from_numerai_cli):
        found = finder()
        if found is not None:
            return found
    return None


def _from_environment() -> FoundKeys | None:
    public_id = os.environ.get("NUMERAI_PUBLIC_ID", "")
    secret_key = os.environ.get("NUMERAI_SECRET_KEY", "")
    return _found(public_id, secret_key, "environment", None)


def _from_config() -> FoundKeys | None:
    path = keys_path()
    raw = _read_json(path)
    if not isinstance(raw, dict):
        return None
    return _found(raw.get("public_id", ""), raw.get("secret_key", ""), "config", path)


def _from_numerai_cli() -> FoundKeys | None:
    path = Path.home() / ".numerai" / ".keys"
    raw = _read_json(path)
    section = raw.get("numerai") if isinstance(raw, dict) else None
    if not isinstance(section, dict):
        return None
    public_id = section.get("NUMERAI_PUBLIC_ID", "")
    secret_key = section.get("NUMERAI_SECRET_KEY", "")
    return _found(public_id, secret_key, "numerai-cli", path)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        log.warning("ignoring unreadable keys file %s: %s", path, error)
        return None


def _found(public_id, secret_key, source: str, path: Path | None) -> FoundKeys | None:
    if not isinstance(public_id, str) or not isinstance(secret_key, str):
        return None
    if not public_id and not secret_key:
        return None
    register_secret(secret_key.strip())
    try:
        keys, _notes = normalize_keys(public_id, secret_key)
    except KeyFormatError as error:
        log.warning("ignoring keys from %s: %s", source, error.message)
        return None
    return FoundKeys(keys, source, path)


def keys_path() -> Path:
    return paths.config_dir() / KEYS_FILE


def save_keys(keys: Keys) -> Path:
    """Write the keys to the config file, readable by the owner only."""
    path = keys_path()
    text = json.dumps({"public_id": keys.public_id, "secret_key": keys.secret_key})
    paths.atomic_write_text(path, text + "\n", mode=0o600)
    log.info("saved API keys for public id %s to %s", keys.public_id, path)
    return path


def validate_keys(client: NumeraiClient) -> Account:
    """Fetch the account with the client's keys; require the upload scope."""
    from core.api import MissingScope

    account = client.account()
    if UPLOAD_SCOPE not in account.scopes:
        raise MissingScope(
            f"The API key {client.public_id} lacks the {UPLOAD_SCOPE} scope "
            "needed for model uploads.",
            "Create a key with 'Upload submissions' at numer.ai > Account > "
            "Settings > API keys, then enter it here.",
        )
    return account
