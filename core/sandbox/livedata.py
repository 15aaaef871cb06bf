"""Synthetic live input shaped like one round of Numerai's live data.

Runs in the sandbox child (loaded by file path), so it imports only the
standard library, numpy and pandas. The real live.parquet has one era, "X",
about 6,000 rows indexed by `id`, and int8 feature bins 0-4.
"""

from __future__ import annotations

# NOTE: illustrative column names; the real live_benchmark_models.parquet
# lists Numerai's current benchmark models, which change between data versions.
BENCHMARK_COLUMNS = ("v52_lgbm_ender20", "v52_lgbm_teager2b20", "v5_lgbm_ct_blend")


def make_ids(rows: int, seed: int = 0) -> list[str]:
    import numpy as np

    rng = np.random.default_rng(seed)
    values = rng.integers(0, 16**10, size=rows, dtype=np.int64)
    # The row number in the last hex digits keeps every id unique.
    return [f"n{value:010x}{i:05x}" for i, value in enumerate(values)]


def make_live_features(features: list[str], rows: int, seed: int = 0):
    """Return a live-features frame: index `id`, column `era` = "X", int8 bins."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    values = rng.integers(0, 5, size=(rows, len(features)), dtype=np.int8)
    index = pd.Index(make_ids(rows, seed), name="id")
    frame = pd.DataFrame(values, index=index, columns=list(features))
    frame.insert(0, "era", "X")
    return frame


def make_benchmarks(index, seed: int = 1):
    """Return benchmark predictions in (0, 1] for the given live ids."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    columns = {}
    for name in BENCHMARK_COLUMNS:
        raw = pd.Series(rng.random(len(index)), index=index)
        columns[name] = raw.rank(pct=True)
    return pd.DataFrame(columns, index=index)
