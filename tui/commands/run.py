"""`numerai-wizard run`: the six steps without a terminal UI."""

from __future__ import annotations

import signal
import threading

import click

from tui.commands.common import environment_options, open_environment, report_errors


@click.command()
@environment_options
@click.option(
    "--model",
    metavar="NAME",
    help="Model slot to upload to (default: the last one, else the first ready).",
)
@click.option(
    "--data-version",
    metavar="VERSION",
    help="Data version to train on (default: the newest).",
)
@click.option(
    "--feature-set",
    default="small",
    show_default=True,
    help="Feature set from features.json.",
)
@click.option(
    "--preset",
    default="quick",
    show_default=True,
    help="Training preset: quick, example or deep.",
)
@click.option(
    "--trees",
    type=click.IntRange(min=1),
    help="Number of trees, overriding the preset.",
)
@click.option(
    "--pickle",
    "pickle_path",
    type=click.Path(dir_okay=False),
    help="Upload this pickle instead of training one.",
)
@click.option(
    "--remove-webhook",
    is_flag=True,
    help="Remove the slot's Numerai Compute webhook if it has one.",
)
@click.option(
    "--yes",
    "-y",
    "assume_yes",
    is_flag=True,
    help="Accept that Numerai can read the uploaded pipeline.",
)
@click.option(
    "--status-timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds to wait for Numerai's validation status.",
)
@report_errors
def run(
    demo,
    api_url,
    data_dir,
    model,
    data_version,
    feature_set,
    preset,
    trees,
    pickle_path,
    remove_webhook,
    assume_yes,
    status_timeout,
):
    """Run all six steps headless, printing one line per step."""
    from core.flow import RunOptions, run_flow
    from core.session import WizardSession

    options = RunOptions(
        model=model,
        data_version=data_version,
        feature_set=feature_set,
        preset=preset,
        trees=trees,
        pickle=pickle_path,
        assume_yes=assume_yes,
        remove_webhook=remove_webhook,
        status_timeout=status_timeout,
    )
    cancel = cancel_on_interrupt()
    with open_environment(demo, api_url, data_dir) as env:
        session = WizardSession.open(env)
        run_flow(session, options, echo=click.echo, cancel=cancel)


def cancel_on_interrupt() -> threading.Event:
    """Make the first Ctrl-C stop the current step cleanly; a second one forces."""
    cancel = threading.Event()

    def interrupted(_signum, _frame) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        click.echo(
            "Stopping after the current step's clean-up (Ctrl-C again forces).",
            err=True,
        )

    signal.signal(signal.SIGINT, interrupted)
    return cancel
