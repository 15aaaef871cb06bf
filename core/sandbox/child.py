"""Run one upload pickle the way Numerai's runner (numerai-predict) does.

The sandbox starts this script as `python -I child.py REQUEST.json` in a
temporary folder, so neither the user's project nor the current directory is
on `sys.path`. It imports only the standard library and pandas (plus what the
pickle imports) and never `core`: `checks.py` and `livedata.py` are loaded by
file path. Events go to the file descriptor named in the request, one JSON
object per line; the last one is {"event": "result", ...}.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import inspect
import json
import os
import resource
import sys
import time

_events_fd = -1


def emit(event: str, **fields) -> None:
    line = json.dumps({"event": event, **fields}, default=str) + "\n"
    try:
        os.write(_events_fd, line.encode("utf-8"))
    except OSError:
        os._exit(3)


def apply_limits(request: dict) -> None:
    cpu_ids = request.get("cpu_ids")
    if cpu_ids and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cpu_ids)
    backstop = request.get("address_space_bytes")
    if backstop:
        resource.setrlimit(resource.RLIMIT_AS, (backstop, backstop))


def block_network() -> None:
    """Record every connection attempt and fail it, as the runner has no internet."""
    import errno
    import socket

    def deny(target):
        emit("network", target=str(target))
        raise OSError(errno.ENETUNREACH, f"Network is unreachable: {target}")

    def connect(self, address):
        deny(address)

    def connect_ex(self, address):
        deny(address)

    def sendto(self, data, *args):
        deny(args[-1] if args else "?")

    def getaddrinfo(host, port, *args, **kwargs):
        deny(f"{host}:{port}")

    def create_connection(address, *args, **kwargs):
        deny(address)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.getaddrinfo = getaddrinfo
    socket.create_connection = create_connection


class _BlockedFinder(importlib.abc.MetaPathFinder):
    """Hide the wizard's own packages, which the runner does not have."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def isolate_imports(request: dict) -> None:
    blocked_paths = {os.path.realpath(p) for p in request.get("blocked_paths", [])}
    sys.path[:] = [
        entry
        for entry in sys.path
        if os.path.realpath(entry or ".") not in blocked_paths
    ]
    sys.meta_path.insert(0, _BlockedFinder(set(request.get("blocked_modules", []))))


