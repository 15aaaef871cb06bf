"""Start the Textual app in the environment the command line asked for."""

from __future__ import annotations

import contextlib
import sys


def launch_tui(demo: bool, api_url: str | None, data_dir: str | None) -> int:
    """Run the wizard until the user quits; return the process exit code."""
    from core.errors import WizardError
    from core.logs import setup_logging
    from tui.commands.common import open_environment

    log_file = setup_logging()
    if demo and not api_url:
        return _run_demo_app(data_dir)
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


def _run_demo_app(data_dir: str | None) -> int:
    """Run the app at once and start the demo's stand-in inside it.

    Generating the synthetic data imports pandas and takes seconds on the
    first run, so it happens in the app's start-up worker after the first
    frame. The stand-in stops when the app has exited.
    """
    from tui.app import WizardApp

    with contextlib.ExitStack() as stack:

        def open_demo():
            from core.environment import demo_environment

            return stack.enter_context(demo_environment(data_dir))

        app = WizardApp(open_environment=open_demo)
        app.run()
    return app.return_code or 0
