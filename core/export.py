"""The `predict` function that Numerai's runner calls, cloudpickled with a manifest.

The runner loads the pickle with `pandas.read_pickle` and calls
`predict(live_features, live_benchmark_models)`. It has only its pinned
libraries installed, not this package, so the pickled function refers to
nothing in `core`. `_make_predict` builds it as a closure over only the
Booster and the ordered feature list, and it imports pandas and numpy itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from core import paths

log = logging.getLogger(__name__)

# The libraries whose versions must match the runner's pins for the pickle to load.
PICKLED_LIBRARIES = (
    "cloudpickle",
    "lightgbm",
    "numpy",
    "pandas",
    "pyarrow",
    "scikit-learn",
)


@dataclass
class ExportedModel:
    """A written pickle, its manifest, and the pickle's SHA-256."""

    pickle_path: Path
    manifest_path: Path
    sha256: str
    manifest: dict


def _make_predict(model, features: list[str]):
    """Return a `predict` closure over `model` and `features` alone."""

    def predict(live_features, live_benchmark_models=None):
        import numpy as np
        import pandas as pd

        matrix = live_features[features].to_numpy(dtype=np.float32)
        raw = pd.Series(model.predict(matrix), index=live_features.index)
        if "era" in live_features.columns:
            ranked = raw.groupby(live_features["era"]).rank(pct=True)
        else:
            ranked = raw.rank(pct=True)
        return ranked.to_frame("prediction")

    # The runner counts parameters, so the signature must keep exactly two.
    predict.__module__ = "__main__"
    predict.__qualname__ = "predict"
    return predict


def manifest_path_for(pickle_path: Path) -> Path:
    """Return `<stem>.manifest.json` beside the pickle."""
    pickle_path = Path(pickle_path)
    return pickle_path.with_name(pickle_path.stem + ".manifest.json")


def library_versions() -> dict[str, str]:
    """Return the installed version of each library that ends up in the pickle."""
    versions = {}
    for name in PICKLED_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_manifest(result, sha256: str, pickle_path: Path) -> dict:
    """Describe what the pickle needs and how its model was trained."""
    python = ".".join(platform.python_version_tuple()[:2])
    metrics = result.metrics.summary() if result.metrics is not None else None
    return {
        "pickle": Path(pickle_path).name,
        "sha256": sha256,
        "python": python,
        "libraries": library_versions(),
        "data_version": result.data_version,
        "feature_set": result.feature_set,
        "features_count": len(result.features),
        "target": result.target,
        "params": result.params,
        "trees": result.trees,
        "train_rows": result.train_rows,
        "metrics": metrics,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def export_model(result, out_path: Path) -> ExportedModel:
    """Write the `predict` pickle and its manifest, each atomically.

    On any failure neither file is left behind; an older pickle at
    `out_path` stays until the new one is complete.
    """
    import cloudpickle

    out_path = Path(out_path)
    predict = _make_predict(result.model, list(result.features))
    data = cloudpickle.dumps(predict)
    sha256 = hashlib.sha256(data).hexdigest()
    manifest = build_manifest(result, sha256, out_path)
    manifest_path = manifest_path_for(out_path)

    # The model is the participant's work: readable by the owner only.
    paths.atomic_write_bytes(out_path, data, mode=0o600)
    try:
        paths.atomic_write_text(
            manifest_path, json.dumps(manifest, indent=2) + "\n", mode=0o600
        )
    except BaseException:
        out_path.unlink(missing_ok=True)
        raise
    log.info("Exported %s (%s bytes, sha256 %s)", out_path, len(data), sha256)
    return ExportedModel(out_path, manifest_path, sha256, manifest)


def read_manifest(pickle_path: Path) -> dict | None:
    """Return the manifest beside a pickle, or None if it is missing or invalid."""
    path = manifest_path_for(pickle_path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return content if isinstance(content, dict) else None
