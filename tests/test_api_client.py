"""NumeraiClient over HTTP against the stand-in, failures produced for real."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from core.api import (
    ApiConnectionError,
    ApiTimeout,
    GraphQLError,
    KeysRejected,
    NumeraiClient,
    ServerError,
)
from core.demo import DEMO_MODEL, SIGNALS_MODEL, UPLOADED_MODEL, WEBHOOK_MODEL
from core.keys import Keys


def test_account_has_key_scopes(standin_client):
    account = standin_client.account()
    assert account.username == "demo_participant"
    assert "upload_submission" in account.scopes
    assert len(account.tokens) == 2


def test_classic_models_exclude_signals(standin_client):
    names = [m.name for m in standin_client.classic_models()]
    assert names == [DEMO_MODEL, WEBHOOK_MODEL, UPLOADED_MODEL]
    assert SIGNALS_MODEL not in names


def test_slot_fields(standin_client):
    slots = {m.name: m for m in standin_client.classic_models()}
    assert slots[WEBHOOK_MODEL].webhook
    assert slots[DEMO_MODEL].upload is None
    uploaded = slots[UPLOADED_MODEL].upload
    assert uploaded.validation_status == "success"
    assert [s.status for s in uploaded.triggers[0].statuses] == [
        "pending",
        "running",
        "success",
    ]


def test_docker_images_parse_python(standin_client):
    images = standin_client.docker_images()
    assert [i.python for i in images] == ["3.10", "3.11", "3.12", "3.13"]
    assert sum(i.default for i in images) == 1


def test_data_versions_default(standin_client):
    versions = standin_client.data_versions()
    assert [v.name for v in versions if v.default] == ["v5.2"]


def test_dataset_url_and_list(standin, standin_client):
    (standin.store.data_root / "v5.2").mkdir()
    (standin.store.data_root / "v5.2" / "train.parquet").write_bytes(b"PAR1")
    assert standin_client.list_datasets() == ["v5.2/train.parquet"]
    assert standin_client.dataset_url("v5.2/train.parquet").startswith(standin.url)


def test_bad_keys_rejected(standin):
    client = NumeraiClient(Keys("A" * 32, "B" * 64), standin.url, retries=0)
    with pytest.raises(KeysRejected) as caught:
        client.account()
    assert "session is invalid" in caught.value.message
    assert "B" * 64 not in caught.value.one_line()


def test_unreachable_host_connection_error(standin, demo_keys):
    url = standin.url
    standin.stop()
    client = NumeraiClient(demo_keys, url, timeout=5, retries=2, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(ApiConnectionError) as caught:
        client.account()
    assert "Connection refused" in caught.value.message
    assert url in caught.value.message
    assert time.monotonic() - started < 5


def test_http_500_retried_then_succeeds(standin, standin_client):
    standin.inject("http_500", 2)
    assert standin_client.account().username == "demo_participant"
    assert standin.failures.http_500 == 0


def test_http_500_persistent_server_error(standin, standin_client):
    standin.inject("http_500", 10)
    with pytest.raises(ServerError) as caught:
        standin_client.account()
    assert "HTTP 500" in caught.value.message
    assert standin.failures.http_500 == 7


def test_html_502_server_error(standin, standin_client):
    standin.inject("html_502", 10)
    with pytest.raises(ServerError) as caught:
        standin_client.account()
    assert "HTTP 502" in caught.value.message
    assert "text/html" in caught.value.message


def test_stalled_response_times_out(standin, demo_keys):
    standin.inject("stall", 5)
    client = NumeraiClient(demo_keys, standin.url, timeout=0.5, retries=3, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(ApiTimeout) as caught:
        client.account()
    assert time.monotonic() - started < 2.0
    assert "0.5 s" in caught.value.message


def test_schema_change_hints_upgrade(standin_client):
    with pytest.raises(GraphQLError) as caught:
        standin_client.query("query { account { roundScoreConfigs } }")
    assert "Cannot query field" in caught.value.message
    assert "upgrade numerapi" in caught.value.hint


def test_numerapi_method_errors_are_typed(standin, standin_client):
    standin.inject("http_500", 10)
    with pytest.raises(ServerError):
        standin_client.numerapi.get_models()


def test_numerapi_routed_through_transport(standin_client):
    models = standin_client.numerapi.get_models()
    assert DEMO_MODEL in models


def test_numerapi_adds_no_stderr_handler(standin):
    script = (
        "import logging, sys\n"
        "from core.api import NumeraiClient\n"
        f"c = NumeraiClient(None, {standin.url!r})\n"
        "c.numerapi\n"
        "print(len(logging.getLogger().handlers))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0"


def test_import_stays_light():
    script = (
        "import sys\n"
        "import core.api, core.keys, core.enable, core.demo\n"
        "heavy = {'numerapi', 'pandas', 'numpy', 'textual', 'rich', 'graphql'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
