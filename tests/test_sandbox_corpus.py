"""Bad and good upload pickles through the real sandbox: verdict and reason code."""

from __future__ import annotations

import pickle
import socket
import sys
import threading

import pytest

from core.errors import Cancelled
from core.sandbox import Limits, SandboxError, render_text, run_sandbox
from tests.sandbox_helpers import (
    lightgbm_pickle,
    make_pickle,
    write_manifest,
    write_raw,
)

BAD_OUTPUTS = {
    "none_output": "def predict(live):\n    return None\n",
    "not_dataframe": (
        "def predict(live):\n    return pd.Series(0.5, index=live.index)\n"
    ),
    "empty_output": "def predict(live):\n    return pd.DataFrame()\n",
    "nan_predictions": (
        "def predict(live):\n"
        "    return pd.DataFrame({'prediction': np.nan}, index=live.index)\n"
    ),
    "out_of_range": (
        "def predict(live):\n"
        "    ranks = live[FEATURES[0]].rank(pct=True) + 1\n"
        "    return ranks.to_frame('prediction')\n"
    ),
    "wrong_length": (
        "def predict(live):\n"
        "    ranks = live[FEATURES[0]].rank(pct=True)\n"
        "    return ranks.to_frame('prediction').iloc[: len(live) // 2]\n"
    ),
    "index_mismatch": (
        "def predict(live):\n"
        "    ranks = live[FEATURES[0]].rank(pct=True)\n"
        "    return ranks.to_frame('prediction').reset_index(drop=True)\n"
    ),
    "constant_predictions": (
        "def predict(live):\n"
        "    return pd.DataFrame({'prediction': 0.5}, index=live.index)\n"
    ),
    "wrong_parameter_count": "def predict(a, b, c):\n    return None\n",
    "predict_error": (
        "def predict(live):\n    raise ValueError('feature_zz is missing')\n"
    ),
    "crash_after_load": (
        "import os, signal\n"
        "def predict(live):\n    os.kill(os.getpid(), signal.SIGSEGV)\n"
    ),
}

RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.parametrize("code", sorted(BAD_OUTPUTS))
def test_bad_pickle_fails_with_code(tmp_path, code):
    path = make_pickle(tmp_path, BAD_OUTPUTS[code])

    report = run_sandbox(path, column_order_check=False)

    assert report.verdict == "fail", render_text(report)
    assert report.reasons[0].code == code, render_text(report)
    assert report.reasons[0].severity == "fail"


def test_labels_zero_to_four_out_of_range(tmp_path):
    source = "def predict(live):\n    return live[[FEATURES[0]]].rename(columns=str)\n"
    report = run_sandbox(make_pickle(tmp_path, source), column_order_check=False)

    assert report.verdict == "fail"
    assert "out_of_range" in report.codes()
    out_of_range = report.reasons[report.codes().index("out_of_range")]
    assert "[0, 4]" in out_of_range.message


def test_nan_count_named(tmp_path):
    source = (
        "def predict(live):\n"
        "    out = live[FEATURES[0]].rank(pct=True).to_frame('prediction')\n"
        "    out.iloc[:7, 0] = np.nan\n"
        "    return out\n"
    )
    report = run_sandbox(make_pickle(tmp_path, source), column_order_check=False)

    assert report.codes()[0] == "nan_predictions"
    assert "7 NaN" in report.reasons[0].message


def test_estimator_not_callable(tmp_path):
    source = (
        "class Model:\n"
        "    def predict(self, frame):\n        return frame.iloc[:, 0]\n"
        "model = Model()\n"
    )
    report = run_sandbox(make_pickle(tmp_path, source, name="model"))

    assert report.codes() == ["not_callable"]
    assert "wrap it" in report.reasons[0].message
    assert "Model" in report.reasons[0].message


def test_timeout_kills_child(tmp_path):
    source = "import time\ndef predict(live):\n    time.sleep(60)\n"
    limits = Limits(timeout_s=4)

    report = run_sandbox(make_pickle(tmp_path, source), limits=limits)

    assert report.codes()[0] == "timeout"
    assert "4 s" in report.reasons[0].message


def test_memory_limit_kills_child(tmp_path):
    source = (
        "def predict(live):\n"
        "    chunks = []\n"
        "    for _ in range(60):\n"
        "        chunks.append(np.ones(50_000_000 // 8))\n"
        "    return None\n"
    )
    limits = Limits(memory_bytes=600 * 1024**2)

    report = run_sandbox(make_pickle(tmp_path, source), limits=limits)

    assert report.codes()[0] == "memory_limit"
    assert report.peak_rss_bytes > limits.memory_bytes
    assert report.peak_rss_bytes < 3 * 1024**3
    assert len(report.memory_curve) > 3


