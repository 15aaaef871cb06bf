"""Key normalisation, discovery, storage and validation."""

from __future__ import annotations

import json
import stat

import pytest

from core.api import MissingScope, NumeraiClient
from core.demo import (
    DEMO_PUBLIC_ID,
    DEMO_READONLY_PUBLIC_ID,
    DEMO_READONLY_SECRET_KEY,
    DEMO_SECRET_KEY,
)
from core.keys import (
    KeyFormatError,
    Keys,
    find_keys,
    keys_path,
    mask_secret,
    normalize_keys,
    save_keys,
    validate_keys,
)

PUBLIC = DEMO_PUBLIC_ID
SECRET = DEMO_SECRET_KEY


def test_clean_keys_have_no_notes():
    keys, notes = normalize_keys(PUBLIC, SECRET)
    assert keys == Keys(PUBLIC, SECRET)
    assert notes == []


@pytest.mark.parametrize("suffix", ["\n", "\r\n", "  "])
def test_trailing_whitespace_trimmed(suffix):
    keys, notes = normalize_keys(PUBLIC, SECRET + suffix)
    assert keys.secret_key == SECRET
    assert len(notes) == 1


def test_crlf_reported_as_line_break():
    _keys, notes = normalize_keys(PUBLIC + "\r\n", SECRET)
    assert "line break" in notes[0]


@pytest.mark.parametrize("field", ["public", "secret"])
def test_pasted_pair_split(field):
    pair = f"{PUBLIC}${SECRET}"
    args = (pair, "") if field == "public" else ("", pair)
    keys, notes = normalize_keys(*args)
    assert keys == Keys(PUBLIC, SECRET)
    assert "PUBLIC$SECRET" in notes[0]


def test_truncated_secret_rejected():
    with pytest.raises(KeyFormatError) as caught:
        normalize_keys(PUBLIC, SECRET[:20])
    assert "truncated" in caught.value.message
    assert "single quotes" in caught.value.hint
    assert SECRET[:20] not in caught.value.one_line()


def test_empty_secret_mentions_shell_dollar():
    with pytest.raises(KeyFormatError) as caught:
        normalize_keys(PUBLIC, "")
    assert "$" in caught.value.hint


def test_username_in_public_id_rejected():
    with pytest.raises(KeyFormatError) as caught:
        normalize_keys("demo_participant", SECRET)
    assert "demo_participant" in caught.value.message
    assert "not your username" in caught.value.hint


def test_swapped_keys_rejected():
    with pytest.raises(KeyFormatError) as caught:
        normalize_keys(SECRET, PUBLIC)
    assert "secret key" in caught.value.message


def test_repr_masks_secret():
    keys = Keys(PUBLIC, SECRET)
    assert SECRET not in repr(keys)
    assert SECRET not in str(keys)
    assert mask_secret(SECRET).endswith(SECRET[-4:])


def test_find_keys_prefers_environment(monkeypatch):
    save_keys(Keys(DEMO_READONLY_PUBLIC_ID, DEMO_READONLY_SECRET_KEY))
    monkeypatch.setenv("NUMERAI_PUBLIC_ID", PUBLIC)
    monkeypatch.setenv("NUMERAI_SECRET_KEY", SECRET + "\n")
    found = find_keys()
    assert found.source == "environment"
    assert found.keys == Keys(PUBLIC, SECRET)


def test_find_keys_reads_config():
    path = save_keys(Keys(PUBLIC, SECRET))
    found = find_keys()
    assert found.source == "config"
    assert found.path == path


def test_saved_keys_owner_only():
    path = save_keys(Keys(PUBLIC, SECRET))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["public_id"] == PUBLIC
    assert not list(path.parent.glob(".*.tmp"))


def test_find_keys_offers_numerai_cli_file(isolated_home):
    cli_file = isolated_home / "user" / ".numerai" / ".keys"
    cli_file.parent.mkdir(parents=True)
    content = {"numerai": {"NUMERAI_PUBLIC_ID": PUBLIC, "NUMERAI_SECRET_KEY": SECRET}}
    cli_file.write_text(json.dumps(content))
    found = find_keys()
    assert found.source == "numerai-cli"
    assert found.path == cli_file
    assert not keys_path().exists()


def test_find_keys_skips_malformed(monkeypatch):
    monkeypatch.setenv("NUMERAI_PUBLIC_ID", "someone")
    monkeypatch.setenv("NUMERAI_SECRET_KEY", "short")
    assert find_keys() is None


def test_validate_keys_returns_account(standin_client):
    assert validate_keys(standin_client).username == "demo_participant"


def test_validate_keys_without_upload_scope(standin):
    keys = Keys(DEMO_READONLY_PUBLIC_ID, DEMO_READONLY_SECRET_KEY)
    client = NumeraiClient(keys, standin.url, retries=0)
    with pytest.raises(MissingScope) as caught:
        validate_keys(client)
    assert "upload_submission" in caught.value.message
    assert "API keys" in caught.value.hint


@pytest.mark.parametrize(
    "public_field",
    [
        f"{PUBLIC} {SECRET}",
        f"{PUBLIC}:{SECRET}",
        f"{PUBLIC}\n{SECRET}",
        f"NUMERAI_SECRET_KEY={SECRET}",
        f"${SECRET}",
        SECRET.lower(),
    ],
)
def test_secret_in_public_field_never_shown(public_field, caplog):
    import logging

    from core.logs import RedactingFilter

    with pytest.raises(KeyFormatError) as raised:
        normalize_keys(public_field, "")
    error = raised.value
    assert SECRET not in error.one_line()
    assert SECRET.lower() not in error.one_line()

    record = logging.LogRecord(
        "t", logging.ERROR, __file__, 1, "typed %s", (public_field,), None
    )
    RedactingFilter().filter(record)
    assert SECRET not in record.getMessage()
