"""Numerai-format data: synthetic generation, feature sets, loading, downloads.

The package top stays light (no pandas, pyarrow or lightgbm) because the TUI
imports it at start-up. Submodules import the heavy libraries inside their
functions.
"""

from __future__ import annotations

from core.errors import WizardError

DEFAULT_VERSION = "v5.2"


class DataError(WizardError):
    """A data file or feature set that is missing, corrupt or incomplete."""
