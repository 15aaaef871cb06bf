"""Start the Textual app in the environment the command line asked for."""

from __future__ import annotations

import sys


def launch_tui(demo: bool, api_url: str | None, data_dir: str | None) -> int:
    """Run the wizard until the user quits; return the process exit code."""
    from core.errors import WizardError
    from core.logs import setup_logging
    from tui.commands.common import open_environment

    log_file = setup_logging()
    if demo:
        print("Starting the demo: a stand-in of Numerai's API on 127.0.0.1 with synthetic data…")
    try:
        with open_environment(demo, api_url, data_dir) as env:
            return _run_app(env)
    except WizardError as error:
        print(f"Error: {error.one_line()}\nDetails are in {log_file}", file=sys.stderr)
        return 1


def _run_app(env) -> int:
    from core.session import WizardSession
    from tui.app import WizardApp

    app = WizardApp(WizardSession.open(env))
    app.run()
    return app.return_code or 0
