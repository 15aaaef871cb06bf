"""The stand-in runs uploaded pickles, as Numerai does before it accepts them."""

from __future__ import annotations

import pytest

from core.demo import DEMO_MODEL
from core.demo.server import StandInServer
from core.upload import (
    choose_data_version,
    choose_docker_image,
    poll_upload_status,
    upload_pickle,
)
from tests.pickle_support import predict_pickle


@pytest.fixture
def running_standin(tmp_path):
    with StandInServer(
        tmp_path / "data", validation_seconds=0, run_pickles=True
    ) as server:
        yield server


def upload_and_wait(server, client, path):
    import sys

    model = server.store.model_by_name(DEMO_MODEL)
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    image = choose_docker_image(client.docker_images(), python)
    version = choose_data_version(client.data_versions(), None)
    upload_id = upload_pickle(
        client, path, model.id, data_version_id=version.id, docker_image_id=image.id
    )
    return poll_upload_status(
        client, model.id, upload_id=upload_id, interval=0.2, timeout=60
    )


@pytest.fixture
def running_client(running_standin, demo_keys):
    from core.api import NumeraiClient

    client = NumeraiClient(
        demo_keys, running_standin.url, timeout=10.0, retries=1, backoff=0.01
    )
    yield client
    client.close()


def test_callable_pickle_validates(running_standin, running_client, tmp_path):
    info = upload_and_wait(
        running_standin, running_client, predict_pickle(tmp_path / "good.pkl")
    )
    assert info.validation_status == "success"


def test_dict_pickle_fails_validation(running_standin, running_client, tmp_path):
    bad = predict_pickle(tmp_path / "dict.pkl", callable_model=False)
    info = upload_and_wait(running_standin, running_client, bad)
    assert info.validation_status == "failed"
    descriptions = [s.description for t in info.triggers for s in t.statuses]
    assert any("Invalid submission" in text for text in descriptions)
