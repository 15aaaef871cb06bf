"""Parent side of a sandbox run: spawn the child, enforce limits, collect events.

The child runs `child.py` with `-I` in an empty temporary folder. The parent
samples the RSS of the child and its descendants with psutil, kills the
process group when it crosses the memory limit, the wall-time limit or a
cancel request, and reads the child's JSON events from a pipe.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.sandbox.limits import GIB, THREAD_ENV_VARS, Limits
from core.sandbox.report import SandboxProgress

log = logging.getLogger(__name__)

HELPERS_DIR = Path(__file__).resolve().parent
CHILD_SCRIPT = HELPERS_DIR / "child.py"
PROJECT_ROOT = HELPERS_DIR.parents[1]
# The wizard's own packages: importable here through the editable install,
# absent in Numerai's runner.
BLOCKED_MODULES = ("core", "tui")
# Environment variables passed to the child; everything else is dropped.
INHERITED_ENV_VARS = ("PATH", "LANG", "TZ", "TMPDIR")
MAX_CURVE_POINTS = 600
CHILDREN_SCAN_INTERVAL_S = 0.5
OUTPUT_TAIL_BYTES = 4000
STAGE_MESSAGES = {
    "loading": "Loading the pickle",
    "predicting": "Running predict",
    "checking": "Checking the output",
}


@dataclass
class ChildRequest:
    """Inputs of one child run: interpreter, pickle, live data and options."""

    python: str
    pickle: Path
    live: Path | None = None
    benchmarks: Path | None = None
    features: list[str] | None = None
    rows: int = 6000
    column_order_check: bool = True


@dataclass
class ChildOutcome:
    """Result of one child run: exit status, events, memory and output."""

    returncode: int | None = None
    killed_for: str | None = None  # "memory", "timeout" or "cancel"
    result: dict | None = None
    events: list[dict] = field(default_factory=list)
    peak_rss_bytes: int = 0
    memory_curve: list[tuple[float, int]] = field(default_factory=list)
    elapsed_s: float = 0.0
    output_tail: str = ""

    @property
    def signal_number(self) -> int | None:
        if self.returncode is not None and self.returncode < 0:
            return -self.returncode
        return None

    def seen(self, event: str) -> dict | None:
        return next((e for e in reversed(self.events) if e["event"] == event), None)

    def last_stage(self) -> str | None:
        stage = self.seen("stage")
        return stage["stage"] if stage else None

    def network_targets(self) -> list[str]:
        return [e["target"] for e in self.events if e["event"] == "network"]


def child_env(limits: Limits, home: Path | None = None) -> dict[str, str]:
    """Return a minimal environment: no API keys or user settings reach the pickle.

    NOTE: this keeps secrets out of the environment only; the child runs as
    the same user and can still read the user's files.
    """
    env = {k: v for k, v in os.environ.items() if k in INHERITED_ENV_VARS}
    env.update({k: v for k, v in os.environ.items() if k.startswith("LC_")})
    for name in THREAD_ENV_VARS:
        env[name] = str(limits.cpus)
    env["PYTHONNOUSERSITE"] = "1"
    if home is not None:
        env["HOME"] = str(home)
    return env


def address_space_backstop(limits: Limits) -> int:
    # NOTE: RLIMIT_AS counts virtual memory, which numeric libraries reserve far
    # beyond what they touch, so it is set well above the limit and RSS
    # sampling enforces the limit itself.
    return limits.memory_bytes * 4 + 4 * GIB


def cpu_ids(limits: Limits) -> list[int]:
    if not hasattr(os, "sched_getaffinity"):
        return []
    return sorted(os.sched_getaffinity(0))[: limits.cpus]


def _request_json(request: ChildRequest, limits: Limits, events_fd: int) -> dict:
    return {
        "pickle": str(request.pickle),
        "live": str(request.live) if request.live else None,
        "benchmarks": str(request.benchmarks) if request.benchmarks else None,
        "features": request.features,
        "rows": request.rows,
        "column_order_check": request.column_order_check,
        "events_fd": events_fd,
        "cpu_ids": cpu_ids(limits),
        "address_space_bytes": address_space_backstop(limits),
        "blocked_modules": list(BLOCKED_MODULES),
        "blocked_paths": [str(PROJECT_ROOT), os.getcwd()],
        "helpers_dir": str(HELPERS_DIR),
    }


def _read_events(fd: int, events: queue.Queue) -> None:
    with os.fdopen(fd, "rb") as pipe:
        for raw in pipe:
            try:
                events.put(json.loads(raw))
            except ValueError:
                log.warning("ignoring a malformed sandbox event: %r", raw[:200])


class _RssSampler:
    """RSS of a process and its descendants; the descendant list is refreshed slowly."""

    def __init__(self, pid: int) -> None:
        import psutil

        self._psutil = psutil
        self.root = psutil.Process(pid)
        self.children: list = []
        self.children_scanned = 0.0

    def sample(self, now: float) -> int:
        psutil = self._psutil
        if now - self.children_scanned >= CHILDREN_SCAN_INTERVAL_S:
            try:
                self.children = self.root.children(recursive=True)
            except psutil.Error:
                self.children = []
            self.children_scanned = now
        total = 0
        for process in [self.root, *self.children]:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        return total


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _downsample(curve: list[tuple[float, int]]) -> list[tuple[float, int]]:
    if len(curve) <= MAX_CURVE_POINTS:
        return curve
    step = len(curve) / MAX_CURVE_POINTS
    picked = [curve[int(i * step)] for i in range(MAX_CURVE_POINTS)]
    peak = max(curve, key=lambda point: point[1])
    return sorted(set(picked) | {peak, curve[-1]})


def run_child(
    request: ChildRequest,
    limits: Limits,
    progress: Callable[[SandboxProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> ChildOutcome:
    """Run the pickle in a child process under `limits` and return what happened."""
    with tempfile.TemporaryDirectory(prefix="numerai-sandbox-") as workdir:
        return _run_in(Path(workdir), request, limits, progress, cancel)


def _run_in(workdir, request, limits, progress, cancel) -> ChildOutcome:
    read_fd, write_fd = os.pipe()
    request_path = workdir / "request.json"
    request_path.write_text(json.dumps(_request_json(request, limits, write_fd)))
    output_path = workdir / "output.log"
    command = [request.python, "-I", str(CHILD_SCRIPT), str(request_path)]
    log.info("sandbox child starting: %s", " ".join(command))

    with open(output_path, "wb") as output:
        try:
            process = subprocess.Popen(
                command,
                cwd=workdir,
                env=child_env(limits, home=workdir),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                start_new_session=True,
            )
        finally:
            os.close(write_fd)
        try:
            outcome = _monitor(process, read_fd, limits, progress, cancel)
        except BaseException:
            # KeyboardInterrupt or a failing progress callback: the child runs in
            # its own session, so it would outlive this process unless killed.
            _kill_group(process)
            process.wait()
            raise

    outcome.output_tail = _tail(output_path)
    log.info(
        "sandbox child finished: rc=%s killed_for=%s peak_rss=%d elapsed=%.2fs",
        outcome.returncode,
        outcome.killed_for,
        outcome.peak_rss_bytes,
        outcome.elapsed_s,
    )
    return outcome


def _tail(path: Path) -> str:
    data = path.read_bytes()[-OUTPUT_TAIL_BYTES:]
    return data.decode("utf-8", errors="replace")


def _monitor(process, read_fd, limits, progress, cancel) -> ChildOutcome:
    outcome = ChildOutcome()
    events: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_read_events, args=(read_fd, events), daemon=True)
    reader.start()
    sampler = _RssSampler(process.pid)
    start = time.monotonic()
    curve: list[tuple[float, int]] = []

    while True:
        elapsed = time.monotonic() - start
        rss = sampler.sample(elapsed)
        curve.append((round(elapsed, 3), rss))
        outcome.peak_rss_bytes = max(outcome.peak_rss_bytes, rss)
        _drain(events, outcome, progress, elapsed, rss)

        outcome.killed_for = _limit_crossed(rss, elapsed, limits, cancel)
        if outcome.killed_for:
            _kill_group(process)
            process.wait()
            break
        try:
            process.wait(timeout=limits.sample_interval_s)
            break
        except subprocess.TimeoutExpired:
            continue

    _kill_group(process)  # descendants the pickle may have left running
    reader.join(timeout=5)
    outcome.elapsed_s = time.monotonic() - start
    _drain(events, outcome, progress, outcome.elapsed_s, 0)
    outcome.returncode = process.returncode
    outcome.memory_curve = _downsample(curve)
    return outcome


def _limit_crossed(rss, elapsed, limits, cancel) -> str | None:
    if cancel is not None and cancel.is_set():
        return "cancel"
    if rss > limits.memory_bytes:
        return "memory"
    if elapsed > limits.timeout_s:
        return "timeout"
    return None


def _drain(events, outcome, progress, elapsed, rss) -> None:
    while True:
        try:
            event = events.get_nowait()
        except queue.Empty:
            return
        outcome.events.append(event)
        if event["event"] == "result":
            outcome.result = event
        if event["event"] == "stage" and progress is not None:
            stage = event["stage"]
            message = STAGE_MESSAGES.get(stage, stage)
            if "rows" in event:
                message = f"{message} ({event['rows']} rows)"
            progress(SandboxProgress(stage, message, elapsed, rss))


def own_python() -> str:
    return sys.executable
