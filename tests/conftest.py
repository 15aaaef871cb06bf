"""Fixtures shared by every test: an isolated home and a clean environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.standin"]

SHARED_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


@pytest.fixture(scope="session")
def runner_envs_dir(tmp_path_factory) -> str:
    """One folder of runner environments for the whole run, so each is built once.

    A folder already named by NUMERAI_WIZARD_RUNNER_ENVS is reused as it is.
    """
    return os.environ.get("NUMERAI_WIZARD_RUNNER_ENVS") or str(
        tmp_path_factory.mktemp("runner-envs")
    )


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch, runner_envs_dir) -> Path:
    """Point every user directory at a fresh folder and drop outside settings."""
    home = tmp_path_factory.mktemp("wizard-home")
    monkeypatch.setenv("NUMERAI_WIZARD_HOME", str(home))
    monkeypatch.setenv("NUMERAI_WIZARD_RUNNER_ENVS", runner_envs_dir)
    monkeypatch.setenv("HOME", str(home / "user"))
    for name in ("NUMERAI_PUBLIC_ID", "NUMERAI_SECRET_KEY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def synthetic_root(tmp_path_factory) -> Path:
    """Small Numerai-shaped data, generated once per test run: `root/v5.2/...`."""
    from core.data.synthetic import generate_dataset

    root = tmp_path_factory.mktemp("synthetic")
    generate_dataset(root, "v5.2", seed=0, size="small")
    return root


@pytest.fixture
def data_standin(synthetic_root) -> Iterator:
    """A stand-in API that serves the synthetic data; uploads validate at once."""
    from core.demo.server import StandInServer

    with StandInServer(synthetic_root, validation_seconds=0) as server:
        yield server
