"""The stand-in API against numerapi's own documents and plain HTTP."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading
import time

import pytest
import requests

from core.demo import (
    DEMO_MODEL,
    DEMO_PUBLIC_ID,
    DEMO_READONLY_PUBLIC_ID,
    DEMO_SECRET_KEY,
    SIGNALS_MODEL,
    WEBHOOK_MODEL,
)


@pytest.fixture
def numerapi_on(standin, monkeypatch):
    """numerapi's own NumerAPI class, pointed at the stand-in unchanged."""
    import numerapi

    monkeypatch.setattr(numerapi.base_api, "API_TOURNAMENT_URL", standin.url)
    return numerapi.NumerAPI(DEMO_PUBLIC_ID, DEMO_SECRET_KEY, show_progress_bars=False)


def post(standin, query, variables=None, token=True):
    headers = (
        {"Authorization": f"Token {DEMO_PUBLIC_ID}${DEMO_SECRET_KEY}"} if token else {}
    )
    body = {"query": query, "variables": variables or {}}
    return requests.post(standin.url, json=body, headers=headers, timeout=5)


def test_numerapi_get_account(numerapi_on):
    account = numerapi_on.get_account()
    assert account["username"] == "demo_participant"
    public_ids = [token["public_id"] for token in account["apiTokens"]]
    assert DEMO_PUBLIC_ID in public_ids
    assert DEMO_READONLY_PUBLIC_ID in public_ids


def test_numerapi_get_models_filters_signals(numerapi_on):
    models = numerapi_on.get_models()
    assert DEMO_MODEL in models
    assert WEBHOOK_MODEL in models
    assert SIGNALS_MODEL not in models


def test_numerapi_versions_and_images(numerapi_on):
    versions = numerapi_on.model_upload_data_versions()
    images = numerapi_on.model_upload_docker_images()
    assert "v5.2" in versions
    assert set(images) == {"Python 3.10", "Python 3.11", "Python 3.12", "Python 3.13"}


def test_numerapi_model_upload(numerapi_on, standin, tmp_path):
    pickle_file = tmp_path / "model.pkl"
    pickle_file.write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
    model_id = numerapi_on.get_models()[DEMO_MODEL]

    upload_id = numerapi_on.model_upload(
        str(pickle_file),
        model_id=model_id,
        data_version="v5.2",
        docker_image="Python 3.11",
    )

    stored = standin.store.uploads_for(model_id)
    assert len(stored) == 1
    assert stored[0].data == pickle_file.read_bytes()
    assert standin.store.model(model_id).upload.id == upload_id


def test_numerapi_set_submission_webhook(numerapi_on, standin):
    model_id = numerapi_on.get_models()[WEBHOOK_MODEL]
    assert numerapi_on.set_submission_webhook(model_id, None) is True
    assert standin.store.model(model_id).submission_webhook is None


def test_numerapi_list_and_download_dataset(numerapi_on, standin, tmp_path):
    source = standin.store.data_root / "v5.2"
    source.mkdir()
    (source / "features.json").write_text('{"feature_sets": {}}')
    assert numerapi_on.list_datasets() == ["v5.2/features.json"]

    target = tmp_path / "features.json"
    numerapi_on.download_dataset("v5.2/features.json", str(target))
    assert target.read_text() == '{"feature_sets": {}}'


def test_invalid_query_is_graphql_error(standin):
    response = post(standin, "query { account { noSuchField } }")
    assert response.status_code == 200
    errors = response.json()["errors"]
    assert "noSuchField" in errors[0]["message"]


def test_snake_case_names_keep_sent_key(standin):
    response = post(standin, "query { account { api_tokens { public_id } } }")
    tokens = response.json()["data"]["account"]["api_tokens"]
    assert {"public_id": DEMO_PUBLIC_ID} in tokens


