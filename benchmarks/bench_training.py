"""Training benchmark: the wizard against bare LightGBM and the notebook's way.

Each measurement runs in its own child process so peak RSS is its own.
Prints one line per measurement and the ratios. The goals: the wizard's
training time at most 1.03 x bare `lightgbm.train` on the same Dataset, and
its load + train at most 0.2 x the notebook's peak RSS and 0.5 x its time.

With --repeat N each way runs N times and the shortest time is reported,
which filters out slowdowns from other work on the machine. Peak RSS is the
largest of the runs.

Usage: .venv/bin/python benchmarks/bench_training.py [--rows-per-era N] [--eras N] [--trees N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

WIZARD = """
import json, resource, time
from pathlib import Path
from core.training import TrainConfig, train_model
started = time.monotonic()
result = train_model(TrainConfig(Path({root!r}), "all", {params!r}))
seconds = result.stage_seconds
print(json.dumps({{
    "wall_s": seconds["loading"] + seconds["building dataset"] + seconds["training"],
    "load_s": seconds["loading"],
    "build_s": seconds["building dataset"],
    "train_s": seconds["training"],
    "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}}))
"""

# Numerai's example notebook: read the columns with pandas, then fit.
NOTEBOOK = """
import json, resource, time
import lightgbm as lgb, pandas as pd
started = time.monotonic()
features = json.load(open({folder!r} + "/features.json"))["feature_sets"]["all"]
train = pd.read_parquet({folder!r} + "/train.parquet", columns=["era"] + features + ["target"])
model = lgb.LGBMRegressor(**{params!r}, verbosity=-1)
model.fit(train[features], train["target"])
print(json.dumps({{
    "wall_s": time.monotonic() - started,
    "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}}))
"""

# Bare lightgbm.train with the parameters the wizard passes, on a Dataset
# with the same rows and bins, timed alone.
BARE = """
import json, time
import lightgbm as lgb, numpy as np, pandas as pd
from core.presets import tree_count
from core.training import lightgbm_params
features = json.load(open({folder!r} + "/features.json"))["feature_sets"]["all"]
train = pd.read_parquet({folder!r} + "/train.parquet", columns=features + ["target"])
params = lightgbm_params({params!r})
dataset = lgb.Dataset(train[features].to_numpy(np.float32), label=train["target"], params=params)
dataset.construct()
started = time.monotonic()
lgb.train(params, dataset, num_boost_round=tree_count({params!r}))
print(json.dumps({{"train_s": time.monotonic() - started}}))
"""


def run_child(code: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run_best(code: str, repeat: int) -> dict:
    """Run `code` `repeat` times; keep the shortest times and the largest peak."""
    runs = [run_child(code) for _ in range(repeat)]
    best = {key: min(run[key] for run in runs) for key in runs[0]}
    if "peak_bytes" in best:
        best["peak_bytes"] = max(run["peak_bytes"] for run in runs)
    return best


def main() -> None:
    from core.data.synthetic import REAL_ALL_FEATURES, generate_dataset, shape_with
    from core.estimates import GB, estimate_for_feature_set
    from core.presets import preset_params

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eras", type=int, default=100)
    parser.add_argument("--rows-per-era", type=int, default=1500)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each way (default 1)"
    )
    args = parser.parse_args()
    params = preset_params("example", {"n_estimators": args.trees})

    with tempfile.TemporaryDirectory(prefix="bench-training-") as root:
        shape = shape_with(
            "large",
            train_eras=args.eras,
            rows_per_era=args.rows_per_era,
            validation_eras=5,
            live_rows=500,
        )
        started = time.monotonic()
        folder = str(generate_dataset(Path(root), shape=shape))
        print(
            f"shape: {shape.train_rows} rows x {REAL_ALL_FEATURES} features, {args.trees} trees "
            f"(generated in {time.monotonic() - started:.0f}s)"
        )

        wizard = run_best(WIZARD.format(root=root, params=params), args.repeat)
        notebook = run_best(NOTEBOOK.format(folder=folder, params=params), args.repeat)
        bare = run_best(BARE.format(folder=folder, params=params), args.repeat)
        estimate = estimate_for_feature_set(
            Path(root), "all", params, available_bytes=None
        )

    print(
        f"wizard:   load+train {wizard['wall_s']:.1f}s, peak {wizard['peak_bytes'] / GB:.2f} GB, trees {wizard['train_s']:.1f}s "
        f"(load {wizard['load_s']:.1f}s, dataset {wizard['build_s']:.1f}s)"
    )
    print(
        f"notebook: load+train {notebook['wall_s']:.1f}s, peak {notebook['peak_bytes'] / GB:.2f} GB"
    )
    print(f"bare lightgbm.train: {bare['train_s']:.1f}s")
    print(f"estimate for this shape: peak {estimate.train_peak_bytes / GB:.2f} GB")
    print(
        f"ratio training time wizard/bare: {wizard['train_s'] / bare['train_s']:.3f} (goal <= 1.03)"
    )
    print(
        f"ratio peak RSS wizard/notebook: {wizard['peak_bytes'] / notebook['peak_bytes']:.3f} (goal <= 0.2)"
    )
    print(
        f"ratio wall time wizard/notebook: {wizard['wall_s'] / notebook['wall_s']:.3f} (goal <= 0.5)"
    )
    full = estimate_for_feature_set(
        "v5.2", "all", preset_params("example"), available_bytes=16 * GB
    )
    print(
        f"estimate full v5.2 all (2.75M rows, example preset): peak {full.train_peak_bytes / GB:.1f} GB, "
        f"fits 16 GB: {full.fits_machine}, load {full.load_seconds / 60:.0f} min, "
        f"train {full.train_seconds / 3600:.1f} h (estimates)"
    )


if __name__ == "__main__":
    main()
