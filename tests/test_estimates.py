"""Resource estimates: measured peak memory, folder shapes, published shapes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from core.data import DataError
from core.data.synthetic import generate_dataset, shape_with
from core.estimates import GB, estimate_for_feature_set, estimate_resources
from core.presets import preset_params


def test_memory_estimate_within_25_percent_of_measured(tmp_path):
    shape = shape_with(
        "medium", train_eras=60, rows_per_era=500, validation_eras=6, live_rows=200
    )
    generate_dataset(tmp_path, shape=shape)
    params = preset_params("example", {"n_estimators": 30})
    script = textwrap.dedent(
        f"""
        import json, resource
        from pathlib import Path
        from core.training import TrainConfig, train_model
        train_model(TrainConfig(Path({str(tmp_path)!r}), "all", {params!r}))
        print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr
    measured = json.loads(completed.stdout.strip().splitlines()[-1])

    estimate = estimate_for_feature_set(
        tmp_path, "all", params, available_bytes=16 * GB
    )
    assert estimate.train_rows == 30000
    assert estimate.n_features == 600
    assert abs(estimate.train_peak_bytes - measured) / measured < 0.25, (
        estimate.train_peak_bytes,
        measured,
    )


def test_full_v52_all_fits_16_gb():
    estimate = estimate_for_feature_set(
        "v5.2", "all", preset_params("example"), available_bytes=16 * GB
    )
    assert estimate.train_rows == 2_750_000
    assert estimate.n_features == 2748
    assert estimate.fits_machine
    assert estimate.train_peak_bytes < 16 * GB
    assert estimate.fits_runner


def test_too_little_memory_warns():
    estimate = estimate_resources(
        2_750_000, 2748, preset_params("example"), available_bytes=4 * GB
    )
    assert not estimate.fits_machine
    assert "era step" in estimate.warnings[0]


def test_era_step_reduces_memory():
    full = estimate_resources(
        2_750_000, 2748, preset_params("example"), available_bytes=None
    )
    fourth = estimate_resources(
        2_750_000, 2748, preset_params("example"), era_step=4, available_bytes=None
    )
    assert fourth.train_rows == 687_500
    assert fourth.train_peak_bytes < full.train_peak_bytes / 2


def test_huge_model_does_not_fit_runner():
    params = preset_params("deep", {"n_estimators": 200_000})
    estimate = estimate_resources(2_750_000, 2748, params, available_bytes=64 * GB)
    assert not estimate.fits_runner
    assert any("runner" in w for w in estimate.warnings)


def test_unknown_set_without_features_json():
    with pytest.raises(DataError, match="'rain'"):
        estimate_for_feature_set("v5.2", "rain", preset_params("quick"))


def test_published_shape_with_features_json(tmp_path):
    path = tmp_path / "features.json"
    path.write_text(json.dumps({"feature_sets": {"rain": ["feature_a", "feature_b"]}}))
    estimate = estimate_for_feature_set(
        "v5.2", "rain", preset_params("quick"), features_json=path
    )
    assert estimate.n_features == 2


def test_leaf_size_above_rows_warned():
    from core.estimates import estimate_resources
    from core.presets import preset_params

    deep = estimate_resources(18_000, 150, preset_params("deep"))
    example = estimate_resources(18_000, 150, preset_params("example"))
    assert any("min_data_in_leaf" in text for text in deep.warnings)
    assert not any("min_data_in_leaf" in text for text in example.warnings)
