"""A restarted wizard starts at the first step that still needs doing."""

from __future__ import annotations

from pathlib import Path

from textual.notifications import Notify

from core.environment import Environment
from core.session import WizardSession
from core.steps import Step, StepState
from tests.tui_support import settle
from tui.app import WizardApp


def open_app(standin, data_dir: Path) -> WizardApp:
    env = Environment(api_url=standin.url, data_dir=data_dir, demo=True)
    return WizardApp(WizardSession.open(env))


def notices(messages) -> list[str]:
    return [str(m.notification.message) for m in messages if isinstance(m, Notify)]


async def run_first_steps(app: WizardApp, through: Step) -> None:
    """Drive steps 1 to `through` by keys, then quit with Ctrl+Q."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Continue after the keys validated
        await settle(pilot)
        await pilot.press("enter", "space", "enter")  # slot, consent, Use this slot
        await settle(pilot)
        if through >= Step.DATA:
            await pilot.press("enter")  # Continue with the remembered choices
            await settle(pilot)
        if through >= Step.TRAIN:
            await pilot.press("enter")  # Train
            await settle(pilot)
            assert app.session.step_states[Step.TRAIN] == StepState.DONE
        await pilot.press("ctrl+q")
        await settle(pilot)


async def test_restart_resumes_at_sandbox(data_standin, tmp_path):
    first = open_app(data_standin, tmp_path / "downloads")
    await run_first_steps(first, through=Step.TRAIN)
    pickle_path = first.session.pickle_path
    assert pickle_path.is_file()

    second = open_app(data_standin, tmp_path / "downloads")
    messages = []
    async with second.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert second.screen.STEP == Step.SANDBOX
        assert second.session.pickle_path == pickle_path
        states = second.session.step_states
        assert [states[s] for s in (Step.KEYS, Step.ENABLE, Step.DATA, Step.TRAIN)] == [
            StepState.DONE
        ] * 4
        assert any(
            n.startswith("Resuming at step 5 (Sandbox report)")
            for n in notices(messages)
        )
        # The sandbox runs at once for the remembered pickle.
        assert second.session.report is not None


async def test_restart_after_slot_resumes_at_data(data_standin, tmp_path):
    first = open_app(data_standin, tmp_path / "downloads")
    await run_first_steps(first, through=Step.ENABLE)

    second = open_app(data_standin, tmp_path / "downloads")
    messages = []
    async with second.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert second.screen.STEP == Step.DATA
        assert any(
            n.startswith("Resuming at step 3 (Data and features)")
            for n in notices(messages)
        )


async def test_changed_pickle_resumes_at_training(data_standin, tmp_path):
    first = open_app(data_standin, tmp_path / "downloads")
    await run_first_steps(first, through=Step.TRAIN)
    first.session.pickle_path.write_bytes(b"not the trained pickle")

    second = open_app(data_standin, tmp_path / "downloads")
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert second.screen.STEP == Step.TRAIN
        assert second.session.step_states[Step.TRAIN] == StepState.TODO
