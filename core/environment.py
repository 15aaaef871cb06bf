"""The API address the wizard talks to and the folders its data comes from.

Demo and real use differ only here: the demo starts the stand-in API on
127.0.0.1 with Numerai-shaped synthetic files behind its dataset URLs, and
everything after that runs the same code as against the real API.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core import paths

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api-tournament.numer.ai"
DEMO_PROFILE = "demo"
DEMO_DATA_VERSION = "v5.2"


@dataclass(frozen=True)
class Environment:
    """The API address and data folders one wizard run works with."""

    api_url: str
    # Downloads land here, one sub-folder per data version.
    data_dir: Path
    # Numerai-format files already on disk; when set, no data comes from the API.
    local_data_dir: Path | None = None
    demo: bool = False

    @property
    def profile(self) -> str:
        """Return the name that keeps this environment's remembered state apart."""
        return DEMO_PROFILE if self.demo else self.api_url


def real_environment(
    api_url: str | None = None, local_data_dir: str | Path | None = None
) -> Environment:
    """Return the environment for Numerai's API (or another address)."""
    return Environment(
        api_url=api_url or DEFAULT_API_URL,
        data_dir=paths.cache_dir() / "datasets",
        local_data_dir=Path(local_data_dir).expanduser() if local_data_dir else None,
    )


def demo_source_dir() -> Path:
    """Return the folder the stand-in serves its synthetic dataset files from."""
    return paths.cache_dir() / "demo" / "source"


@contextlib.contextmanager
def demo_environment(
    local_data_dir: str | Path | None = None, *, validation_seconds: float | None = None
) -> Iterator[Environment]:
    """Start the stand-in API with synthetic data and stop it on exit.

    The synthetic files are generated once into the cache and reused. The
    wizard downloads them through the stand-in's dataset URLs into its own
    demo data folder, as it would from Numerai.
    """
    from core.data.synthetic import generate_if_missing
    from core.demo import StandInServer

    source = demo_source_dir()
    generate_if_missing(source, DEMO_DATA_VERSION)
    options = {}
    if validation_seconds is not None:
        options["validation_seconds"] = validation_seconds
    with StandInServer(data_root=source, run_pickles=True, **options) as server:
        log.info("demo stand-in API listening at %s", server.url)
        yield Environment(
            api_url=server.url,
            data_dir=paths.cache_dir() / "demo" / "downloads",
            local_data_dir=Path(local_data_dir).expanduser()
            if local_data_dir
            else None,
            demo=True,
        )
