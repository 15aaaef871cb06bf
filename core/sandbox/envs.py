"""Runner environments: one virtualenv per Python minor with the runner's pins.

The wizard's own interpreter serves as its version's environment when its
installed libraries equal the pins. Other versions get a virtualenv under
`cache_dir()/runner-envs/py3.X` (or `$NUMERAI_WIZARD_RUNNER_ENVS/py3.X`),
built with uv when it is installed, else with `venv` and pip, and reused
while the marker file's pins hash matches.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core import paths
from core.errors import Cancelled, WizardError

log = logging.getLogger(__name__)

PINS_FILE = Path(__file__).with_name("pins.json")
ENVS_ENV_VAR = "NUMERAI_WIZARD_RUNNER_ENVS"
MARKER = ".runner-pins"
BUILD_TIMEOUT_S = 1800


class RunnerEnvError(WizardError):
    """A runner environment could not be found or built."""


@dataclass(frozen=True)
class RunnerEnv:
    """An interpreter with the runner's libraries for one Python minor version."""

    version: str
    python: str
    source: str  # "own" (the wizard's interpreter) or "cache" (a built virtualenv)


@lru_cache(maxsize=1)
def load_pins() -> dict:
    return json.loads(PINS_FILE.read_text(encoding="utf-8"))


def runner_versions() -> list[str]:
    return sorted(load_pins()["pythons"], key=lambda v: tuple(map(int, v.split("."))))


def pins_for(version: str) -> dict[str, str]:
    try:
        return dict(load_pins()["pythons"][version])
    except KeyError:
        offered = ", ".join(runner_versions())
        raise RunnerEnvError(
            f"Python {version} is not offered by Numerai's runner.",
            f"Choose one of {offered}.",
        ) from None


def pins_hash(version: str) -> str:
    text = json.dumps(pins_for(version), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def own_version() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def installed_versions(names) -> dict[str, str | None]:
    from importlib import metadata

    found: dict[str, str | None] = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


@lru_cache(maxsize=1)
def own_env_mismatches() -> dict[str, tuple[str | None, str]]:
    """Return {package: (installed, pinned)} where this interpreter differs."""
    version = own_version()
    if version not in load_pins()["pythons"]:
        return {"python": (version, "one of " + ", ".join(runner_versions()))}
    pins = pins_for(version)
    here = installed_versions(pins)
    return {name: (here[name], pin) for name, pin in pins.items() if here[name] != pin}


def envs_root() -> Path:
    override = os.environ.get(ENVS_ENV_VAR)
    return Path(override) if override else paths.cache_dir() / "runner-envs"


def env_dir(version: str) -> Path:
    return envs_root() / f"py{version}"


def _env_python(directory: Path) -> Path:
    return directory / "bin" / "python"


def cached_env(version: str) -> RunnerEnv | None:
    directory = env_dir(version)
    marker = directory / MARKER
    python = _env_python(directory)
    if not python.exists() or not marker.exists():
        return None
    if marker.read_text().strip() != pins_hash(version):
        return None
    return RunnerEnv(version, str(python), "cache")


def available_env(version: str) -> RunnerEnv | None:
    """Return a ready environment for `version` without building one."""
    if version == own_version() and not own_env_mismatches():
        return RunnerEnv(version, sys.executable, "own")
    return cached_env(version)


def _interpreter_version(path: str) -> str | None:
    command = [path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _pyenv_roots() -> list[Path]:
    roots = [Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))]
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry.rstrip("/").endswith(".pyenv/shims"):
            roots.append(Path(entry).parent)
    return list(dict.fromkeys(roots))


def _candidates(version: str) -> list[str]:
    home = Path.home()
    found = []
    for root in _pyenv_roots():
        pattern = str(root / f"versions/{version}.*/bin/python{version}")
        found += sorted(glob.glob(pattern), reverse=True)
    uv_dir = home / ".local/share/uv/python"
    pattern = str(uv_dir / f"cpython-{version}.*/bin/python{version}")
    found += sorted(glob.glob(pattern), reverse=True)
    on_path = shutil.which(f"python{version}")
    if on_path:
        found.append(on_path)
    return found


@lru_cache(maxsize=None)
def find_interpreter(version: str) -> str | None:
    """Return a Python `version` interpreter found on this machine, or None."""
    if version == own_version():
        return sys.executable
    for candidate in _candidates(version):
        if _interpreter_version(candidate) == version:
            return candidate
    return None


