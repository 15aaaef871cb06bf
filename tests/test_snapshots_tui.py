"""Snapshots of every step, its failure state and the dialogs at 80×24 and 120×40.

Results that vary between runs (timings, memory, pickle names) are pinned
with fixed objects from tests.tui_support; API data comes from the stand-in.
Regenerate with `pytest tests/test_snapshots_tui.py --snapshot-update`.
"""

from __future__ import annotations

import threading

import pytest

from core.steps import Step
from tests.tui_support import (
    demo_session,
    fixed_train_result,
    pin_pickle,
    pin_report,
    prepare_through_data,
    settle,
)
from tui.app import WizardApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def session(data_standin, tmp_path):
    return demo_session(data_standin, tmp_path / "downloads")


def show(step: Step, after=None):
    """Return a `run_before` that shows `step` once the keys screen settled."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        if step != Step.KEYS:
            pilot.app.show_step(step)
            await settle(pilot)
        if after is not None:
            await after(pilot)
            await settle(pilot)
        # Toasts (the resume notice) disappear on a timer; tests of resume check them.
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_keys_valid(snap_compare, session, size):
    """Step 1 after the demo keys validated."""
    assert snap_compare(
        WizardApp(session), terminal_size=size, run_before=show(Step.KEYS)
    )


@pytest.mark.parametrize("size", SIZES)
def test_keys_rejected(snap_compare, session, monkeypatch, size):
    """Step 1 when Numerai rejects the keys."""
    from core.demo import DEMO_PUBLIC_ID
    from core.keys import FoundKeys, Keys

    bad = FoundKeys(Keys(DEMO_PUBLIC_ID, "Q" * 64), "demo", None)
    monkeypatch.setattr(session, "stored_keys", lambda: bad)
    assert snap_compare(
        WizardApp(session), terminal_size=size, run_before=show(Step.KEYS)
    )


@pytest.mark.parametrize("size", SIZES)
def test_enable_slots(snap_compare, session, size):
    """Step 2: the slots, the webhook blocker and the disclosure."""
    assert snap_compare(
        WizardApp(session), terminal_size=size, run_before=show(Step.ENABLE)
    )


@pytest.mark.parametrize("size", SIZES)
def test_enable_without_consent(snap_compare, session, size):
    """Step 2 when Use this slot is pressed before the disclosure is ticked."""

    async def press_use(pilot) -> None:
        await pilot.click("#use")

    run_before = show(Step.ENABLE, press_use)
    assert snap_compare(WizardApp(session), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_data_choices(snap_compare, session, size):
    """Step 3: version, preset, feature sets, overrides and the estimate."""
    prepare_through_data(session)
    assert snap_compare(
        WizardApp(session), terminal_size=size, run_before=show(Step.DATA)
    )


@pytest.mark.parametrize("size", SIZES)
def test_data_invalid_trees(snap_compare, session, size):
    """Step 3 when the trees override is not a valid number."""
    prepare_through_data(session)

    async def type_zero_trees(pilot) -> None:
        trees = pilot.app.screen.query_one("#trees")
        trees.value = "0"
        trees.focus()
        await pilot.press("enter")

    run_before = show(Step.DATA, type_zero_trees)
    assert snap_compare(WizardApp(session), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_train_result(snap_compare, session, tmp_path, size):
    """Step 4 after training: scores and the per-era and cumulative plots."""
    prepare_through_data(session)
    pin_pickle(session, tmp_path / "models")
    session.train_result = fixed_train_result()
    assert snap_compare(
        WizardApp(session), terminal_size=size, run_before=show(Step.TRAIN)
    )


@pytest.mark.parametrize("size", SIZES)
def test_train_cancelled(snap_compare, session, size):
    """Step 4 after the participant cancelled the data download."""
    prepare_through_data(session)

    async def train_and_cancel(pilot) -> None:
        screen = pilot.app.screen
        screen.cancel_event.set()
        # A set cancel event makes the download raise Cancelled at its first check.
        screen.cancel_event.clear = lambda: None
        await pilot.click("#train")

    run_before = show(Step.TRAIN, train_and_cancel)
    assert snap_compare(WizardApp(session), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_sandbox_pass(snap_compare, session, tmp_path, size):
    """Step 5 with a passing report: matrix, memory against the limit, imports."""
    prepare_through_data(session)
    pin_pickle(session, tmp_path / "models")
    pin_report(session, "pass")
    assert snap_compare(
        WizardApp(session), terminal_size=size, run_before=show(Step.SANDBOX)
    )


@pytest.mark.parametrize("size", SIZES)
def test_sandbox_fail(snap_compare, session, tmp_path, size):
    """Step 5 with a failing report: Continue stays disabled."""
    prepare_through_data(session)
    pin_pickle(session, tmp_path / "models")
    pin_report(session, "fail")
    assert snap_compare(
        WizardApp(session), terminal_size=size, run_before=show(Step.SANDBOX)
    )


@pytest.mark.parametrize("size", SIZES)
def test_upload_summary(snap_compare, session, tmp_path, size):
    """Step 6 before the upload: what goes where."""
    prepare_through_data(session)
    pin_pickle(session, tmp_path / "models")
    pin_report(session, "pass")
    assert snap_compare(
        WizardApp(session), terminal_size=size, run_before=show(Step.UPLOAD)
    )


@pytest.mark.parametrize("size", SIZES)
def test_upload_rejected(snap_compare, session, data_standin, tmp_path, size):
    """Step 6 when the presigned PUT is rejected with HTTP 403."""
    prepare_through_data(session)
    pin_pickle(session, tmp_path / "models")
    pin_report(session, "pass")

    async def upload_rejected(pilot) -> None:
        data_standin.inject("put_403", 5)
        await pilot.click("#upload")
        await pilot.press("y")

    run_before = show(Step.UPLOAD, upload_rejected)
    assert snap_compare(WizardApp(session), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_upload_confirm_dialog(snap_compare, session, tmp_path, size):
    """Step 6's confirmation before anything is sent."""
    prepare_through_data(session)
    pin_pickle(session, tmp_path / "models")
    pin_report(session, "pass")

    async def press_upload(pilot) -> None:
        await pilot.click("#upload")

    run_before = show(Step.UPLOAD, press_upload)
    assert snap_compare(WizardApp(session), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_dialog(snap_compare, session, size):
    """`?` on step 3 opens that step's help."""
    prepare_through_data(session)

    async def press_help(pilot) -> None:
        await pilot.press("question_mark")

    run_before = show(Step.DATA, press_help)
    assert snap_compare(WizardApp(session), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_demo_starting(snap_compare, monkeypatch, size):
    """The first frame of `--demo` while the stand-in starts."""
    from tui.screens.starting import StartingScreen

    never = threading.Event()

    def open_environment():
        never.wait(timeout=30)
        raise RuntimeError("not started in this test")

    app = WizardApp(open_environment=open_environment)
    # The start-up worker's thread blocks until `never` is set; set it when
    # the app closes its screens, else the app's exit waits for the thread.
    monkeypatch.setattr(
        StartingScreen, "on_unmount", lambda self: never.set(), raising=False
    )

    async def freeze_spinner(pilot) -> None:
        from textual.widgets import LoadingIndicator

        pilot.app.screen.query_one(LoadingIndicator).display = False
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=size, run_before=freeze_spinner)
    finally:
        never.set()
