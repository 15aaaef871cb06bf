"""Uploads to the stand-in: checked steps, retries, cancel and status."""

from __future__ import annotations

import hashlib
import pickle
import threading

import pytest

from core.api import DataVersion, DockerImage, MissingScope, NumeraiClient, UploadInfo
from core.api.models import Trigger, TriggerStatus
from core.demo import DEMO_MODEL, DEMO_READONLY_PUBLIC_ID, DEMO_READONLY_SECRET_KEY
from core.errors import Cancelled
from core.keys import Keys
from core.upload import (
    UnsupportedChoice,
    UploadFailed,
    choose_data_version,
    choose_docker_image,
    describe_status,
    poll_upload_status,
    upload_pickle,
)
from tests.conftest import SHARED_SAMPLES


@pytest.fixture
def pickle_file(tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"trees": list(range(50_000))}))
    return path


@pytest.fixture
def target(standin_client):
    slot = next(m for m in standin_client.classic_models() if m.name == DEMO_MODEL)
    version = choose_data_version(standin_client.data_versions(), None)
    image = choose_docker_image(standin_client.docker_images(), "3.11")
    return {
        "model_id": slot.id,
        "data_version_id": version.id,
        "docker_image_id": image.id,
    }


def upload(client, path, target, **kwargs):
    return upload_pickle(
        client,
        path,
        target["model_id"],
        data_version_id=target["data_version_id"],
        docker_image_id=target["docker_image_id"],
        **kwargs,
    )


def test_choose_docker_image_exact():
    images = [DockerImage("a", "Python 3.11", None, None, True, "3.11")]
    assert choose_docker_image(images, "3.11").id == "a"
    with pytest.raises(UnsupportedChoice) as caught:
        choose_docker_image(images, "3.9")
    assert "3.9" in caught.value.message
    assert "offered: 3.11" in caught.value.message


def test_choose_data_version_rules():
    versions = [DataVersion("1", "v5.0", False), DataVersion("2", "v5.2", True)]
    assert choose_data_version(versions, "v5.0").id == "1"
    assert choose_data_version(versions, None).id == "2"
    with pytest.raises(UnsupportedChoice):
        choose_data_version(versions, "v4.1")


def test_upload_stores_exact_bytes(standin, standin_client, pickle_file, target):
    events = []
    upload_id = upload(standin_client, pickle_file, target, progress=events.append)

    stored = standin.store.uploads_for(target["model_id"])
    assert len(stored) == 1
    assert stored[0].sha256 == hashlib.sha256(pickle_file.read_bytes()).hexdigest()
    assert stored[0].docker_image_id == target["docker_image_id"]
    assert standin.store.model(target["model_id"]).upload.id == upload_id
    assert [e.stage for e in events][0] == "auth"
    assert events[-1].stage == "create"
    assert max(e.bytes_sent for e in events) == pickle_file.stat().st_size


def test_put_403_gets_fresh_url(standin, standin_client, pickle_file, target):
    standin.inject("put_403", 1)
    upload(standin_client, pickle_file, target)
    assert standin.failures.put_403 == 0
    assert len(standin.store.uploads_for(target["model_id"])) == 1


def test_expired_url_gets_fresh_url(standin, standin_client, pickle_file, target):
    standin.inject("expire_upload_urls", 1)
    upload(standin_client, pickle_file, target)
    assert standin.failures.expire_upload_urls == 0
    assert standin.store.model(target["model_id"]).upload is not None


def test_put_500_retried(standin, standin_client, pickle_file, target):
    upload_id = None
    standin.inject("http_500", 1)
    upload_id = upload(standin_client, pickle_file, target)
    assert standin.store.model(target["model_id"]).upload.id == upload_id


def test_put_always_rejected_creates_nothing(
    standin, standin_client, pickle_file, target
):
    standin.inject("put_403", 10)
    with pytest.raises(UploadFailed) as caught:
        upload(standin_client, pickle_file, target, put_attempts=2)
    assert "HTTP 403" in caught.value.message
    assert "Nothing was registered" in caught.value.hint
    assert standin.store.model(target["model_id"]).upload is None


