"""Slot checks, the disclosure, and webhook removal against the stand-in."""

from __future__ import annotations

import pytest

from core import enable
from core.api import KeysRejected, NumeraiClient
from core.demo import DEMO_MODEL, UPLOADED_MODEL, WEBHOOK_MODEL
from core.keys import Keys
from core.state import load_state


def statuses_by_name(client):
    return {s.slot.name: s for s in enable.check_slots(client.account())}


def test_check_slots_classic_only(standin_client):
    statuses = statuses_by_name(standin_client)
    assert set(statuses) == {DEMO_MODEL, WEBHOOK_MODEL, UPLOADED_MODEL}


def test_webhook_slot_blocked(standin_client):
    status = statuses_by_name(standin_client)[WEBHOOK_MODEL]
    assert not status.ready
    assert status.needs_webhook_removal
    assert "webhook" in status.blockers[0]


def test_ready_slots(standin_client):
    statuses = statuses_by_name(standin_client)
    assert statuses[DEMO_MODEL].ready
    assert statuses[DEMO_MODEL].existing_upload is None
    assert statuses[UPLOADED_MODEL].existing_upload.validation_status == "success"


def test_remove_webhook_requires_confirmation(standin, standin_client):
    slot = statuses_by_name(standin_client)[WEBHOOK_MODEL].slot
    with pytest.raises(enable.ConfirmationRequired) as caught:
        enable.remove_webhook(standin_client, slot, confirmed=False)
    assert "stops Numerai from triggering" in caught.value.message
    assert standin.store.model(slot.id).submission_webhook is not None


def test_remove_webhook_confirmed(standin, standin_client):
    slot = statuses_by_name(standin_client)[WEBHOOK_MODEL].slot
    enable.remove_webhook(standin_client, slot, confirmed=True)
    assert standin.store.model(slot.id).submission_webhook is None
    assert statuses_by_name(standin_client)[WEBHOOK_MODEL].ready


def test_disclosure_remembered_per_account(standin):
    assert not enable.disclosure_accepted(standin.url, "demo_participant")
    enable.accept_disclosure(standin.url, "demo_participant")
    enable.accept_disclosure(standin.url, "demo_participant")
    assert enable.disclosure_accepted(standin.url, "demo_participant")
    assert not enable.disclosure_accepted(standin.url, "someone_else")
    assert load_state(standin.url).disclosure_accepted == ["demo_participant"]


def test_disclosure_text_names_alternatives():
    assert "read your whole pipeline" in enable.DISCLOSURE
    assert "Numerai Compute" in enable.DISCLOSURE


def test_upload_access_ok(standin_client):
    enable.check_upload_access(standin_client)


def test_upload_queries_rejected(standin, standin_client):
    standin.store.model_uploads_enabled = False
    with pytest.raises(enable.UploadsUnavailable) as caught:
        enable.check_upload_access(standin_client)
    assert "not available for this account" in caught.value.message
    assert "numer.ai" in caught.value.hint
    assert "check again" in caught.value.hint


def test_upload_access_bad_keys_not_masked(standin):
    client = NumeraiClient(Keys("A" * 32, "B" * 64), standin.url, retries=0)
    with pytest.raises(KeysRejected):
        enable.check_upload_access(client)
