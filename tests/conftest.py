"""Fixtures shared by every test: an isolated home and a clean environment."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
    """Point every user directory at a fresh folder and drop outside settings."""
    home = tmp_path_factory.mktemp("wizard-home")
    monkeypatch.setenv("NUMERAI_WIZARD_HOME", str(home))
    monkeypatch.setenv("HOME", str(home / "user"))
    for name in ("NUMERAI_PUBLIC_ID", "NUMERAI_SECRET_KEY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return home
