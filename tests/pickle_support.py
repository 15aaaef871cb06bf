"""Small upload pickles that tests build at run time (no binaries in the repo)."""

from __future__ import annotations


def predict_pickle(path, *, callable_model=True):
    """Write a cloudpickled predict over a small LightGBM model (or a plain dict)."""
    import cloudpickle
    import lightgbm as lgb
    import numpy as np
    import pandas as pd

    features = [f"feature_{name}" for name in "abcde"]
    rng = np.random.default_rng(0)
    train = pd.DataFrame(rng.integers(0, 5, (500, 5)), columns=features)
    model = lgb.LGBMRegressor(n_estimators=5, verbose=-1)
    model.fit(train, rng.random(500))

    def predict(live_features):
        raw = model.predict(live_features[features])
        ranks = pd.Series(raw, index=live_features.index).rank(pct=True)
        return pd.DataFrame({"prediction": ranks})

    path.write_bytes(cloudpickle.dumps(predict if callable_model else {"model": 1}))
    return path
