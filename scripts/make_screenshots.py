"""Write one SVG per wizard step into screenshots/, driving the demo by keys.

Run with `make screenshots`. The stand-in API and synthetic data are started
here, in a throw-away home folder, so nothing of the user's is read or
changed. Terminal size 100×32.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
SIZE = (100, 32)


async def settle(pilot) -> None:
    for _ in range(60):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            return


async def capture(app) -> list[Path]:
    saved: list[Path] = []

    def shot(name: str) -> None:
        saved.append(Path(app.save_screenshot(f"{name}.svg", path=str(OUT))))

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shot("1-keys")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter", "space")
        await settle(pilot)
        shot("2-model-uploads")
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        shot("3-data")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        shot("4-training")
        await pilot.press("enter")
        await settle(pilot)
        shot("5-sandbox")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter", "y")
        await settle(pilot)
        shot("6-upload")
    return saved


def main() -> int:
    home = tempfile.mkdtemp(prefix="wizard-screenshots-")
    os.environ["NUMERAI_WIZARD_HOME"] = home
    os.environ.pop("NO_COLOR", None)
    sys.path.insert(0, str(ROOT))

    from core.environment import demo_environment
    from core.session import WizardSession
    from tui.app import WizardApp

    OUT.mkdir(exist_ok=True)
    with demo_environment(validation_seconds=0) as env:
        app = WizardApp(WizardSession.open(env))
        saved = asyncio.run(capture(app))
    for path in saved:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
