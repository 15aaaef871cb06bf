"""Step 2 by keys: removing a webhook keeps that slot chosen."""

from __future__ import annotations

from core.demo import WEBHOOK_MODEL
from core.steps import Step
from tests.tui_support import demo_session, settle
from tui.app import WizardApp


async def test_webhook_removal_keeps_slot(data_standin, tmp_path):
    session = demo_session(data_standin, tmp_path / "downloads")
    app = WizardApp(session)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Continue to step 2
        await settle(pilot)
        assert app.screen.STEP == Step.ENABLE

        slots = app.screen.query_one("#slots")
        names = [slots.get_option_at_index(i).id for i in range(slots.option_count)]
        slots.highlighted = names.index(WEBHOOK_MODEL)
        await pilot.pause()
        app.screen.query_one("#remove-webhook").press()
        await pilot.pause()
        await pilot.press("y")  # confirm the removal
        await settle(pilot)

        assert (
            data_standin.store.model_by_name(WEBHOOK_MODEL).submission_webhook is None
        )
        assert slots.get_option_at_index(slots.highlighted).id == WEBHOOK_MODEL
        assert not str(app.screen.query_one("#error").render())
