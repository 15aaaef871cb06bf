"""Fixtures that run Numerai's API stand-in on 127.0.0.1 for any test.

Register with `pytest_plugins = ["tests.standin"]` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.demo import DEMO_PUBLIC_ID, DEMO_SECRET_KEY


@pytest.fixture
def standin(tmp_path) -> Iterator:
    """A fresh stand-in per test; uploads validate at once, data from tmp_path/data."""
    from core.demo.server import StandInServer

    data_root = tmp_path / "standin-data"
    data_root.mkdir()
    with StandInServer(data_root, validation_seconds=0) as server:
        yield server


@pytest.fixture
def demo_keys():
    from core.keys import Keys

    return Keys(DEMO_PUBLIC_ID, DEMO_SECRET_KEY)


@pytest.fixture
def standin_client(standin, demo_keys) -> Iterator:
    """A NumeraiClient on the stand-in with short deadlines and fast retries."""
    from core.api import NumeraiClient

    client = NumeraiClient(demo_keys, standin.url, timeout=5.0, retries=2, backoff=0.01)
    yield client
    client.close()
