"""`numerai-wizard train` run as a child process, as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from core.data.synthetic import generate_dataset

COMMAND = [sys.executable, "-c", "from tui.cli import main; main()", "train"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    generate_dataset(root, seed=0)
    return root


def test_train_writes_pickle_and_prints_scores(data_dir, tmp_path):
    out = tmp_path / "model.pkl"
    completed = subprocess.run(
        COMMAND
        + [
            "--data-dir",
            str(data_dir),
            "--feature-set",
            "small",
            "--preset",
            "quick",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert out.is_file()
    assert f"manifest: {tmp_path / 'model.manifest.json'}" in completed.stdout
    assert "validation: 40 eras, corr mean" in completed.stdout
    stages = [line.split(":")[0] for line in completed.stderr.splitlines()]
    assert stages == ["loading", "building dataset", "training", "validating"]


def test_unknown_feature_set_exits_1(data_dir, tmp_path):
    completed = subprocess.run(
        COMMAND
        + [
            "--data-dir",
            str(data_dir),
            "--feature-set",
            "rain",
            "--out",
            str(tmp_path / "m.pkl"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    error_lines = [
        line for line in completed.stderr.splitlines() if line.startswith("Error:")
    ]
    assert len(error_lines) == 1
    assert "'rain' not found" in error_lines[0]
    assert "Traceback" not in completed.stderr
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_exits_130_without_files(data_dir, tmp_path):
    out = tmp_path / "model.pkl"
    process = subprocess.Popen(
        COMMAND
        + [
            "--data-dir",
            str(data_dir),
            "--feature-set",
            "all",
            "--preset",
            "example",
            "--trees",
            "100000",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    line = ""
    while "training" not in line and time.monotonic() < deadline:
        line = process.stderr.readline()
    assert "training" in line
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "no file was written" in stderr
    assert os.listdir(tmp_path) == []
