"""Static scan of a pickle's opcodes: the modules it imports, without loading it.

`pickletools.genops` walks the opcodes; GLOBAL carries "module name" as its
argument, and STACK_GLOBAL takes the two strings pushed before it, directly
or through the memo, which the scan tracks. A LightGBM model inside the
pickle stores its model text, whose `feature_names=` line gives the features
in training order.
"""

from __future__ import annotations

import importlib.util
import pickletools
import sys
from dataclasses import dataclass, field
from pathlib import Path

from core.sandbox.report import ModuleUse, Reason

STRING_OPCODES = {
    "SHORT_BINUNICODE",
    "BINUNICODE",
    "BINUNICODE8",
    "UNICODE",
    "SHORT_BINSTRING",
    "BINSTRING",
    "STRING",
}
PUT_OPCODES = {"PUT", "BINPUT", "LONG_BINPUT"}
GET_OPCODES = {"GET", "BINGET", "LONG_BINGET"}
PSEUDO_STDLIB = {"builtins", "copyreg", "_codecs", "__builtin__", "copy_reg"}
WIZARD_PACKAGES = {"core", "tui"}


@dataclass
class PickleScan:
    """Imports found in a pickle and the feature names of a LightGBM model in it."""

    globals: list[tuple[str, str]] = field(default_factory=list)
    feature_names: list[str] | None = None
    error: str | None = None

    def top_modules(self) -> list[str]:
        return list(dict.fromkeys(module.split(".")[0] for module, _ in self.globals))


def scan_pickle(path: Path | str) -> PickleScan:
    """Walk the opcodes of the pickle at `path` and collect its imports."""
    scan = PickleScan()
    memo: dict[int, object] = {}
    recent: list[object] = []
    try:
        with open(path, "rb") as handle:
            for opcode, arg, _ in pickletools.genops(handle):
                _step(opcode.name, arg, memo, recent, scan)
    except (ValueError, EOFError, OSError) as error:
        scan.error = f"{type(error).__name__}: {error}"
    return scan


def _step(name: str, arg, memo: dict, recent: list, scan: PickleScan) -> None:
    if name in STRING_OPCODES:
        value = arg.decode("latin-1") if isinstance(arg, bytes) else arg
        recent.append(value)
        _look_for_features(value, scan)
    elif name == "MEMOIZE":
        memo[len(memo)] = recent[-1] if recent else None
    elif name in PUT_OPCODES:
        memo[arg] = recent[-1] if recent else None
    elif name in GET_OPCODES:
        recent.append(memo.get(arg))
    elif name == "GLOBAL":
        module, _, attribute = arg.partition(" ")
        scan.globals.append((module, attribute))
        recent.append(None)
    elif name == "STACK_GLOBAL":
        module = recent[-2] if len(recent) >= 2 else None
        attribute = recent[-1] if recent else None
        if isinstance(module, str) and isinstance(attribute, str):
            scan.globals.append((module, attribute))
        recent.append(None)
    else:
        recent.append(None)
    if len(recent) > 64:
        del recent[:-8]


def _look_for_features(value: str, scan: PickleScan) -> None:
    if scan.feature_names is not None or len(value) < 200:
        return
    marker = "\nfeature_names="
    start = value.find(marker)
    if start < 0 or not value.startswith("tree"):
        return
    end = value.find("\n", start + len(marker))
    names = value[start + len(marker) : end].split()
    # LightGBM names unnamed columns Column_0, Column_1, ...: no information.
    if not all(name.startswith("Column_") for name in names):
        scan.feature_names = names


def import_to_distribution(pins: dict, version: str) -> dict[str, str]:
    """Map import names to the runner's distributions for Python `version`."""
    requirements = pins["requirements"].get(version, {})
    names = {}
    for dist in requirements:
        names.setdefault(pins["import_names"].get(dist, dist.replace("-", "_")), dist)
    return names


def classify_modules(scan: PickleScan, version: str, pins: dict) -> list[ModuleUse]:
    """Classify each top-level module against the runner's list for `version`."""
    from core.sandbox.envs import installed_versions

    dists = import_to_distribution(pins, version)
    requirements = pins["requirements"].get(version, {})
    built = pins["pythons"].get(version, {})
    uses = []
    for module in scan.top_modules():
        dist = dists.get(module)
        use = ModuleUse(module, _kind(module, dist, built))
        if dist is not None:
            use.local_version = installed_versions([dist])[dist]
            use.runner_version = requirements.get(dist)
        uses.append(use)
    return uses


def _kind(module: str, dist: str | None, built: dict) -> str:
    if module == "__main__":
        return "main"
    if module in sys.stdlib_module_names or module in PSEUDO_STDLIB:
        return "stdlib"
    if dist in built:
        return "runner"
    if dist is not None:
        return "runner_extra"
    if module in WIZARD_PACKAGES or not _installed_package(module):
        return "local"
    return "not_in_runner"


def _installed_package(module: str) -> bool:
    """Tell whether `module` comes from an installed distribution, not a project."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return False
    origin = spec.origin if spec else None
    locations = list(spec.submodule_search_locations or []) if spec else []
    places = [origin] if origin else locations
    return any("-packages" in str(place) for place in places)


def module_reasons(uses: list[ModuleUse], version: str) -> list[Reason]:
    """Return the failures and warnings the module list implies."""
    reasons = []
    for use in uses:
        reasons += _module_reason(use, version)
    return reasons


def _module_reason(use: ModuleUse, version: str) -> list[Reason]:
    if use.kind == "main":
        message = (
            "the pickle refers to objects in __main__ by name; define predict in"
            " a module and call cloudpickle.register_pickle_by_value(module)"
            " before dumping, or cloudpickle it from the notebook itself"
        )
        return [Reason("main_reference", "fail", message)]
    if use.kind == "local":
        message = (
            f"the pickle imports {use.name!r}, which is neither installed here nor in"
            f" the runner; call cloudpickle.register_pickle_by_value({use.name})"
            " before dumping"
        )
        return [Reason("local_module", "fail", message)]
    if use.kind == "not_in_runner":
        message = (
            f"the pickle imports {use.name!r}, which Numerai's Python {version}"
            " runner does not have (numerai-predict py3.X/requirements.txt"
            " lists what it has)"
        )
        return [Reason("module_not_in_runner", "fail", message)]
    if use.kind == "runner" and use.local_version != use.runner_version:
        message = (
            f"{use.name} is {use.local_version or 'not installed'} here but"
            f" {use.runner_version} in the Python {version} runner"
        )
        return [Reason("library_version_differs", "info", message)]
    return []
