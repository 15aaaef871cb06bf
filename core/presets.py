"""LightGBM parameter presets and their translation to `lightgbm.train` arguments."""

from __future__ import annotations

from dataclasses import dataclass, field

# Keys that set the number of boosting rounds; LightGBM treats them as aliases.
ROUND_KEYS = (
    "n_estimators",
    "num_boost_round",
    "num_iterations",
    "num_trees",
    "num_rounds",
    "num_round",
)
# Rows sampled to find bin edges unless the parameters set
# `bin_construct_sample_cnt`. Numerai features take five values (0 to 4). A
# value in 5 % of rows shows up about 250 times in this many rows, so
# LightGBM finds the same bins as from all rows. The sample costs about 16
# bytes per sampled cell while LightGBM bins it. NOTE: a value rarer than
# about 1 row in 1,000 may be missed and then merged into a neighbouring bin.
BIN_SAMPLE_ROWS = 5000


@dataclass(frozen=True)
class Preset:
    """Named LightGBM parameters, written with the scikit-learn API's names."""

    description: str
    params: dict = field(default_factory=dict)


PRESETS: dict[str, Preset] = {
    "quick": Preset(
        "50 trees: trains in seconds, for trying the whole flow.",
        {
            "n_estimators": 50,
            "learning_rate": 0.05,
            "max_depth": 5,
            "num_leaves": 31,
            "colsample_bytree": 0.5,
        },
    ),
    "example": Preset(
        "Numerai's example model: 2,000 trees, learning rate 0.01.",
        {
            "n_estimators": 2000,
            "learning_rate": 0.01,
            "max_depth": 5,
            "num_leaves": 31,
            "colsample_bytree": 0.1,
        },
    ),
    "deep": Preset(
        "Numerai's deep setting: 30,000 trees, needs far more CPU time and RAM.",
        {
            "n_estimators": 30000,
            "learning_rate": 0.001,
            "max_depth": 10,
            "num_leaves": 1024,
            "colsample_bytree": 0.1,
            "min_data_in_leaf": 10000,
        },
    ),
}


def preset_params(name: str, overrides: dict | None = None) -> dict:
    """Return a copy of preset `name`'s parameters with `overrides` applied."""
    if name not in PRESETS:
        raise KeyError(name)
    params = dict(PRESETS[name].params)
    params.update(overrides or {})
    return params


def tree_count(params: dict) -> int:
    """Return the number of boosting rounds that `params` sets (100 if none)."""
    for key in ROUND_KEYS:
        if key in params:
            return int(params[key])
    return 100


def booster_params(params: dict) -> dict:
    """Return `lightgbm.train` parameters for `params`, rounds removed.

    The defaults match `LGBMRegressor`'s, so a preset trains the same model
    either way; `bin_construct_sample_cnt` defaults to `BIN_SAMPLE_ROWS`.
    """
    result = {key: value for key, value in params.items() if key not in ROUND_KEYS}
    result.setdefault("objective", "regression")
    result.setdefault("verbosity", -1)
    result.setdefault("bin_construct_sample_cnt", BIN_SAMPLE_ROWS)
    return result
