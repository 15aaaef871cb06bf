"""Sandbox scan, environments, report forms, the `check` command and real pickles."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from core.sandbox import Limits, Reason, envs, render_text, run_sandbox
from core.sandbox.report import sort_reasons, verdict_of
from core.sandbox.scan import classify_modules, module_reasons, scan_pickle
from tests.sandbox_helpers import FEATURES, lightgbm_model, make_pickle, write_raw
from tui.commands.check import check

SAMPLE = Path(__file__).parents[2] / "shared" / "samples" / "numerai_example_py311.pkl"


def sample_skip_reason() -> str:
    """Return why the sample pickle test cannot run here, or ""."""
    if not SAMPLE.exists():
        return f"Numerai's sample pickle is not at {SAMPLE}"
    if envs.available_env("3.11") is None:
        return "the sample needs Python 3.11, and no 3.11 runner environment is ready"
    return ""


needs_sample = pytest.mark.skipif(
    bool(sample_skip_reason()), reason=sample_skip_reason()
)
GOOD_SOURCE = (
    "def predict(live):\n"
    "    return live[FEATURES].sum(axis=1).rank(pct=True).to_frame('prediction')\n"
)

RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"


def test_scan_finds_stack_globals_through_memo(tmp_path):
    import collections

    payload = [collections.OrderedDict(a=1), collections.OrderedDict(b=2), pickle.loads]
    path = tmp_path / "p.pkl"
    path.write_bytes(pickle.dumps(payload, protocol=4))

    scan = scan_pickle(path)

    assert ("collections", "OrderedDict") in scan.globals
    assert ("_pickle", "loads") in scan.globals
    assert scan.top_modules() == ["collections", "_pickle"]
    assert scan.error is None


def test_scan_reads_lightgbm_feature_names(tmp_path):
    import cloudpickle

    path = tmp_path / "m.pkl"
    path.write_bytes(cloudpickle.dumps(lightgbm_model()))

    scan = scan_pickle(path)

    assert scan.feature_names == FEATURES
    assert "lightgbm" in scan.top_modules()


def test_scan_never_executes(tmp_path):
    marker = tmp_path / "ran"
    evil = b"cos\nsystem\n(V" + f"touch {marker}".encode() + b"\ntR."
    path = write_raw(tmp_path, evil)

    scan = scan_pickle(path)

    assert ("os", "system") in scan.globals
    assert not marker.exists()


def test_module_classification(tmp_path):
    import click
    import textual.color

    path = tmp_path / "p.pkl"
    payload = [textual.color.Color.parse, click.echo, json.dumps, Path, pickle.loads]
    path.write_bytes(pickle.dumps(payload))
    uses = classify_modules(scan_pickle(path), "3.11", envs.load_pins())

    kinds = {use.name: use.kind for use in uses}
    assert kinds["textual"] == "not_in_runner"
    assert kinds["click"] == "runner_extra"
    assert kinds["json"] == "stdlib"
    assert kinds["pathlib"] == "stdlib"
    codes = [r.code for r in module_reasons(uses, "3.11")]
    assert codes == ["module_not_in_runner"]


def test_pins_match_runner_table():
    pins = envs.load_pins()

    assert envs.runner_versions() == ["3.10", "3.11", "3.12", "3.13"]
    assert pins["pythons"]["3.10"]["numpy"] == "1.26.4"
    assert pins["pythons"]["3.11"]["lightgbm"] == "4.6.0"
    assert pins["pythons"]["3.12"]["pyarrow"] == "18.1.0"
    assert pins["pythons"]["3.13"]["cloudpickle"] == "3.1.2"
    assert "source" in pins
    assert "retrieved" in pins
    for version in envs.runner_versions():
        requirements = pins["requirements"][version]
        assert {"catboost", "xgboost", "torch", "polars", "scipy"} <= set(requirements)
        for name, pin in pins["pythons"][version].items():
            assert requirements[name] == pin


def test_requirements_parsed():
    from core.sandbox.refresh import build_pins, parse_requirements

    text = "numpy==2.1.3 \n# comment\nscikit-learn == 1.6.1\ntorch>=2\nPandas==2.3.1\n"
    parsed = parse_requirements(text)
    full = text + "cloudpickle==3.1.1\nlightgbm==4.6.0\npyarrow==21.0.0\n"

    assert parsed == {"numpy": "2.1.3", "scikit-learn": "1.6.1", "pandas": "2.3.1"}
    assert build_pins({"3.11": full}, "today")["pythons"]["3.11"]["numpy"] == "2.1.3"
    with pytest.raises(ValueError, match="lacks"):
        build_pins({"3.11": text}, "today")


def test_own_env_is_fast_path():
    env = envs.get_env(envs.own_version(), build=False)

    assert env.source == "own"
    assert env.python == sys.executable
    assert envs.own_env_mismatches() == {}


def test_unbuilt_env_not_built_without_consent(tmp_path, monkeypatch):
    monkeypatch.setenv(envs.ENVS_ENV_VAR, str(tmp_path / "envs"))
    other = next(v for v in envs.runner_versions() if v != envs.own_version())

    with pytest.raises(envs.RunnerEnvError, match="is built yet") as raised:
        envs.get_env(other, build=False)
    assert f"--python {other}" in raised.value.hint
    assert envs.env_dir(other) == tmp_path / "envs" / f"py{other}"


def test_unknown_python_rejected():
    with pytest.raises(envs.RunnerEnvError, match="not offered"):
        envs.pins_for("3.9")


def test_reasons_sorted_and_verdict():
    reasons = [
        Reason("narrow_predictions", "warn", "w"),
        Reason("synthetic_live_data", "info", "i"),
        Reason("nan_predictions", "fail", "n"),
        Reason("timeout", "fail", "t"),
    ]
    ordered = sort_reasons(reasons)

    assert [r.code for r in ordered] == [
        "timeout",
        "nan_predictions",
        "narrow_predictions",
        "synthetic_live_data",
    ]
    assert verdict_of(ordered) == "fail"
    assert verdict_of(ordered[2:]) == "warn"
    assert verdict_of(ordered[3:]) == "pass"


def test_good_pickle_report_fields(tmp_path):
    seen = []
    report = run_sandbox(make_pickle(tmp_path, GOOD_SOURCE), progress=seen.append)

    assert report.verdict == "pass", render_text(report)
    assert [e.stage for e in seen] == [
        "preparing",
        "loading",
        "predicting",
        "checking",
        "done",
    ]
    data = json.loads(report.to_json())
    assert data["verdict"] == "pass"
    assert data["reasons"][0]["code"] == "synthetic_live_data"
    assert data["rows"] == 6000
    assert 0 < data["headroom"]["memory"] < 1
    selected = [row for row in data["compatibility"] if row["selected"]]
    assert [row["python"] for row in selected] == [RUNNING]
    assert report.peak_rss_bytes == max(rss for _, rss in report.memory_curve)
    assert "Verdict: PASS" in render_text(report)


def test_small_live_file_scaled(tmp_path):
    import pandas as pd

    live = pd.DataFrame({name: [1, 2, 3, 4] * 25 for name in FEATURES}, dtype="int8")
    live.index = pd.Index([f"id{i}" for i in range(100)], name="id")
    live.insert(0, "era", "X")
    live_path = tmp_path / "live.parquet"
    live.to_parquet(live_path)

    report = run_sandbox(make_pickle(tmp_path, GOOD_SOURCE), live_path=live_path)

    assert report.rows == 100
    assert "synthetic_live_data" not in report.codes()
    assert report.scaled_predict_seconds == pytest.approx(report.predict_seconds * 60)


@pytest.mark.parametrize("cpus", [1, 2])
def test_child_cpu_limits(tmp_path, cpus):
    source = (
        "import os\n"
        "def predict(live):\n"
        "    count = len(os.sched_getaffinity(0))\n"
        "    threads = os.environ['OMP_NUM_THREADS']\n"
        "    raise RuntimeError(f'cpus={count} omp={threads}')\n"
    )
    if cpus > len(os.sched_getaffinity(0)):
        pytest.skip(f"this machine has fewer than {cpus} CPUs")

    report = run_sandbox(make_pickle(tmp_path, source), limits=Limits(cpus=cpus))

    assert report.codes()[0] == "predict_error"
    assert f"cpus={cpus} omp={cpus}" in report.reasons[0].message


def test_cwd_not_importable(tmp_path, monkeypatch):
    (tmp_path / "helper_in_cwd.py").write_text("VALUE = 1\n")
    monkeypatch.chdir(tmp_path)
    source = (
        "def predict(live):\n"
        "    import helper_in_cwd\n"
        "    return live[FEATURES].sum(axis=1).rank(pct=True).to_frame('prediction')\n"
    )
    report = run_sandbox(make_pickle(tmp_path, source))

    assert report.codes()[0] == "predict_error"
    assert "helper_in_cwd" in report.reasons[0].message


def test_check_command_exit_codes(tmp_path):
    runner = CliRunner()
    good = make_pickle(tmp_path, GOOD_SOURCE, stem="good")
    bad = make_pickle(tmp_path, "def predict(live):\n    return None\n", stem="bad")

    passed = runner.invoke(check, [str(good), "--json"])
    failed = runner.invoke(check, [str(bad), "--timeout", "60", "--memory-limit", "2"])
    usage = runner.invoke(check, [str(tmp_path / "none.pkl")])

    assert passed.exit_code == 0, passed.output
    assert json.loads(passed.output)["verdict"] == "pass"
    assert failed.exit_code == 1
    assert "none_output" in failed.output
    assert usage.exit_code == 2
    assert "not found" in usage.output


def test_check_command_usage_errors(tmp_path):
    good = make_pickle(tmp_path, GOOD_SOURCE)
    runner = CliRunner()

    bad_cpus = runner.invoke(check, [str(good), "--cpus", "0"])
    bad_python = runner.invoke(check, [str(good), "--python", "3.9"])

    assert bad_cpus.exit_code == 2
    assert bad_python.exit_code == 2
    assert "3.9" in bad_python.output


@needs_sample
def test_numerai_sample_passes():
    report = run_sandbox(SAMPLE, limits=Limits(timeout_s=300))

    assert report.verdict == "pass", render_text(report)
    assert report.python == "3.11"
    assert report.rows == 6000
    assert "705 features" in report.reasons[0].message
    assert {"lightgbm", "pandas", "cloudpickle"} <= {m.name for m in report.modules}


@needs_sample
def test_numerai_sample_cli_json():
    script = Path(sys.executable).with_name("numerai-wizard")
    if not script.exists():
        pytest.skip(
            f"the numerai-wizard script is not installed beside {sys.executable}"
        )
    command = [str(script), "check", str(SAMPLE), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["verdict"] == "pass"


def test_export_model_pickle_passes(tmp_path):
    import lightgbm
    import numpy as np

    from core.export import export_model

    rng = np.random.default_rng(3)
    values = rng.integers(0, 5, size=(400, len(FEATURES))).astype("float32")
    target = values[:, 0] / 4
    booster = lightgbm.train(
        {"verbose": -1, "num_leaves": 7}, lightgbm.Dataset(values, target), 5
    )
    result = SimpleNamespace(
        model=booster,
        features=list(FEATURES),
        metrics=None,
        params={},
        data_version="v5.2",
        feature_set="small",
        target="target",
        trees=5,
        train_rows=400,
    )
    exported = export_model(result, tmp_path / "export.pkl")

    report = run_sandbox(exported.pickle_path)

    assert report.verdict in ("pass", "warn"), render_text(report)
    assert report.python == RUNNING
    assert report.rows == 6000


def test_child_environment_has_no_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMERAI_SECRET_KEY", "S" * 64)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    source = (
        "import os, sys\n"
        "def predict(live):\n"
        "    names = ('NUMERAI', 'PYTHONPATH')\n"
        "    leaked = [k for k in os.environ if k.startswith(names)]\n"
        "    raise RuntimeError(f'leaked={leaked} home={os.environ.get(\"HOME\")}')\n"
    )
    report = run_sandbox(make_pickle(tmp_path, source))

    message = report.reasons[0].message
    assert "leaked=[]" in message
    assert "numerai-sandbox-" in message