def load_helper(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exception_chain(error: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def classify_load_error(error: BaseException) -> tuple[str, str]:
    """Name the real cause of an unpickling failure, which read_pickle may hide."""
    import pickle

    chain = exception_chain(error)
    for item in chain:
        if isinstance(item, MemoryError):
            return "memory_limit", "ran out of memory while loading the pickle"
    for item in chain:
        if isinstance(item, ModuleNotFoundError):
            module = item.name or str(item)
            return "missing_module", f"loading needs module {module!r}, not found"
    for item in chain:
        if isinstance(item, AttributeError) and "__main__" in str(item):
            return "main_reference", f"the pickle refers to __main__: {item}"
    for item in chain:
        if isinstance(item, TypeError):
            message = (
                f"TypeError while loading ({item}), which the runner reports as a"
                " pickle made with another Python version"
            )
            return "wrong_python_version", message
    for item in chain:
        if isinstance(item, (pickle.UnpicklingError, EOFError)):
            return (
                "invalid_pickle",
                f"not a valid pickle: {type(item).__name__}: {item}",
            )
    first = chain[-1]
    return "load_error", f"loading failed: {type(first).__name__}: {first}"


def load_model(path: str):
    import pandas as pd

    emit("stage", stage="loading")
    start = time.perf_counter()
    try:
        model = pd.read_pickle(path)
    except BaseException as error:  # noqa: BLE001 - every failure is reported
        code, message = classify_load_error(error)
        finish(reasons=[(code, "fail", message)])
    seconds = time.perf_counter() - start
    kind = type(model)
    emit(
        "loaded",
        load_seconds=seconds,
        type=f"{kind.__module__}.{kind.__qualname__}",
        callable=callable(model),
    )
    return model, seconds


_state: dict = {"loaded": False, "ran": False, "output_valid": False}


def finish(reasons: list, **fields) -> None:
    emit("result", reasons=reasons, **_state, **fields)
    os._exit(0)


def parameter_count(model) -> int:
    return len(inspect.signature(model).parameters)


def not_callable_message(model) -> str:
    kind = type(model)
    message = (
        f"the pickle contains a {kind.__module__}.{kind.__qualname__}, not a function"
    )
    if hasattr(model, "predict"):
        message += (
            "; wrap it: def predict(live_features): return"
            " pd.DataFrame({'prediction': model.predict(live_features[features])},"
            " index=live_features.index), then cloudpickle predict"
        )
    return message


def model_feature_names(obj) -> list[str] | None:
    """Return the feature names a LightGBM or scikit-learn model was fitted on.

    LightGBM names columns Column_0, Column_1, ... when fitted on an array.
    Those names carry no information about the live columns, so they count as none.
    """
    names = _fitted_names(obj)
    if names and all(name.startswith("Column_") for name in names):
        return None
    return names


def _fitted_names(obj) -> list[str] | None:
    booster = getattr(obj, "booster_", None)
    for candidate in (booster, obj):
        feature_name = getattr(candidate, "feature_name", None)
        if callable(feature_name) and type(candidate).__name__ == "Booster":
            try:
                return [str(name) for name in feature_name()]
            except Exception:  # noqa: BLE001 - an unfitted booster has none
                return None
    names = getattr(obj, "feature_names_in_", None)
    if names is not None:
        return [str(name) for name in names]
    return None


def _referenced_objects(obj) -> list:
    """Return what a function closes over, refers to globally or defaults to."""
    found: list = []
    code = getattr(obj, "__code__", None)
    for cell in getattr(obj, "__closure__", None) or ():
        try:
            found.append(cell.cell_contents)
        except ValueError:
            pass
    if code is not None:
        names = set(code.co_names)
        for const in code.co_consts:
            if inspect.iscode(const):
                names.update(const.co_names)
        scope = getattr(obj, "__globals__", {})
        found.extend(scope[name] for name in names if name in scope)
    found.extend(getattr(obj, "__defaults__", None) or ())
    if isinstance(obj, (list, tuple, set)):
        found.extend(obj)
    if isinstance(obj, dict):
        found.extend(obj.values())
    return found


def discover_features(model) -> tuple[list[str] | None, list[str] | None]:
    """Find the model's fitted feature names and any feature-name list it contains."""
    fitted, listed = None, None
    queue, seen = [model], set()
    while queue and len(seen) < 5000:
        obj = queue.pop(0)
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float)):
            continue
        seen.add(id(obj))
        fitted = fitted or model_feature_names(obj)
        is_name_list = isinstance(obj, list) and len(obj) > 1
        if is_name_list and all(isinstance(x, str) for x in obj[:50]):
            if listed is None and str(obj[0]).startswith("feature"):
                listed = list(obj)
        queue.extend(_referenced_objects(obj))
    return fitted, listed


def read_frame(path: str):
    import pandas as pd

    if path.endswith((".parquet", ".pq")):
        return pd.read_parquet(path)
    if path.endswith(".csv"):
        return pd.read_csv(path, index_col=0)
    return pd.read_pickle(path)


def prepare_live(request: dict, model, livedata):
    """Return (live_features, benchmarks, fitted feature names, extra reasons)."""
    fitted, listed = discover_features(model)
    reasons = []
    if request.get("live"):
        live = read_frame(request["live"])
    else:
        features = request.get("features") or fitted or listed
        if not features:
            message = (
                "found no feature list in the manifest or the model;"
                " pass the live features file (--live)"
            )
            finish(reasons=[("features_unknown", "fail", message)])
        live = livedata.make_live_features(features, request["rows"])
        message = (
            f"used {len(live)} rows of synthetic live data ({len(features)} features)"
        )
        reasons.append(("synthetic_live_data", "info", message))
    if request.get("benchmarks"):
        benchmarks = read_frame(request["benchmarks"])
    else:
        benchmarks = livedata.make_benchmarks(live.index)
    return live, benchmarks, fitted, reasons


