"""Write one SVG per wizard step into screenshots/, in the snapshot tests' states.

Run with `make screenshots`. A stand-in API with small synthetic data runs
on 127.0.0.1 in a throw-away home folder, so nothing of the user's is read
or changed. Steps 1 to 3 show what the stand-in returns. Steps 4 to 6 show
the fixed training result, pickle and sandbox report of tests/tui_support.py,
so two runs write identical files. Terminal size 100×32.
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
SHOTS = [
    ("KEYS", "1-keys"),
    ("ENABLE", "2-model-uploads"),
    ("DATA", "3-data"),
    ("TRAIN", "4-training"),
    ("SANDBOX", "5-sandbox"),
    ("UPLOAD", "6-upload"),
]


async def capture(app, folder: Path) -> list[Path]:
    from core.steps import Step
    from tests.tui_support import (
        fixed_train_result,
        pin_pickle,
        pin_report,
        prepare_through_data,
        settle,
    )

    saved: list[Path] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for step_name, file_name in SHOTS:
            step = Step[step_name]
            if step == Step.DATA:
                prepare_through_data(app.session)
            if step == Step.TRAIN:
                pin_pickle(app.session, folder / "models")
                app.session.train_result = fixed_train_result()
            if step == Step.SANDBOX:
                pin_report(app.session, "pass")
            if step != Step.KEYS:
                app.show_step(step)
            await settle(pilot)
            app.clear_notifications()
            await pilot.pause()
            saved.append(Path(app.save_screenshot(f"{file_name}.svg", path=str(OUT))))
    return saved


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="wizard-screenshots-"))
    os.environ["NUMERAI_WIZARD_HOME"] = str(home)
    os.environ.pop("NO_COLOR", None)
    sys.path.insert(0, str(ROOT))

    from core.data.synthetic import generate_dataset
    from core.demo.server import StandInServer
    from tests.tui_support import demo_session
    from tui.app import WizardApp

    data_root = home / "synthetic"
    generate_dataset(data_root, "v5.2", seed=0, size="small")
    OUT.mkdir(exist_ok=True)
    with StandInServer(data_root, validation_seconds=0) as server:
        app = WizardApp(demo_session(server, home / "downloads"))
        saved = asyncio.run(capture(app, home))
    for path in saved:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
