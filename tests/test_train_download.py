"""`numerai-wizard train` without --data-dir downloads through the API first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WIZARD = [sys.executable, "-c", "from tui.cli import main; main()"]


def run_train(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*WIZARD, "train", "--feature-set", "small", "--preset", "quick", *args],
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_train_downloads_from_api(data_standin, tmp_path, isolated_home):
    out = tmp_path / "model.pkl"
    result = run_train("--api-url", data_standin.url, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    assert f"pickle: {out}" in result.stdout
    downloaded = isolated_home / "cache" / "datasets" / "v5.2" / "train.parquet"
    assert downloaded.is_file()


def test_train_unreachable_api_one_line(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "model.pkl"
    result = run_train("--api-url", f"http://127.0.0.1:{port}/", "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Could not connect" in result.stderr
    assert not out.exists()
    assert not list(Path(tmp_path).glob("*.pkl"))
