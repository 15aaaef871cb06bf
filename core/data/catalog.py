"""Data versions and files: from the API's dataset names or a folder on disk."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.data import DEFAULT_VERSION, DataError

# The files a training run needs, and the ones the runner's inputs mirror.
TRAINING_FILES = ("features.json", "train.parquet", "validation.parquet")
LIVE_FILES = ("live.parquet", "live_benchmark_models.parquet")
_VERSION = re.compile(r"^v(\d+)\.(\d+)$")


@dataclass
class DataVersion:
    """One data version and the file names available for it."""

    name: str
    files: list[str] = field(default_factory=list)

    @property
    def can_train(self) -> bool:
        return all(name in self.files for name in TRAINING_FILES)


def _version_key(name: str) -> tuple[int, int]:
    match = _VERSION.match(name)
    return (int(match.group(1)), int(match.group(2))) if match else (-1, -1)


def versions_from_dataset_names(names: list[str]) -> list[DataVersion]:
    """Group names such as "v5.2/train.parquet" by version, newest first.

    Names without a `vX.Y/` prefix and versions without a training set are dropped.
    """
    versions: dict[str, DataVersion] = {}
    for name in names:
        version, _, filename = name.partition("/")
        if not filename or "/" in filename or not _VERSION.match(version):
            continue
        versions.setdefault(version, DataVersion(version)).files.append(filename)
    usable = [v for v in versions.values() if v.can_train]
    return sorted(usable, key=lambda v: _version_key(v.name), reverse=True)


def files_for_training(version: str, *, with_live: bool = True) -> list[str]:
    """Return the API dataset names a training run needs for `version`."""
    names = TRAINING_FILES + (LIVE_FILES if with_live else ())
    return [f"{version}/{name}" for name in names]


def version_dir(data_dir: Path, version: str = DEFAULT_VERSION) -> Path:
    """Return the folder holding `version`'s files inside a data folder.

    `data_dir` may contain the files directly or in `<version>/` subfolders.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(
            f"Data folder not found: {data_dir}.",
            "Pass an existing folder to --data-dir.",
        )
    for candidate in (data_dir / version, data_dir):
        if (candidate / "features.json").is_file() and (
            candidate / "train.parquet"
        ).is_file():
            return candidate
    found = local_versions(data_dir)
    hint = (
        f"Versions found there: {', '.join(found)}."
        if found
        else "The folder needs features.json and train.parquet, directly or in a vX.Y subfolder."
    )
    raise DataError(f"No {version} training data in {data_dir}.", hint)


def local_versions(data_dir: Path) -> list[str]:
    """Return the versions with training files in `data_dir`'s subfolders, newest first."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    found = [
        child.name
        for child in data_dir.iterdir()
        if _VERSION.match(child.name) and (child / "train.parquet").is_file()
    ]
    return sorted(found, key=_version_key, reverse=True)
