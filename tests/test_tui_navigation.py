"""Keyboard navigation, help, quitting during work and resuming, by Pilot."""

from __future__ import annotations

import pytest

from core.steps import Step, StepState
from tests.tui_support import demo_session, prepare_through_data, screen_text, settle
from tui.app import WizardApp
from tui.messages import WorkFinished, WorkProgressed
from tui.screens.modals import ConfirmScreen, HelpScreen


@pytest.fixture
def session(data_standin, tmp_path):
    return demo_session(data_standin, tmp_path / "downloads")


async def test_escape_goes_back_a_step(session):
    prepare_through_data(session)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.DATA)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.STEP == Step.ENABLE
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.STEP == Step.KEYS
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.STEP == Step.KEYS


async def test_tab_moves_focus_forward_and_back(session):
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = app.focused
        await pilot.press("tab")
        second = app.focused
        assert second is not first
        await pilot.press("shift+tab")
        assert app.focused is first


async def test_help_opens_and_closes(session):
    prepare_through_data(session)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.DATA)
        await settle(pilot)
        app.screen.query_one("#continue").focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Data and features" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.STEP == Step.DATA
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_footer_shows_step_keys(session):
    prepare_through_data(session)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.TRAIN)
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for label in ("esc Back", "f1 Help", "c Cancel training", "^q Quit"):
            assert label in footer


async def test_step_list_marks_states(session):
    prepare_through_data(session)
    session.step_states[Step.TRAIN] = StepState.FAILED
    app = WizardApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.show_step(Step.SANDBOX)
        await settle(pilot)
        text = screen_text(app)
        assert "✓ 1 API keys" in text
        assert "✗ 4 Training" in text
        assert "▶ 5 Sandbox report" in text
        assert "· 6 Upload" in text


# Enough trees that training is still running when the keys arrive.
LONG_TRAINING = {"n_estimators": 20_000}


async def test_quit_during_training_cancels(session):
    """Ctrl+Q while training requests confirmation; Yes stops the worker and exits."""
    from core import paths

    prepare_through_data(session)
    session.params = dict(LONG_TRAINING)
    messages = []
    app = WizardApp(session)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(pilot)
        app.show_step(Step.TRAIN)
        await settle(pilot)
        screen = app.screen
        await pilot.click("#train")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert screen.busy
        await pilot.press("y")
        await settle(pilot)
    assert screen.cancel_event.is_set()
    assert not any(isinstance(m, WorkFinished) and m.task == "train" for m in messages)
    assert session.step_states[Step.TRAIN] == StepState.TODO
    assert session.train_result is None
    assert not list(paths.state_dir().glob("models/*"))


async def test_second_ctrl_q_stops_work(session):
    """Ctrl+Q on the quit question answers yes: training is cancelled, not abandoned."""
    from core import paths

    prepare_through_data(session)
    session.params = dict(LONG_TRAINING)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.TRAIN)
        await settle(pilot)
        screen = app.screen
        await pilot.click("#train")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert screen.cancel_event.is_set()
    assert session.train_result is None
    assert not list(paths.state_dir().glob("models/*"))


async def test_help_then_ctrl_q_asks(session):
    """Ctrl+Q with help open over running work still asks before quitting."""
    prepare_through_data(session)
    session.params = dict(LONG_TRAINING)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.TRAIN)
        await settle(pilot)
        screen = app.screen
        await pilot.click("#train")
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert screen.busy
        await pilot.press("y")
        await settle(pilot)
    assert screen.cancel_event.is_set()


async def test_keep_working_answer_continues(session):
    """No to the quit question leaves training running; `c` then cancels it."""
    prepare_through_data(session)
    session.params = dict(LONG_TRAINING)
    messages = []
    app = WizardApp(session)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(pilot)
        app.show_step(Step.TRAIN)
        await settle(pilot)
        screen = app.screen
        await pilot.click("#train")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert screen.busy
        assert not screen.cancel_event.is_set()
        while not any(isinstance(m, WorkProgressed) for m in messages):
            await pilot.pause(0.05)
        await pilot.press("c")
        await settle(pilot)
        assert str(screen.query_one("#error").render()).startswith("Cancelled:")
        assert app.is_running
    assert not any(isinstance(m, WorkFinished) and m.task == "train" for m in messages)


async def test_cancel_key_stops_training(session):
    """`c` during training: the worker raises Cancelled and no pickle is written."""
    from core import paths

    prepare_through_data(session)
    app = WizardApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(Step.TRAIN)
        await settle(pilot)
        screen = app.screen
        screen.cancel_event.set()
        screen.cancel_event.clear = lambda: None  # stay set when Train starts
        await pilot.click("#train")
        await settle(pilot)
        error = str(screen.query_one("#error").render())
        assert error.startswith("Cancelled:")
        assert session.step_states[Step.TRAIN] == StepState.TODO
        assert not screen.busy
        assert not screen.query_one("#train").disabled
    assert not list(paths.state_dir().glob("models/*.pkl"))
