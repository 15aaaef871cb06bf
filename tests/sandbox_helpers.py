"""Pickles for the sandbox tests, made at test time from source text.

Functions are compiled into a module name that is not importable, so
cloudpickle stores them by value, as a notebook's functions are stored.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import cloudpickle

FEATURES = [f"feature_{name}" for name in "abcdefgh"]

PREAMBLE = """
import numpy as np
import pandas as pd
FEATURES = {features!r}
"""


def compile_source(source: str, name: str = "predict"):
    namespace = {"__name__": "user_model_not_importable"}
    code = PREAMBLE.format(features=FEATURES) + textwrap.dedent(source)
    exec(compile(code, "<user model>", "exec"), namespace)
    return namespace[name]


def write_manifest(path: Path, features=None, python: str | None = None) -> None:
    """Write the manifest beside `path`; the Python defaults to this interpreter's."""
    if python is None:
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
    manifest = {"python": python, "features": features or FEATURES}
    path.with_name(path.stem + ".manifest.json").write_text(json.dumps(manifest))


def make_pickle(
    directory: Path, source: str, name: str = "predict", stem: str = "model"
) -> Path:
    """Cloudpickle `name` from `source` into directory/stem.pkl with a manifest."""
    path = directory / f"{stem}.pkl"
    path.write_bytes(cloudpickle.dumps(compile_source(source, name)))
    write_manifest(path)
    return path


def write_raw(directory: Path, data: bytes, stem: str = "raw") -> Path:
    path = directory / f"{stem}.pkl"
    path.write_bytes(data)
    write_manifest(path)
    return path


def lightgbm_model(features=FEATURES, rows: int = 300, trees: int = 8):
    """Fit a small LGBMRegressor whose output depends on every feature position."""
    import lightgbm
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    values = rng.integers(0, 5, size=(rows, len(features))).astype("int8")
    frame = pd.DataFrame(values, columns=features)
    weights = np.arange(1, len(features) + 1)
    target = (values * weights).sum(axis=1) / (4 * weights.sum())
    model = lightgbm.LGBMRegressor(
        n_estimators=trees, num_leaves=7, min_child_samples=5, verbose=-1
    )
    model.fit(frame, target)
    return model


def lightgbm_pickle(directory: Path, predict_body: str, two_args=False, stem="lgbm"):
    """Cloudpickle a closure over a fitted LightGBM model, like a notebook does."""
    model = lightgbm_model()
    namespace = {"__name__": "user_model_not_importable"}
    params = "live_features, live_benchmark_models" if two_args else "live_features"
    source = (
        "import pandas as pd\n"
        "def make(model, features):\n"
        f"    def predict({params}):\n"
        f"        {predict_body}\n"
        "    return predict\n"
    )
    exec(source, namespace)
    predict = namespace["make"](model, list(FEATURES))
    path = directory / f"{stem}.pkl"
    path.write_bytes(cloudpickle.dumps(predict))
    return path