def test_string_variable_accepted_for_id(standin):
    model_id = standin.store.model_by_name(DEMO_MODEL).id
    query = "query ($m: String) { model(modelId: $m) { name } }"
    response = post(standin, query, {"m": model_id})
    assert response.json()["data"]["model"]["name"] == DEMO_MODEL


def test_bad_token_is_graphql_error(standin):
    headers = {"Authorization": f"Token {DEMO_PUBLIC_ID}$WRONG"}
    body = {"query": "query { account { username } }"}
    response = requests.post(standin.url, json=body, headers=headers, timeout=5)
    assert response.status_code == 200
    assert (
        response.json()["errors"][0]["message"]
        == "Your session is invalid or has expired."
    )
    assert response.json()["data"]["account"] is None


def test_missing_token_is_graphql_error(standin):
    response = post(standin, "query { account { username } }", token=False)
    assert "errors" in response.json()


def test_dataset_range_requests(standin):
    folder = standin.store.data_root / "v5.2"
    folder.mkdir()
    (folder / "live.parquet").write_bytes(bytes(range(256)) * 4)
    url = post(standin, 'query { dataset(filename: "v5.2/live.parquet") }').json()[
        "data"
    ]["dataset"]

    whole = requests.get(url, timeout=5)
    part = requests.get(url, headers={"Range": "bytes=1000-"}, timeout=5)
    beyond = requests.get(url, headers={"Range": "bytes=5000-"}, timeout=5)
    assert whole.headers["Content-Length"] == "1024"
    assert part.status_code == 206
    assert part.content == (bytes(range(256)) * 4)[1000:]
    assert part.headers["Content-Range"] == "bytes 1000-1023/1024"
    assert beyond.status_code == 416


def test_unknown_dataset_is_error(standin):
    response = post(standin, 'query { dataset(filename: "v9/../../etc/passwd") }')
    assert "Dataset not found" in response.json()["errors"][0]["message"]


def test_html_502_injection(standin):
    standin.inject("html_502")
    first = post(standin, "query { account { username } }")
    second = post(standin, "query { account { username } }")
    assert first.status_code == 502
    assert first.headers["Content-Type"] == "text/html"
    assert second.status_code == 200


def test_stop_ends_stalled_request_promptly(standin):
    standin.inject("stall")
    outcome = {}

    def call():
        try:
            post(standin, "query { account { username } }")
        except requests.RequestException as error:
            outcome["error"] = error

    worker = threading.Thread(target=call)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    standin.stop()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert time.monotonic() - started < 3
    assert "error" in outcome


def test_stopped_server_refuses_connections(standin):
    url = standin.url
    post(standin, "query { account { username } }")
    standin.stop()
    with pytest.raises(requests.ConnectionError):
        requests.post(url, json={"query": "{ account { id } }"}, timeout=5)


def test_module_entry_point_prints_url_and_keys():
    process = subprocess.Popen(
        [sys.executable, "-m", "core.demo", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        second = process.stdout.readline()
        url = first.rsplit(" ", 1)[-1].strip()
        reply = requests.post(url, json={"query": "{ listDatasets }"}, timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=5)
    assert url.startswith("http://127.0.0.1:")
    assert second.strip() == f"NUMERAI_PUBLIC_ID={DEMO_PUBLIC_ID}"
    assert json.loads(reply.text) == {"data": {"listDatasets": []}}


def test_cli_demo_server_serves_and_stops():
    command = [sys.executable, "-c", "from tui.cli import main; main()", "demo-server"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().rsplit(" ", 1)[-1].strip()
        images = requests.post(
            url,
            json={"query": "{ computePickleDockerImages { name } }"},
            headers={"Authorization": f"Token {DEMO_PUBLIC_ID}${DEMO_SECRET_KEY}"},
            timeout=5,
        )
    finally:
        process.terminate()
        returncode = process.wait(timeout=5)
    assert url.startswith("http://127.0.0.1:")
    assert len(images.json()["data"]["computePickleDockerImages"]) == 4
    assert returncode == 0