def call_model(model, n_params: int, live, benchmarks):
    if n_params == 1:
        return model(live)
    return model(live, benchmarks)


def reordered(live):
    """Return the live frame with its feature columns in reverse order."""
    columns = [str(c) for c in live.columns]
    leading = [c for c in columns if not c.startswith("feature")]
    features = [c for c in columns if c.startswith("feature")]
    return live[leading + features[::-1]]


def order_finding(model, n_params, live, benchmarks, output, checks, fitted):
    features = [c for c in live.columns if str(c).startswith("feature")]
    if len(features) < 2:
        return []
    try:
        second = call_model(model, n_params, reordered(live), benchmarks)
        difference = checks.prediction_difference(output, second)
    except Exception as error:  # noqa: BLE001 - reported as a finding
        message = f"predict failed when the live columns came in another order: {error}"
        return [("column_order_dependent", "fail", message)]
    if difference <= checks.ORDER_TOLERANCE:
        return []
    message = (
        f"predictions changed by up to {difference:.4g} when the live feature columns"
        " came in another order; select columns by name: live_features[features]"
    )
    if fitted and [str(c) for c in features] != fitted:
        message += " (the live columns are not in the model's training order)"
    return [("column_order_dependent", "fail", message)]


def predict_and_check(request, model, n_params, checks, livedata) -> None:
    try:
        live, benchmarks, fitted, reasons = prepare_live(request, model, livedata)
    except Exception as error:  # noqa: BLE001 - reported as a finding
        finish(
            reasons=[("live_data_error", "fail", f"reading live data failed: {error}")]
        )
    if fitted:
        missing = checks.missing_features(fitted, live.columns)
        if missing:
            message = (
                f"live data lacks {len(missing)} feature(s) the model expects,"
                f" e.g. {missing[:3]}"
            )
            reasons.append(("missing_feature", "fail", message))

    emit("stage", stage="predicting", rows=len(live))
    start = time.perf_counter()
    try:
        output = call_model(model, n_params, live, benchmarks)
    except MemoryError:
        finish(
            reasons=reasons + [("memory_limit", "fail", "ran out of memory in predict")]
        )
    except Exception as error:  # noqa: BLE001 - the user's code may raise anything
        message = f"predict raised {type(error).__name__}: {error}"
        finish(reasons=reasons + [("predict_error", "fail", message)], rows=len(live))
    seconds = time.perf_counter() - start
    _state["ran"] = True
    emit("predicted", predict_seconds=seconds, rows=len(live))

    emit("stage", stage="checking")
    findings = checks.runner_rejections(output, len(live))
    if not findings:
        findings = checks.contract_checks(output, live)
    _state["output_valid"] = not any(severity == "fail" for _, severity, _ in findings)
    if _state["output_valid"] and request.get("column_order_check", True):
        findings += order_finding(
            model, n_params, live, benchmarks, output, checks, fitted
        )
    finish(reasons=reasons + findings, predict_seconds=seconds, rows=len(live))


def main() -> None:
    global _events_fd
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    _events_fd = request["events_fd"]
    apply_limits(request)
    isolate_imports(request)
    block_network()
    here = request["helpers_dir"]
    checks = load_helper("_sandbox_checks", os.path.join(here, "checks.py"))
    livedata = load_helper("_sandbox_livedata", os.path.join(here, "livedata.py"))

    model, _ = load_model(request["pickle"])
    _state["loaded"] = True
    if not callable(model):
        finish(reasons=[("not_callable", "fail", not_callable_message(model))])
    try:
        n_params = parameter_count(model)
    except (TypeError, ValueError) as error:
        finish(reasons=[("wrong_parameter_count", "fail", f"no signature: {error}")])
    if n_params not in (1, 2):
        message = (
            f"predict takes {n_params} parameters; the runner calls it with"
            " (live_features) or (live_features, live_benchmark_models)"
        )
        finish(reasons=[("wrong_parameter_count", "fail", message)])
    predict_and_check(request, model, n_params, checks, livedata)


if __name__ == "__main__":
    main()
