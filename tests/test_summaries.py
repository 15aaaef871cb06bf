"""Formatting of sizes and durations shown in every screen and headless line."""

from __future__ import annotations

import pytest

from core.summaries import format_bytes, format_seconds


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.25, "250 ms"),
        (42.0, "42.0 s"),
        (185, "3 min 5 s"),
        (600, "10 min"),
        (7800, "2 h 10 min"),
        (None, "?"),
    ],
)
def test_format_seconds(seconds, text):
    assert format_seconds(seconds) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (512, "512 B"),
        (1536, "1.5 KiB"),
        (4 * 2**30, "4.0 GiB"),
        (3 * 2**40, "3072.0 GiB"),
        (None, "?"),
    ],
)
def test_format_bytes(count, text):
    assert format_bytes(count) == text


def test_no_split_model_warned(synthetic_root):
    from core.training import TrainConfig, train_model
    from core.presets import preset_params
    from core.summaries import training_summary, training_warnings

    params = preset_params("quick", {"min_data_in_leaf": 1_000_000, "n_estimators": 3})
    config = TrainConfig(synthetic_root / "v5.2", "small", params)
    result = train_model(config)
    warnings = training_warnings(result)
    assert len(warnings) == 1
    assert "constant" in warnings[0]
    assert "1,000,000" in warnings[0]
    assert "warning:" in training_summary(result)


def test_normal_model_not_warned(synthetic_root):
    from core.training import TrainConfig, train_model
    from core.presets import preset_params
    from core.summaries import training_warnings

    config = TrainConfig(
        synthetic_root / "v5.2", "small", preset_params("quick", {"n_estimators": 5})
    )
    assert training_warnings(train_model(config)) == []