def install_hint(version: str) -> str:
    if shutil.which("uv"):
        return f"Install it with `uv python install {version}`."
    return (
        f"Install Python {version} (for example `pyenv install {version}` or your"
        f" system's python{version} package), or install uv and run"
        f" `uv python install {version}`."
    )


def requirement_lines(version: str) -> list[str]:
    return [f"{name}=={pin}" for name, pin in sorted(pins_for(version).items())]


def get_env(
    version: str,
    *,
    build: bool = True,
    progress: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> RunnerEnv:
    """Return the runner environment for `version`, building it when allowed."""
    pins_for(version)
    ready = available_env(version)
    if ready is not None:
        return ready
    if not build:
        raise RunnerEnvError(
            f"No runner environment for Python {version} is built yet.",
            f"Run `numerai-wizard check PICKLE --python {version}` to build it.",
        )
    interpreter = find_interpreter(version)
    if interpreter is None:
        raise RunnerEnvError(
            f"Python {version} was not found on this machine.", install_hint(version)
        )
    return build_env(version, interpreter, progress=progress, cancel=cancel)


def build_env(
    version: str,
    interpreter: str,
    *,
    progress: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> RunnerEnv:
    """Create the virtualenv for `version` and install the runner's pins.

    The marker file is written last, so an interrupted build is redone.
    """
    directory = env_dir(version)
    if directory.exists():
        shutil.rmtree(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    uv = shutil.which("uv")
    python = str(_env_python(directory))
    if uv:
        steps = [
            [uv, "venv", "--python", interpreter, str(directory)],
            [uv, "pip", "install", "--python", python, *requirement_lines(version)],
        ]
    else:
        steps = [
            [interpreter, "-m", "venv", str(directory)],
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *requirement_lines(version),
            ],
        ]
    for command in steps:
        _run_step(command, version, progress, cancel)
    paths.atomic_write_text(directory / MARKER, pins_hash(version) + "\n")
    log.info("built runner environment for Python %s in %s", version, directory)
    return RunnerEnv(version, python, "cache")


def _run_step(command, version, progress, cancel) -> None:
    if progress is not None:
        progress(f"Python {version} runner environment: {' '.join(command[:3])} ...")
    log.info("runner env step: %s", " ".join(command))
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        output, _ = _wait(process, cancel)
    except (Cancelled, RunnerEnvError):
        shutil.rmtree(env_dir(version), ignore_errors=True)
        raise
    if process.returncode != 0:
        tail = output.strip().splitlines()[-1:] or ["no output"]
        log.error("runner env step failed (%s): %s", process.returncode, output[-2000:])
        raise RunnerEnvError(
            f"Building the Python {version} runner environment failed: {tail[0]}",
            f"Check access to PyPI, or delete {env_dir(version)} and retry.",
        )


def _wait(process: subprocess.Popen, cancel: threading.Event | None):
    waited = 0.0
    while True:
        try:
            return process.communicate(timeout=0.2)
        except subprocess.TimeoutExpired:
            waited += 0.2
        if cancel is not None and cancel.is_set():
            _stop(process)
            raise Cancelled("Building the runner environment was cancelled.")
        if waited > BUILD_TIMEOUT_S:
            _stop(process)
            raise RunnerEnvError(
                f"Building the runner environment timed out after {BUILD_TIMEOUT_S} s.",
                "Check access to PyPI and retry.",
            )


def _stop(process: subprocess.Popen) -> None:
    process.kill()
    process.communicate()


def ensure_modules(env: RunnerEnv, distributions: list[str]) -> list[str]:
    """Install runner libraries beyond the six pinned ones, e.g. catboost.

    Installs each at the version in the runner's requirements and returns the
    requirement lines installed. The wizard's own environment is left alone.
    """
    requirements = load_pins()["requirements"].get(env.version, {})
    built = pins_for(env.version)
    wanted = [
        f"{name}=={requirements[name]}"
        for name in distributions
        if name in requirements and name not in built
    ]
    if wanted and env.source != "own":
        command = [env.python, "-m", "pip", "install", "--quiet", *wanted]
        _run_step(command, env.version, None, None)
    return wanted if env.source != "own" else []
