"""The TUI driven by key presses only, against the stand-in over real HTTP."""

from __future__ import annotations

import hashlib

import pytest

from core.demo import DEMO_MODEL, DEMO_PUBLIC_ID, DEMO_SECRET_KEY
from core.environment import Environment
from core.session import WizardSession
from core.steps import Step, StepState
from tests.tui_support import settle
from tui.app import WizardApp


def make_app(standin, tmp_path) -> WizardApp:
    env = Environment(api_url=standin.url, data_dir=tmp_path / "downloads")
    return WizardApp(WizardSession.open(env))


@pytest.fixture
def demo_keys_in_env(monkeypatch):
    monkeypatch.setenv("NUMERAI_PUBLIC_ID", DEMO_PUBLIC_ID)
    monkeypatch.setenv("NUMERAI_SECRET_KEY", DEMO_SECRET_KEY)


async def test_tui_six_steps_by_keys(data_standin, tmp_path, demo_keys_in_env):
    app = make_app(data_standin, tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        assert app.screen.STEP == Step.KEYS
        assert app.session.step_states[Step.KEYS] == StepState.DONE

        await pilot.press("enter")  # Continue
        await settle(pilot)
        assert app.screen.STEP == Step.ENABLE

        await pilot.press("enter")  # select the highlighted ready slot
        await pilot.press("space")  # tick the disclosure
        await pilot.press("enter")  # Use this slot
        await settle(pilot)
        assert app.screen.STEP == Step.DATA
        assert app.session.slot.name == DEMO_MODEL

        await pilot.press("enter")  # Continue with small / quick
        await settle(pilot)
        assert app.screen.STEP == Step.TRAIN

        await pilot.press("enter")  # Train
        await settle(pilot)
        assert app.session.step_states[Step.TRAIN] == StepState.DONE
        await pilot.press("enter")  # Continue
        await settle(pilot)
        assert app.screen.STEP == Step.SANDBOX
        assert app.session.report.verdict in ("pass", "warn")

        await pilot.press("enter")  # Continue
        await settle(pilot)
        assert app.screen.STEP == Step.UPLOAD
        await pilot.press("enter")  # Upload
        await pilot.press("y")  # confirm
        await settle(pilot)

        status = str(app.screen.query_one("#status").render())
        assert "validated" in status.lower()

    created = [u for u in data_standin.store.uploads.values() if u.created]
    assert len(created) == 1
    pickle_bytes = app.session.pickle_path.read_bytes()
    assert created[0].sha256 == hashlib.sha256(pickle_bytes).hexdigest()


async def test_tui_bad_keys_error_in_screen(data_standin, tmp_path, monkeypatch):
    monkeypatch.setenv("NUMERAI_PUBLIC_ID", DEMO_PUBLIC_ID)
    monkeypatch.setenv("NUMERAI_SECRET_KEY", "Q" * 64)
    app = make_app(data_standin, tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        error = str(app.screen.query_one("#error").render())
        assert error
        assert "Traceback" not in error
        assert "Q" * 64 not in error
        assert app.session.step_states[Step.KEYS] == StepState.FAILED
        assert app.screen.STEP == Step.KEYS