def test_cancel_before_put(standin, standin_client, pickle_file, target):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        upload(standin_client, pickle_file, target, cancel=cancel)
    assert standin.store.uploads == {}


def test_cancel_during_put(standin, standin_client, tmp_path, target):
    big = tmp_path / "big.pkl"
    big.write_bytes(b"\x80\x04" + bytes(8 << 20))
    cancel = threading.Event()

    def on_progress(event):
        if event.stage == "upload" and event.bytes_sent >= 2 << 20:
            cancel.set()

    with pytest.raises(Cancelled):
        upload(standin_client, big, target, progress=on_progress, cancel=cancel)
    assert standin.store.model(target["model_id"]).upload is None


def test_missing_scope_stops_before_put(standin, pickle_file, target):
    keys = Keys(DEMO_READONLY_PUBLIC_ID, DEMO_READONLY_SECRET_KEY)
    client = NumeraiClient(keys, standin.url, retries=0)
    with pytest.raises(MissingScope):
        upload(client, pickle_file, target)
    assert standin.store.uploads == {}


def test_missing_file_fails(standin_client, tmp_path, target):
    with pytest.raises(UploadFailed) as caught:
        upload(standin_client, tmp_path / "absent.pkl", target)
    assert "not found" in caught.value.message


def test_status_lifecycle(standin, standin_client, pickle_file, target):
    standin.store.validation_seconds = 0.6
    upload_id = upload(standin_client, pickle_file, target)
    seen = []
    info = poll_upload_status(
        standin_client,
        target["model_id"],
        upload_id=upload_id,
        interval=0.05,
        timeout=10,
        progress=lambda i: seen.append(i.validation_status),
    )
    assert seen[0] == "pending"
    assert "validating" in seen
    assert info.validation_status == "success"
    assert describe_status(info) == "Validated; runs at the next round."


def test_invalid_pickle_fails_validation(standin_client, tmp_path, target):
    junk = tmp_path / "junk.pkl"
    junk.write_bytes(b"this is not a pickle")
    upload_id = upload(standin_client, junk, target)
    info = poll_upload_status(
        standin_client,
        target["model_id"],
        upload_id=upload_id,
        interval=0.01,
        timeout=5,
    )
    assert info.validation_status == "failed"
    assert describe_status(info).startswith(
        "Numerai could not validate the pickle: Invalid pickle"
    )


def test_real_numerai_pickle_validates(standin_client, target):
    sample = SHARED_SAMPLES / "numerai_example_py311.pkl"
    if not sample.exists():
        pytest.skip(f"Numerai's sample pickle is not at {sample}")
    upload_id = upload(standin_client, sample, target)
    info = poll_upload_status(
        standin_client,
        target["model_id"],
        upload_id=upload_id,
        interval=0.01,
        timeout=5,
    )
    assert info.validation_status == "success"


def status(validation, trigger=None, description=None):
    triggers = []
    if trigger:
        triggers = [Trigger("t", trigger, [TriggerStatus(trigger, description, None)])]
    return UploadInfo("u", "m.pkl", validation, trigger, triggers, None)


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (None, "No model is uploaded to this slot yet."),
        (status("pending"), "Uploaded; Numerai is validating the pickle (pending)."),
        (
            status("success", "pending", "No open round, will run at the next round"),
            "Validated; runs at the next round.",
        ),
        (
            status("success", "success", "Submitted"),
            "Validated; the last run succeeded.",
        ),
        (
            status("success", "failed", "Segmentation fault!"),
            "Validated, but the last run failed: Segmentation fault!.",
        ),
        (
            status("failed", "failed", "Invalid pickle"),
            "Numerai could not validate the pickle: Invalid pickle.",
        ),
    ],
)
def test_describe_status(info, expected):
    assert describe_status(info) == expected
