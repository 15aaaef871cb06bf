"""Pickles made by another Python minor version, run in its runner environment.

Building a runner environment installs the runner's pins from PyPI (about
20-60 s). It happens once per test session, or never when
NUMERAI_WIZARD_RUNNER_ENVS points at a folder that already contains it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from core.sandbox import envs, render_text, run_sandbox
from tests.sandbox_helpers import FEATURES

SAMPLE = Path(__file__).parents[2] / "shared" / "samples" / "numerai_example_py311.pkl"
PREFERRED_OTHERS = ("3.12", "3.13", "3.10", "3.11")
MAKE_PICKLE = """
import sys, cloudpickle
features = {features!r}
def predict(live_features):
    ranks = live_features[features].sum(axis=1).rank(pct=True)
    return ranks.to_frame("prediction")
with open(sys.argv[1], "wb") as handle:
    handle.write(cloudpickle.dumps(predict))
"""


@pytest.fixture(scope="session")
def other_env(tmp_path_factory):
    own = envs.own_version()
    others = [v for v in PREFERRED_OTHERS if v != own]
    version = next((v for v in others if envs.find_interpreter(v)), None)
    if version is None:
        pytest.skip(
            f"no second Python minor version is installed (looked for {others})"
        )

    root = os.environ.get(envs.ENVS_ENV_VAR) or str(tmp_path_factory.mktemp("envs"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(envs.ENVS_ENV_VAR, root)
        env = envs.get_env(version)
    return env, root


@pytest.fixture
def use_env(other_env, monkeypatch):
    env, root = other_env
    monkeypatch.setenv(envs.ENVS_ENV_VAR, root)
    return env


def make_other_pickle(env, directory: Path) -> Path:
    path = directory / "other.pkl"
    source = MAKE_PICKLE.format(features=FEATURES)
    subprocess.run([env.python, "-c", source, str(path)], check=True, timeout=120)
    manifest = {"features": FEATURES}  # no "python": found by trial
    path.with_name("other.manifest.json").write_text(json.dumps(manifest))
    return path


def test_other_python_found_by_trial(use_env, tmp_path):
    path = make_other_pickle(use_env, tmp_path)

    report = run_sandbox(path)

    assert report.python == use_env.version, render_text(report)
    assert report.verdict == "warn", render_text(report)
    assert report.codes()[0] == "python_mismatch"
    assert envs.own_version() in report.reasons[0].message
    rows = {row.python: row for row in report.compatibility}
    assert rows[use_env.version].selected
    assert rows[use_env.version].output_valid
    assert rows[envs.own_version()].output_valid is False
    assert not rows[envs.own_version()].selected


def test_other_python_named_explicitly(use_env, tmp_path):
    path = make_other_pickle(use_env, tmp_path)

    report = run_sandbox(path, python=use_env.version)

    assert report.verdict == "pass", render_text(report)
    assert report.python == use_env.version
    assert "python_mismatch" not in report.codes()


def test_env_reused_from_cache(use_env):
    again = envs.get_env(use_env.version, build=False)

    assert again.python == use_env.python
    assert again.source == "cache"
    marker = envs.env_dir(use_env.version) / envs.MARKER
    assert marker.read_text().strip() == envs.pins_hash(use_env.version)


@pytest.mark.skipif(
    not SAMPLE.exists(), reason=f"Numerai's sample pickle is not at {SAMPLE}"
)
def test_sample_fails_under_other_python(use_env):
    report = run_sandbox(SAMPLE, python=use_env.version)

    assert report.verdict == "fail", render_text(report)
    assert report.codes()[0] in {
        "crash_after_load",
        "wrong_python_version",
        "load_error",
    }
