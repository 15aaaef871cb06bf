"""The package boundary: `core` is headless, and heavy libraries load late."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("lightgbm", "pandas", "pyarrow", "numpy", "sklearn", "scipy")
UI = ("textual", "rich")


def loaded_modules(statement: str) -> set[str]:
    """Run `statement` in a fresh interpreter and return the top-level modules loaded."""
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def core_modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] in ("__main__", "child"):
            continue
        names.append(".".join(parts))
    return names


def test_core_never_imports_ui():
    imports = "\n".join(f"import {name}" for name in core_modules())
    loaded = loaded_modules(imports)
    for name in UI:
        assert name not in loaded, f"importing core loads {name}"


def test_core_sources_name_no_ui_package():
    for path in (ROOT / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in UI:
            assert f"import {name}" not in text, path
            assert f"from {name}" not in text, path


@pytest.mark.parametrize(
    "module",
    [
        "core.session",
        "core.flow",
        "core.keys",
        "core.api",
        "core.enable",
        "core.state",
        "core.resume",
        "core.upload",
        "tui.cli",
    ],
)
def test_light_modules_leave_heavy_unloaded(module):
    loaded = loaded_modules(f"import {module}")
    for name in HEAVY:
        assert name not in loaded, f"importing {module} loads {name}"
