"""`numerai-wizard upload` end to end, and the secret key in no output."""

from __future__ import annotations

import pickle

import pytest
from click.testing import CliRunner

from core import logs
from core.demo import DEMO_MODEL, DEMO_PUBLIC_ID, DEMO_SECRET_KEY, WEBHOOK_MODEL
from core.state import load_state
from tests.pickle_support import predict_pickle
from tui.cli import main

WRONG_SECRET = "Z" * 64


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    fast = {"timeout": 5.0, "retries": 2, "backoff": 0.01}
    monkeypatch.setattr("core.upload_command.CLIENT_DEFAULTS", fast)


@pytest.fixture
def pickle_file(tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps([1, 2, 3]))
    return path


def run_cli(*args, env=None, sandbox=False):
    """Run `upload`; the sandbox is skipped unless a test is about it."""
    options = [] if sandbox else ["--skip-sandbox"]
    runner = CliRunner()
    return runner.invoke(
        main, ["upload", *map(str, args), *options], env=env, catch_exceptions=False
    )


def keys_env(secret=DEMO_SECRET_KEY):
    return {"NUMERAI_PUBLIC_ID": DEMO_PUBLIC_ID, "NUMERAI_SECRET_KEY": secret}


def test_upload_to_api_url(standin, pickle_file):
    result = run_cli(
        pickle_file,
        "--model",
        DEMO_MODEL,
        "--yes",
        "--api-url",
        standin.url,
        env=keys_env(),
    )
    assert result.exit_code == 0, result.output
    assert "Validated; runs at the next round." in result.output
    saved = load_state(standin.url)
    assert saved.model_name == DEMO_MODEL
    assert saved.docker_image.startswith("Python ")
    assert saved.last_upload_id == standin.store.model_by_name(DEMO_MODEL).upload.id


def test_upload_demo_flag(pickle_file):
    result = run_cli(
        pickle_file, "--model", DEMO_MODEL, "--yes", "--demo", "--status-timeout", "0"
    )
    assert result.exit_code == 0, result.output
    assert "Uploaded model.pkl to demo_model" in result.output


def test_manifest_python_selects_image(standin, pickle_file):
    pickle_file.with_name("model.manifest.json").write_text('{"python": "3.12"}')
    result = run_cli(
        pickle_file,
        "--model",
        DEMO_MODEL,
        "--yes",
        "--api-url",
        standin.url,
        env=keys_env(),
    )
    assert result.exit_code == 0, result.output
    assert "Python 3.12" in result.output


def test_without_consent_fails(standin, pickle_file):
    result = run_cli(
        pickle_file, "--model", DEMO_MODEL, "--api-url", standin.url, env=keys_env()
    )
    assert result.exit_code == 1
    assert "--yes" in result.output
    assert standin.store.uploads == {}


def test_webhook_slot_needs_flag(standin, pickle_file):
    result = run_cli(
        pickle_file,
        "--model",
        WEBHOOK_MODEL,
        "--yes",
        "--api-url",
        standin.url,
        env=keys_env(),
    )
    assert result.exit_code == 1
    assert "--remove-webhook" in result.output
    assert standin.store.model_by_name(WEBHOOK_MODEL).submission_webhook


def test_webhook_removed_with_flag(standin, pickle_file):
    args = [
        pickle_file,
        "--model",
        WEBHOOK_MODEL,
        "--yes",
        "--remove-webhook",
        "--api-url",
        standin.url,
    ]
    result = run_cli(*args, env=keys_env())
    assert result.exit_code == 0, result.output
    assert standin.store.model_by_name(WEBHOOK_MODEL).submission_webhook is None


def test_unknown_model_lists_slots(standin, pickle_file):
    result = run_cli(
        pickle_file,
        "--model",
        "nope",
        "--yes",
        "--api-url",
        standin.url,
        env=keys_env(),
    )
    assert result.exit_code == 1
    assert "'nope' was not found" in result.output
    assert DEMO_MODEL in result.output


def test_unreachable_api_exit_code(standin, pickle_file):
    url = standin.url
    standin.stop()
    result = run_cli(
        pickle_file, "--model", DEMO_MODEL, "--yes", "--api-url", url, env=keys_env()
    )
    assert result.exit_code == 1
    assert "Could not connect" in result.output
    assert "Traceback" not in result.output


def test_missing_pickle_exit_code(standin, tmp_path):
    result = run_cli(
        tmp_path / "none.pkl",
        "--model",
        DEMO_MODEL,
        "--api-url",
        standin.url,
        env=keys_env(),
    )
    assert result.exit_code == 1
    assert "Pickle file not found" in result.output


def test_secret_never_in_output_or_logs(standin, pickle_file):
    outputs = []
    for secret in (DEMO_SECRET_KEY, WRONG_SECRET, DEMO_SECRET_KEY + "\r\n"):
        args = [pickle_file, "--model", DEMO_MODEL, "--yes", "--api-url", standin.url]
        outputs.append(run_cli(*args, env=keys_env(secret)).output)
    standin.inject("http_500", 20)
    outputs.append(run_cli(*args, env=keys_env()).output)

    log_file = logs.current_log_file()
    assert log_file is not None
    log_text = log_file.read_text()
    assert "Your session is invalid" in outputs[1]
    for secret in (DEMO_SECRET_KEY, WRONG_SECRET):
        assert all(secret not in output for output in outputs)
        assert secret not in log_text


def test_sandbox_fail_blocks_upload(standin, tmp_path):
    bad = predict_pickle(tmp_path / "dict.pkl", callable_model=False)
    result = run_cli(
        bad,
        "--model",
        DEMO_MODEL,
        "--yes",
        "--api-url",
        standin.url,
        env=keys_env(),
        sandbox=True,
    )
    assert result.exit_code == 1
    assert "sandbox rejected" in result.output
    assert not standin.store.uploads


def test_sandbox_pass_then_upload(standin, tmp_path):
    good = predict_pickle(tmp_path / "good.pkl")
    result = run_cli(
        good,
        "--model",
        DEMO_MODEL,
        "--yes",
        "--api-url",
        standin.url,
        env=keys_env(),
        sandbox=True,
    )
    assert result.exit_code == 0, result.output
    assert "Sandbox: PASS" in result.output or "Sandbox: WARN" in result.output
    assert any(upload.created for upload in standin.store.uploads.values())
