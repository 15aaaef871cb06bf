"""The first frame is drawn before the heavy libraries load."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("lightgbm", "pandas", "pyarrow", "numpy", "sklearn", "scipy")

# Runs in a fresh interpreter: mount the first screen, report what is loaded.
FIRST_FRAME = textwrap.dedent(
    """
    import asyncio, json, sys, threading

    from core.environment import Environment
    from core.session import WizardSession
    from tui.app import WizardApp

    mode = sys.argv[1]
    release = threading.Event()

    def open_environment():
        release.wait(timeout=30)
        raise RuntimeError("not started in this check")

    async def main():
        if mode == "demo":
            app = WizardApp(open_environment=open_environment)
        else:
            # No keys are stored in this HOME, so nothing is sent, and port 0
            # accepts no connection anyway.
            env = Environment(api_url="http://127.0.0.1:0/", data_dir=Path("unused"))
            app = WizardApp(WizardSession.open(env))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = type(app.screen).__name__
            loaded = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
            release.set()
        print(json.dumps({"screen": screen, "loaded": loaded}))

    from pathlib import Path
    HEAVY = set(json.loads(sys.argv[2]))
    asyncio.run(main())
    """
)


@pytest.mark.parametrize(
    ("mode", "screen"), [("demo", "StartingScreen"), ("keys", "KeysScreen")]
)
def test_first_screen_leaves_heavy_modules_unloaded(mode, screen, isolated_home):
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, mode, json.dumps(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["screen"] == screen
    assert outcome["loaded"] == []


async def test_demo_start_failure_shown_in_screen():
    from core.errors import WizardError
    from tests.tui_support import screen_text, settle
    from tui.app import WizardApp

    def open_environment():
        raise WizardError(
            "Port 8080 on 127.0.0.1 is in use.", "Stop the other program."
        )

    app = WizardApp(open_environment=open_environment)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "The demo could not start: Port 8080 on 127.0.0.1 is in use." in text
        assert "Traceback" not in text
        await pilot.press("ctrl+q")
    assert app.return_code == 1
