"""Failures shown in the screen where they happen, produced for real on the stand-in."""

from __future__ import annotations

import pytest

from core.steps import Step, StepState
from tests.tui_support import demo_session, prepare_through_data, settle
from tui.app import WizardApp


@pytest.fixture
def session(data_standin, tmp_path):
    return demo_session(data_standin, tmp_path / "downloads")


@pytest.fixture
def log_file(tmp_path, monkeypatch):
    """Pretend this run logs to a file, so messages name where the details are."""
    import core.logs

    path = tmp_path / "logs" / "wizard-test.log"
    monkeypatch.setattr(core.logs, "_current_log", path)
    return path


def error_text(app) -> str:
    return str(app.screen.query_one("#error").render())


def assert_readable(text: str) -> None:
    assert text
    assert "Traceback" not in text
    assert 'File "' not in text


async def test_api_unreachable_at_keys(session, data_standin, log_file):
    data_standin.stop()
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = error_text(app)
        assert_readable(text)
        assert "127.0.0.1" in text
        assert f"Details are in {log_file}" in text
        assert session.step_states[Step.KEYS] == StepState.FAILED
        assert app.screen.STEP == Step.KEYS
        assert not app.screen.query_one("#check").disabled


async def test_server_errors_at_keys(session, data_standin):
    data_standin.inject("http_500", 20)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = error_text(app)
        assert_readable(text)
        assert "500" in text
        assert session.step_states[Step.KEYS] == StepState.FAILED


async def test_download_failure_at_training(session, data_standin, log_file):
    prepare_through_data(session)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.TRAIN)
        await settle(pilot)
        data_standin.inject("html_502", 50)
        await pilot.click("#train")
        await settle(pilot)
        text = error_text(app)
        assert_readable(text)
        assert "<html" not in text.lower()
        assert f"Details are in {log_file}" in text
        assert session.step_states[Step.TRAIN] == StepState.FAILED
        assert not app.screen.query_one("#train").disabled
        assert app.screen.query_one("#continue").disabled


async def test_missing_pickle_path_at_training(session, tmp_path):
    prepare_through_data(session)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.TRAIN)
        await settle(pilot)
        missing = tmp_path / "nowhere" / "model.pkl"
        app.screen.query_one("#pickle-path").value = str(missing)
        await pilot.click("#use-pickle")
        await pilot.pause()
        text = error_text(app)
        assert str(missing) in text
        assert session.pickle_path is None


async def test_sandbox_fail_verdict(session, tmp_path):
    prepare_through_data(session)
    bad = tmp_path / "broken.pkl"
    bad.write_bytes(b"this is not a pickle")
    session.use_pickle(bad)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.SANDBOX)
        await settle(pilot)
        assert session.report.verdict == "fail"
        verdict = str(app.screen.query_one("#verdict").render())
        assert "FAIL" in verdict
        assert app.screen.query_one("#continue").disabled
        assert session.step_states[Step.SANDBOX] == StepState.FAILED


@pytest.mark.parametrize("failure", ["put_403", "expire_upload_urls"])
async def test_upload_rejected(session, data_standin, tmp_path, failure):
    from tests.tui_support import pin_pickle, pin_report

    prepare_through_data(session)
    pin_pickle(session, tmp_path / "models")
    pin_report(session)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.UPLOAD)
        await settle(pilot)
        data_standin.inject(failure, 10)
        await pilot.click("#upload")
        await pilot.press("y")
        await settle(pilot)
        text = error_text(app)
        assert_readable(text)
        assert "failed" in text
        assert session.step_states[Step.UPLOAD] == StepState.FAILED
        assert not [u for u in data_standin.store.uploads.values() if u.created]
        assert not app.screen.query_one("#upload").disabled
