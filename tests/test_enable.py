"""Slot checks, the disclosure, and webhook removal against the stand-in."""

from __future__ import annotations

import pytest

from core import enable
from core.api import KeysRejected, NumeraiClient
from core.demo import DEMO_MODEL, UPLOADED_MODEL, WEBHOOK_MODEL
from core.keys import Keys
from core.state import load_state
from tests.standin import demo_keys, standin, standin_client  # noqa: F401


def statuses_by_name(client):
    return {s.slot.name: s for s in enable.check_slots(client.account())}


def test_check_slots_classic_only(standin_client):  # noqa: F811
    statuses = statuses_by_name(standin_client)
    assert set(statuses) == {DEMO_MODEL, WEBHOOK_MODEL, UPLOADED_MODEL}


def test_webhook_slot_blocked(standin_client):  # noqa: F811
    status = statuses_by_name(standin_client)[WEBHOOK_MODEL]
    assert not status.ready
    assert status.needs_webhook_removal
    assert "webhook" in status.blockers[0]


def test_ready_slots(standin_client):  # noqa: F811
    statuses = statuses_by_name(standin_client)
    assert statuses[DEMO_MODEL].ready
    assert statuses[DEMO_MODEL].existing_upload is None
    assert statuses[UPLOADED_MODEL].existing_upload.validation_status == "success"


def test_remove_webhook_requires_confirmation(standin, standin_client):  # noqa: F811
    slot = statuses_by_name(standin_client)[WEBHOOK_MODEL].slot
    with pytest.raises(enable.ConfirmationRequired) as caught:
        enable.remove_webhook(standin_client, slot, confirmed=False)
    assert "stops Numerai from triggering" in caught.value.message
    assert standin.store.model(slot.id).submission_webhook is not None


def test_remove_webhook_confirmed(standin, standin_client):  # noqa: F811
    slot = statuses_by_name(standin_client)[WEBHOOK_MODEL].slot
    enable.remove_webhook(standin_client, slot, confirmed=True)
    assert standin.store.model(slot.id).submission_webhook is None
    assert statuses_by_name(standin_client)[WEBHOOK_MODEL].ready


def test_disclosure_remembered_per_account(standin):  # noqa: F811
    assert not enable.disclosure_accepted(standin.url, "demo_participant")
    enable.accept_disclosure(standin.url, "demo_participant")
    enable.accept_disclosure(standin.url, "demo_participant")
    assert enable.disclosure_accepted(standin.url, "demo_participant")
    assert not enable.disclosure_accepted(standin.url, "someone_else")
    assert load_state(standin.url).disclosure_accepted == ["demo_participant"]


def test_disclosure_text_names_alternatives():
    assert "read your whole pipeline" in enable.DISCLOSURE
    assert "Numerai Compute" in enable.DISCLOSURE


def test_upload_access_ok(standin_client):  # noqa: F811
    enable.check_upload_access(standin_client)


def test_upload_queries_rejected(standin, standin_client):  # noqa: F811
    standin.store.docker_images.clear()
    del standin.store.data_versions[:]
    original = enable.ApiError

    standin.store.tokens[0].scopes.remove("read_user_info")
    # The stand-in has no account-level switch for uploads, so a schema-level
    # rejection is produced by asking for a field the API does not have.
    client = standin_client
    client_data_versions = client.data_versions

    def rejected():
        return client.query("query { computePickleDataVersions { noSuchField } }")

    client.data_versions = rejected
    with pytest.raises(enable.UploadsUnavailable) as caught:
        enable.check_upload_access(client)
    assert "check again" in caught.value.hint
    client.data_versions = client_data_versions
    assert original is enable.ApiError


def test_upload_access_bad_keys_not_masked(standin):  # noqa: F811
    client = NumeraiClient(Keys("A" * 32, "B" * 64), standin.url, retries=0)
    with pytest.raises(KeysRejected):
        enable.check_upload_access(client)
