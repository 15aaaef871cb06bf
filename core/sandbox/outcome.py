"""Turn what happened in a child run into reasons, timings and headroom."""

from __future__ import annotations

import signal

from core.sandbox.limits import GIB, RUNNER_LIVE_ROWS, Limits
from core.sandbox.report import Reason
from core.sandbox.runner import ChildOutcome

# Share of a limit above which the report warns that little headroom is left.
NEAR_LIMIT = 0.8
# Load-time failures that another Python version might not have.
# A predict error counts too, because bytecode of another minor version can
# raise SystemError or odd TypeErrors instead of crashing.
VERSION_SENSITIVE = {
    "wrong_python_version",
    "crash",
    "crash_after_load",
    "load_error",
    "predict_error",
}


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def limit_reasons(outcome: ChildOutcome, limits: Limits) -> list[Reason]:
    stage = outcome.last_stage() or "starting"
    if outcome.killed_for == "memory":
        message = (
            f"memory (RSS) passed the limit of {limits.memory_bytes / GIB:.2f} GiB"
            f" while {stage}; the runner stops a model at 4 GB"
        )
        return [Reason("memory_limit", "fail", message)]
    if outcome.killed_for == "timeout":
        message = (
            f"did not finish within {limits.timeout_s:g} s (stopped while {stage})"
        )
        return [Reason("timeout", "fail", message)]
    return []


def crash_reasons(outcome: ChildOutcome) -> list[Reason]:
    number = outcome.signal_number
    if number is None or outcome.killed_for:
        return []
    name = _signal_name(number)
    if number == signal.SIGKILL:
        message = (
            "the process was killed (SIGKILL), most likely by the system for memory"
        )
        return [Reason("memory_limit", "fail", message)]
    if outcome.seen("loaded"):
        message = (
            f"the interpreter crashed ({name}) after the pickle loaded: likely a"
            " Python or library version mismatch with the environment that made it"
        )
        return [Reason("crash_after_load", "fail", message)]
    message = f"the interpreter crashed ({name}) while loading the pickle"
    return [Reason("crash", "fail", message)]


def exit_reasons(outcome: ChildOutcome) -> list[Reason]:
    """Explain a child that exited without a result and without a signal."""
    if outcome.result is not None or outcome.killed_for or outcome.signal_number:
        return []
    last_line = (outcome.output_tail.strip().splitlines() or ["no output"])[-1]
    message = (
        f"the sandbox process exited with code {outcome.returncode} before"
        f" finishing ({outcome.last_stage() or 'starting'}): {last_line[:200]}"
    )
    return [Reason("child_error", "fail", message)]


def network_reasons(outcome: ChildOutcome) -> list[Reason]:
    targets = list(dict.fromkeys(outcome.network_targets()))
    if not targets:
        return []
    shown = ", ".join(targets[:3])
    message = (
        f"the pickle tried to reach the network ({shown}); the runner has no"
        " internet access, so download nothing at predict time"
    )
    return [Reason("network_access", "fail", message)]


def result_reasons(outcome: ChildOutcome) -> list[Reason]:
    if outcome.result is None:
        return []
    return [Reason(code, sev, msg) for code, sev, msg in outcome.result["reasons"]]


def all_reasons(outcome: ChildOutcome, limits: Limits) -> list[Reason]:
    return (
        limit_reasons(outcome, limits)
        + crash_reasons(outcome)
        + exit_reasons(outcome)
        + network_reasons(outcome)
        + result_reasons(outcome)
    )


def timings(outcome: ChildOutcome) -> tuple[float | None, float | None, int | None]:
    loaded = outcome.seen("loaded")
    predicted = outcome.seen("predicted")
    load_s = loaded["load_seconds"] if loaded else None
    predict_s = predicted["predict_seconds"] if predicted else None
    rows = predicted["rows"] if predicted else None
    return load_s, predict_s, rows


def scaled_predict(predict_s: float | None, rows: int | None) -> float | None:
    """Estimate predict time at the runner's live size, linear in rows."""
    if predict_s is None or not rows or rows >= RUNNER_LIVE_ROWS:
        return predict_s
    return predict_s * RUNNER_LIVE_ROWS / rows


def headroom(
    peak: int, load_s: float | None, scaled_s: float | None, limits: Limits
) -> dict[str, float | None]:
    used_time = None if scaled_s is None else (load_s or 0.0) + scaled_s
    return {
        "memory": 1 - peak / limits.memory_bytes,
        "time": None if used_time is None else 1 - used_time / limits.timeout_s,
    }


def headroom_reasons(room: dict[str, float | None], limits: Limits) -> list[Reason]:
    reasons = []
    memory = room.get("memory")
    if memory is not None and 0 <= memory < 1 - NEAR_LIMIT:
        message = (
            f"peak memory used {1 - memory:.0%} of the"
            f" {limits.memory_bytes / GIB:.2f} GiB limit"
        )
        reasons.append(Reason("memory_near_limit", "warn", message))
    time_left = room.get("time")
    if time_left is not None and 0 <= time_left < 1 - NEAR_LIMIT:
        share = 1 - time_left
        message = (
            f"load and predict take {share:.0%} of the {limits.timeout_s:g} s limit"
        )
        reasons.append(Reason("time_near_limit", "warn", message))
    return reasons


def flags(outcome: ChildOutcome) -> tuple[bool, bool, bool]:
    """Return (loads, runs, output_valid) for the compatibility matrix."""
    result = outcome.result or {}
    loads = bool(outcome.seen("loaded"))
    runs = bool(outcome.seen("predicted"))
    reasons = all_reasons(outcome, Limits())
    valid = (
        runs
        and bool(result.get("output_valid"))
        and not any(reason.severity == "fail" for reason in reasons)
    )
    return loads, runs, valid


def is_version_sensitive(reasons: list[Reason]) -> bool:
    return any(reason.code in VERSION_SENSITIVE for reason in reasons)
