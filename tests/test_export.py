"""The exported predict pickle: isolation from `core`, runner checks, manifest."""

from __future__ import annotations

import hashlib
import inspect
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from core import paths
from core.data.synthetic import generate_dataset
from core.export import export_model, manifest_path_for, read_manifest
from core.presets import preset_params
from core.training import TrainConfig, train_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    folder = generate_dataset(root, seed=2)
    result = train_model(
        TrainConfig(root, "small", preset_params("quick", {"n_estimators": 20}))
    )
    return result, folder


@pytest.fixture
def exported(trained, tmp_path):
    result, _ = trained
    return export_model(result, tmp_path / "model.pkl")


def _live(folder):
    return (
        pd.read_parquet(folder / "live.parquet"),
        pd.read_parquet(folder / "live_benchmark_models.parquet"),
    )


def test_pickle_runs_isolated_without_core(exported, trained, tmp_path):
    _, folder = trained
    work = tmp_path / "runner"
    work.mkdir()
    script = textwrap.dedent(
        f"""
        import inspect, sys

        # The venv installs this project in editable mode, which -I does not
        # turn off, so a finder rejects `core` as the runner would.
        class NoCore:
            def find_spec(self, name, path=None, target=None):
                if name == "core" or name.startswith("core."):
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None

        sys.meta_path.insert(0, NoCore())
        import pandas as pd
        try:
            import core
            sys.exit("core is importable")
        except ImportError:
            pass
        model = pd.read_pickle({str(exported.pickle_path)!r})
        assert len(inspect.signature(model).parameters) == 2
        live = pd.read_parquet({str(folder / "live.parquet")!r})
        benchmarks = pd.read_parquet({str(folder / "live_benchmark_models.parquet")!r})
        result = model(live, benchmarks)
        assert isinstance(result, pd.DataFrame)
        assert list(result.columns) == ["prediction"]
        assert result.index.equals(live.index)
        assert not result.isna().any().any()
        assert result["prediction"].between(0, 1).all()
        assert "core" not in sys.modules
        print("ok", len(result))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", script],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok 600"


def test_predictions_independent_of_column_order(exported, trained):
    _, folder = trained
    live, benchmarks = _live(folder)
    model = pd.read_pickle(exported.pickle_path)
    expected = model(live, benchmarks)
    shuffled = live[list(np.random.default_rng(0).permutation(live.columns))]
    shuffled = shuffled.assign(extra_column=1.0)
    pd.testing.assert_frame_equal(model(shuffled, benchmarks), expected)


def test_predictions_ranked_per_era(exported, trained):
    _, folder = trained
    live, benchmarks = _live(folder)
    two_eras = live.assign(era=np.where(np.arange(len(live)) % 2 == 0, "X", "Y"))
    result = pd.read_pickle(exported.pickle_path)(two_eras, benchmarks)["prediction"]
    for era in ("X", "Y"):
        values = result[two_eras["era"] == era]
        assert values.max() == 1.0
        assert values.min() > 0.0


def test_two_parameter_signature(exported):
    model = pd.read_pickle(exported.pickle_path)
    assert list(inspect.signature(model).parameters) == [
        "live_features",
        "live_benchmark_models",
    ]


def test_manifest_contents(exported, trained):
    result, _ = trained
    manifest = read_manifest(exported.pickle_path)
    assert manifest == exported.manifest
    assert exported.manifest_path == exported.pickle_path.with_name(
        "model.manifest.json"
    )
    assert (
        manifest["sha256"]
        == hashlib.sha256(exported.pickle_path.read_bytes()).hexdigest()
    )
    assert manifest["python"] == f"{sys.version_info.major}.{sys.version_info.minor}"
    assert set(manifest["libraries"]) == {
        "cloudpickle",
        "lightgbm",
        "numpy",
        "pandas",
        "pyarrow",
        "scikit-learn",
    }
    assert manifest["feature_set"] == "small"
    assert manifest["features_count"] == 20
    assert manifest["data_version"] == "v5.2"
    assert manifest["params"]["n_estimators"] == 20
    assert manifest["metrics"]["mean"] == pytest.approx(result.metrics.mean)
    assert manifest["created"].endswith("+00:00")


def test_read_manifest_missing_or_invalid(tmp_path):
    pickle_path = tmp_path / "model.pkl"
    assert read_manifest(pickle_path) is None
    manifest_path_for(pickle_path).write_text("{broken")
    assert read_manifest(pickle_path) is None


def test_failed_export_leaves_nothing(trained, tmp_path, monkeypatch):
    result, _ = trained

    def failing_write(path, text, mode=0o644):
        raise OSError(28, "No space left on device")

    # A full disk cannot be produced here for real, so the manifest write fails by patch.
    monkeypatch.setattr(paths, "atomic_write_text", failing_write)
    with pytest.raises(OSError):
        export_model(result, tmp_path / "model.pkl")
    assert list(tmp_path.iterdir()) == []
