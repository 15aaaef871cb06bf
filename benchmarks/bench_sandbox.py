"""Measure the sandbox's overhead and the cost of its memory sampling.

1. Wall time of `run_sandbox` against a bare child process that unpickles
   and calls the same pickle on the same live file (goal: ratio <= 1.2).
2. Predict time with RSS sampling every 50 ms against sampling once per
   1000 s, i.e. never during the run (goal: < 5 % slower).

Run: .venv/bin/python benchmarks/bench_sandbox.py [--repeats N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.sandbox import Limits, run_sandbox  # noqa: E402
from core.sandbox.runner import child_env, cpu_ids  # noqa: E402

BARE_CHILD = """
import sys, pandas as pd
model = pd.read_pickle(sys.argv[1])
live = pd.read_parquet(sys.argv[2])
model(live)
"""


def make_inputs(directory: Path, features: int, trees: int) -> tuple[Path, Path]:
    import cloudpickle
    import lightgbm
    import numpy as np
    import pandas as pd

    directory.mkdir()
    rng = np.random.default_rng(0)
    names = [f"feature_{i:03d}" for i in range(features)]
    train = pd.DataFrame(rng.integers(0, 5, (5000, features)), columns=names)
    model = lightgbm.LGBMRegressor(n_estimators=trees, num_leaves=31, verbose=-1)
    model.fit(train.astype("int8"), rng.random(5000))

    def predict(live_features):
        raw = pd.Series(model.predict(live_features[names]), index=live_features.index)
        return raw.rank(pct=True).to_frame("prediction")

    pickle_path = directory / "model.pkl"
    pickle_path.write_bytes(cloudpickle.dumps(predict))
    live = pd.DataFrame(rng.integers(0, 5, (6000, features)), columns=names)
    live = live.astype("int8")
    live.index = pd.Index([f"n{i:08d}" for i in range(6000)], name="id")
    live.insert(0, "era", "X")
    live_path = directory / "live.parquet"
    live.to_parquet(live_path)
    return pickle_path, live_path


def time_bare(pickle_path: Path, live_path: Path) -> float:
    # Same thread count and CPU as the sandbox child, so only the sandbox differs.
    env = child_env(Limits())
    command = [sys.executable, "-I", "-c", BARE_CHILD, str(pickle_path), str(live_path)]
    if shutil.which("taskset"):
        command = ["taskset", "-c", str(cpu_ids(Limits())[0]), *command]
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env)
    return time.perf_counter() - start


def time_sandbox(pickle_path, live_path, limits, order_check=False):
    start = time.perf_counter()
    report = run_sandbox(
        pickle_path,
        python="3.11" if sys.version_info[:2] == (3, 11) else None,
        live_path=live_path,
        limits=limits,
        column_order_check=order_check,
    )
    if report.verdict == "fail":
        raise SystemExit(f"sandbox run failed: {[r.message for r in report.reasons]}")
    return time.perf_counter() - start, report.predict_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        small = make_inputs(Path(folder) / "small", 40, 50)
        large = make_inputs(Path(folder) / "large", 200, 1500)
        sampled, unsampled = Limits(), Limits(sample_interval_s=1000)

        bare = [time_bare(*small) for _ in range(args.repeats)]
        boxed = [time_sandbox(*small, sampled)[0] for _ in range(args.repeats)]
        checked = [time_sandbox(*small, sampled, True)[0] for _ in range(args.repeats)]
        on = [time_sandbox(*large, sampled)[1] for _ in range(args.repeats)]
        off = [time_sandbox(*large, unsampled)[1] for _ in range(args.repeats)]

    median = statistics.median
    print(f"python {sys.version.split()[0]}, {args.repeats} repeats, medians")
    print("small model (40 features, 50 trees, 6000 rows)")
    print(f"  bare child:                 {median(bare):.3f} s")
    print(f"  sandbox:                    {median(boxed):.3f} s")
    print(f"  sandbox + column order run: {median(checked):.3f} s")
    ratio = median(boxed) / median(bare)
    print(f"  overhead ratio:             {ratio:.2f} (goal <= 1.2)")
    print("large model (200 features, 1500 trees, 6000 rows), predict time")
    print(f"  RSS sampled every 50 ms:    {median(on):.3f} s")
    print(f"  not sampled:                {median(off):.3f} s")
    cost = median(on) / median(off) - 1
    print(f"  sampling cost:              {cost:+.1%} (goal < 5 %)")


if __name__ == "__main__":
    main()
