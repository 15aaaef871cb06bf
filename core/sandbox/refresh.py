"""Rebuild pins.json from numerai-predict's `py3.X/requirements.txt` files.

`refresh_pins` downloads the files from GitHub and needs internet access; the
tests exercise only `build_pins` and `parse_requirements` on local text.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from datetime import date
from pathlib import Path

from core import paths
from core.sandbox import envs

log = logging.getLogger(__name__)

REPOSITORY = "numerai/numerai-predict"
BRANCH = "master"
REQUIREMENTS_URL = (
    "https://raw.githubusercontent.com/{repo}/{branch}/py{version}/requirements.txt"
)
VERSIONS = ("3.10", "3.11", "3.12", "3.13")
# The libraries inside a LightGBM upload pickle, which a runner environment installs.
ENV_PACKAGES = ("cloudpickle", "lightgbm", "numpy", "pandas", "pyarrow", "scikit-learn")
# Distributions whose import name is not the distribution name with "_" for "-".
IMPORT_NAMES = {
    "scikit-learn": "sklearn",
    "python-dateutil": "dateutil",
    "pyyaml": "yaml",
    "pillow": "PIL",
    "protobuf": "google",
    "absl-py": "absl",
    "beautifulsoup4": "bs4",
    "pyzmq": "zmq",
    "libclang": "clang",
    "python-dotenv": "dotenv",
    "polars-runtime-32": "polars",
    "attrs": "attr",
}
_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def parse_requirements(text: str) -> dict[str, str]:
    """Return {distribution: version} for every `name==version` line."""
    pins = {}
    for line in text.splitlines():
        match = _REQUIREMENT.match(line.strip())
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def build_pins(
    texts: dict[str, str], retrieved: str, commits: dict | None = None
) -> dict:
    """Build the pins.json document from requirements text per Python version."""
    requirements = {
        version: parse_requirements(text) for version, text in texts.items()
    }
    pythons = {}
    for version, pins in requirements.items():
        missing = [name for name in ENV_PACKAGES if name not in pins]
        if missing:
            raise ValueError(f"py{version}/requirements.txt lacks {missing}")
        pythons[version] = {name: pins[name] for name in ENV_PACKAGES}
    return {
        "source": f"github.com/{REPOSITORY}, py3.X/requirements.txt on {BRANCH}",
        "retrieved": retrieved,
        "commits": commits or {},
        "note": (
            "'pythons' lists the libraries a runner environment installs;"
            " 'requirements' lists everything the runner image has."
        ),
        "pythons": pythons,
        "import_names": IMPORT_NAMES,
        "requirements": requirements,
    }


def download_requirements(version: str, timeout: float = 30) -> str:
    url = REQUIREMENTS_URL.format(repo=REPOSITORY, branch=BRANCH, version=version)
    log.info("downloading %s", url)
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
        return response.read().decode("utf-8")


def refresh_pins(
    versions=VERSIONS, *, timeout: float = 30, path: Path = envs.PINS_FILE
) -> dict:
    """Download the runner's requirements and rewrite pins.json atomically.

    Needs internet access to raw.githubusercontent.com.
    """
    texts = {version: download_requirements(version, timeout) for version in versions}
    document = build_pins(texts, date.today().isoformat())
    paths.atomic_write_text(path, json.dumps(document, indent=1, sort_keys=True) + "\n")
    envs.load_pins.cache_clear()
    return document
