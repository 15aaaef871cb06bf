"""The upload pickle run in a child process under the runner's limits.

`run_sandbox` is the entry point; it never unpickles in the calling process.
This package imports only the standard library at import time.
"""

from __future__ import annotations

from core.sandbox.limits import Limits
from core.sandbox.report import (
    CompatibilityRow,
    ModuleUse,
    Reason,
    SandboxProgress,
    SandboxReport,
    render_text,
)
from core.sandbox.session import SandboxError, read_manifest, run_sandbox

__all__ = [
    "CompatibilityRow",
    "Limits",
    "ModuleUse",
    "Reason",
    "SandboxError",
    "SandboxProgress",
    "SandboxReport",
    "read_manifest",
    "render_text",
    "run_sandbox",
]
