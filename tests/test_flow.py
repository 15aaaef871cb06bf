"""The headless run of all six steps, against the stand-in over real HTTP."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.demo import DEMO_MODEL, DEMO_PUBLIC_ID, DEMO_SECRET_KEY

WIZARD = [sys.executable, "-c", "from tui.cli import main; main()"]


def run_wizard(
    *args: str, env_extra: dict | None = None, timeout: float = 240
) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [*WIZARD, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )


def run_with_demo_keys(
    api_url: str, *args: str, timeout: float = 240
) -> subprocess.CompletedProcess:
    keys = {"NUMERAI_PUBLIC_ID": DEMO_PUBLIC_ID, "NUMERAI_SECRET_KEY": DEMO_SECRET_KEY}
    return run_wizard(
        "run", "--api-url", api_url, *args, env_extra=keys, timeout=timeout
    )


def python_image_name() -> str:
    return f"Python {sys.version_info.major}.{sys.version_info.minor}"


def test_headless_run_uploads_wizard_pickle(data_standin):
    result = run_with_demo_keys(data_standin.url, "--yes")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line[:5] for line in lines] == [f"[{n}/6]" for n in range(1, 7)]
    assert "validated" in lines[-1].lower()

    created = [u for u in data_standin.store.uploads.values() if u.created]
    assert len(created) == 1
    upload = created[0]
    model = data_standin.store.model_by_name(DEMO_MODEL)
    assert upload.model_id == model.id

    pickle_line = next(line for line in lines if line.startswith("[4/6]"))
    pickle_path = Path(pickle_line.rsplit("pickle ", 1)[1])
    assert upload.sha256 == hashlib.sha256(pickle_path.read_bytes()).hexdigest()

    images = {row["id"]: row["name"] for row in data_standin.store.docker_images}
    assert images[upload.docker_image_id] == python_image_name()
    versions = {row["id"]: row["name"] for row in data_standin.store.data_versions}
    assert versions[upload.data_version_id] == "v5.2"


def test_headless_demo_command_exits_zero():
    result = run_wizard("run", "--demo", "--yes")
    assert result.returncode == 0, result.stderr
    assert "[6/6] Upload:" in result.stdout
    assert "Traceback" not in result.stderr


def test_headless_run_bad_keys_one_line(data_standin):
    wrong_secret = "Z" * 64
    result = run_wizard(
        "run",
        "--api-url",
        data_standin.url,
        "--yes",
        env_extra={
            "NUMERAI_PUBLIC_ID": DEMO_PUBLIC_ID,
            "NUMERAI_SECRET_KEY": wrong_secret,
        },
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")
    assert wrong_secret not in result.stderr + result.stdout


def test_headless_run_unreachable_api_one_line():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_with_demo_keys(f"http://127.0.0.1:{port}/", "--yes", timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first_line = result.stderr.splitlines()[0]
    assert f"127.0.0.1:{port}" in first_line


def test_headless_run_without_consent_stops(data_standin):
    result = run_with_demo_keys(data_standin.url)
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert not data_standin.store.uploads


@pytest.mark.parametrize("flag", ["--demo", "--api-url"])
def test_help_lists_environment_options(flag):
    result = run_wizard("run", "--help")
    assert result.returncode == 0
    assert flag in result.stdout


def test_headless_cancel_leaves_no_pickle(data_standin, isolated_home):
    import signal

    env = dict(os.environ)
    env.update(
        NUMERAI_PUBLIC_ID=DEMO_PUBLIC_ID,
        NUMERAI_SECRET_KEY=DEMO_SECRET_KEY,
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        [*WIZARD, "run", "--api-url", data_standin.url, "--yes", "--trees", "1000000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        for line in process.stdout:
            if line.startswith("[3/6]"):
                break
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert "Cancelled" in err
    assert "Traceback" not in err
    assert not list(isolated_home.rglob("*.pkl"))
    assert not data_standin.store.uploads


def test_headless_run_uploads_refused_says_where(data_standin):
    data_standin.store.model_uploads_enabled = False
    result = run_with_demo_keys(data_standin.url, "--yes")
    assert result.returncode == 1
    assert "numer.ai" in result.stderr
    assert "Traceback" not in result.stderr
    assert not data_standin.store.uploads


def test_headless_run_trains_from_data_dir(standin, synthetic_root):
    # This stand-in serves no dataset files, so any data request would fail.
    result = run_with_demo_keys(
        standin.url, "--yes", "--data-dir", str(synthetic_root / "v5.2")
    )
    assert result.returncode == 0, result.stderr
    assert "[3/6] Data and features: v5.2" in result.stdout
    created = [u for u in standin.store.uploads.values() if u.created]
    assert len(created) == 1
