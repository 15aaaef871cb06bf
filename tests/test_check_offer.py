"""`numerai-wizard check --api-url` asks the API whether a runner fits the pickle."""

from __future__ import annotations

import json
import sys

from click.testing import CliRunner

from core.demo import DEMO_PUBLIC_ID, DEMO_SECRET_KEY
from tests.pickle_support import predict_pickle
from tui.cli import main

KEYS = {"NUMERAI_PUBLIC_ID": DEMO_PUBLIC_ID, "NUMERAI_SECRET_KEY": DEMO_SECRET_KEY}
RUNNING = f"Python {sys.version_info.major}.{sys.version_info.minor}"


def run_check(pickle_path, api_url):
    args = ["check", str(pickle_path), "--api-url", api_url, "--json"]
    return CliRunner().invoke(main, args, env=KEYS, catch_exceptions=False)


def test_offered_runner_is_info(standin, tmp_path):
    result = run_check(predict_pickle(tmp_path / "good.pkl"), standin.url)
    report = json.loads(result.output)
    assert result.exit_code == 0
    assert "runner_offered" in [reason["code"] for reason in report["reasons"]]


def test_missing_runner_fails(standin, tmp_path):
    standin.store.docker_images[:] = [
        row for row in standin.store.docker_images if row["name"] != RUNNING
    ]
    result = run_check(predict_pickle(tmp_path / "good.pkl"), standin.url)
    report = json.loads(result.output)
    assert result.exit_code == 1
    assert report["verdict"] == "fail"
    assert report["reasons"][0]["code"] == "python_not_offered"