def test_network_attempt_blocked(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    source = (
        "import socket\n"
        "def predict(live):\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
    )
    try:
        report = run_sandbox(make_pickle(tmp_path, source))
        with pytest.raises(TimeoutError):
            server.accept()
    finally:
        server.close()

    assert report.verdict == "fail"
    assert "network_access" in report.codes()
    network = report.reasons[report.codes().index("network_access")]
    assert str(port) in network.message


def test_raw_socket_connect_blocked(tmp_path):
    source = (
        "import socket\n"
        "def predict(live):\n"
        "    try:\n"
        "        socket.socket().connect(('127.0.0.1', 9))\n"
        "    except OSError:\n"
        "        pass\n"
        "    return live[FEATURES[0]].rank(pct=True).to_frame('prediction')\n"
    )
    report = run_sandbox(make_pickle(tmp_path, source), column_order_check=False)

    assert report.verdict == "fail"
    assert report.codes()[0] == "network_access"


def test_local_module_missing(tmp_path, monkeypatch):
    package = tmp_path / "src"
    package.mkdir()
    (package / "my_helpers_mod.py").write_text("def predict(live):\n    return None\n")
    monkeypatch.syspath_prepend(str(package))
    import my_helpers_mod

    path = tmp_path / "local.pkl"
    import cloudpickle

    path.write_bytes(cloudpickle.dumps(my_helpers_mod.predict))
    write_manifest(path)
    monkeypatch.chdir(package)
    sys.modules.pop("my_helpers_mod")

    report = run_sandbox(path)

    assert report.verdict == "fail"
    assert report.codes()[:2] == ["local_module", "missing_module"]
    assert "register_pickle_by_value" in report.reasons[0].message
    assert "my_helpers_mod" in report.reasons[1].message


def test_wizard_package_hidden(tmp_path):
    import core.paths

    path = write_raw(tmp_path, pickle.dumps(core.paths.cache_dir))
    report = run_sandbox(path)

    assert "local_module" in report.codes()
    assert "missing_module" in report.codes()


def test_module_not_in_runner(tmp_path):
    import textual.color

    report = run_sandbox(write_raw(tmp_path, pickle.dumps(textual.color.Color.parse)))

    assert report.codes()[0] == "module_not_in_runner"
    assert "'textual'" in report.reasons[0].message


def test_main_reference(tmp_path):
    report = run_sandbox(write_raw(tmp_path, b"c__main__\npredict\n."))

    assert report.codes()[0] == "main_reference"
    assert "main_reference" in [r.code for r in report.reasons if r.severity == "fail"]


def test_not_a_pickle(tmp_path):
    report = run_sandbox(write_raw(tmp_path, b"PK\x03\x04 this is a zip file"))

    assert report.verdict == "fail"
    assert "invalid_pickle" in report.codes()


def test_type_error_on_load(tmp_path):
    data = b"cbuiltins\nint\n(Va\nVb\nVc\ntR."
    report = run_sandbox(write_raw(tmp_path, data))

    assert report.codes()[0] == "wrong_python_version"
    assert "TypeError" in report.reasons[0].message


def test_lightgbm_one_arg_passes(tmp_path):
    body = (
        "out = model.predict(live_features[features])\n"
        "        ranks = pd.Series(out, index=live_features.index).rank(pct=True)\n"
        "        return ranks.to_frame('prediction')"
    )
    path = lightgbm_pickle(tmp_path, body)

    report = run_sandbox(path)

    assert report.verdict == "pass", render_text(report)
    assert report.rows == 6000
    assert report.load_seconds is not None and report.load_seconds > 0
    assert report.predict_seconds is not None and report.predict_seconds > 0
    assert report.peak_rss_bytes > 50 * 1024**2
    assert report.python == RUNNING


def test_lightgbm_two_args_passes(tmp_path):
    body = (
        "assert len(live_benchmark_models) == len(live_features)\n"
        "        out = model.predict(live_features[features])\n"
        "        ranks = pd.Series(out, index=live_features.index).rank(pct=True)\n"
        "        return ranks.to_frame('prediction')"
    )
    report = run_sandbox(lightgbm_pickle(tmp_path, body, two_args=True))

    assert report.verdict == "pass", render_text(report)


def test_column_order_dependence_found(tmp_path):
    body = (
        "values = live_features.drop(columns=['era']).to_numpy()\n"
        "        out = model.predict(values)\n"
        "        ranks = pd.Series(out, index=live_features.index).rank(pct=True)\n"
        "        return ranks.to_frame('prediction')"
    )
    report = run_sandbox(lightgbm_pickle(tmp_path, body))

    assert report.verdict == "fail", render_text(report)
    assert "column_order_dependent" in report.codes()


def test_missing_feature_in_live(tmp_path):
    import pandas as pd

    body = "return model.predict(live_features[features])"
    path = lightgbm_pickle(tmp_path, body)
    live = pd.DataFrame({"era": ["X"] * 20, "feature_a": [1] * 20})
    live.index = pd.Index([f"id{i}" for i in range(20)], name="id")
    live_path = tmp_path / "live.parquet"
    live.to_parquet(live_path)

    report = run_sandbox(path, live_path=live_path)

    assert report.codes()[0] == "missing_feature"
    assert "7 feature(s)" in report.reasons[0].message
    assert report.rows is None


def test_missing_pickle_raises(tmp_path):
    with pytest.raises(SandboxError, match="not found"):
        run_sandbox(tmp_path / "absent.pkl")


def test_cancel_kills_child(tmp_path):
    source = "import time\ndef predict(live):\n    time.sleep(60)\n"
    cancel = threading.Event()
    stages = []

    def progress(event):
        stages.append(event.stage)
        if event.stage == "predicting":
            cancel.set()

    with pytest.raises(Cancelled):
        run_sandbox(make_pickle(tmp_path, source), progress=progress, cancel=cancel)
    assert stages[:3] == ["preparing", "loading", "predicting"]
