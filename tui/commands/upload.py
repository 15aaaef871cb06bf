"""`numerai-wizard upload PICKLE --model NAME`: the upload step without a UI."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from tui.commands.common import report_errors


@click.command()
@click.argument("pickle_path", metavar="PICKLE", type=click.Path(dir_okay=False))
@click.option(
    "--model",
    "model_name",
    required=True,
    metavar="NAME",
    help="Classic model slot to upload to.",
)
@click.option(
    "--data-version",
    metavar="VERSION",
    help="Data version Numerai runs the model on "
    "(default: the manifest's, else Numerai's default).",
)
@click.option(
    "--yes",
    "-y",
    "assume_yes",
    is_flag=True,
    help="Accept that Numerai can read the uploaded pipeline.",
)
@click.option(
    "--remove-webhook",
    is_flag=True,
    help="Remove the slot's Numerai Compute webhook if it has one.",
)
@click.option(
    "--api-url", metavar="URL", help="Numerai API address (default: the real API)."
)
@click.option(
    "--demo",
    is_flag=True,
    help="Upload to a local stand-in of the API started for this command.",
)
@click.option(
    "--skip-sandbox",
    is_flag=True,
    help="Upload without running the pickle in the sandbox first.",
)
@click.option(
    "--status-timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds to wait for Numerai's validation status.",
)
@report_errors
def upload(
    pickle_path,
    model_name,
    data_version,
    assume_yes,
    remove_webhook,
    api_url,
    demo,
    skip_sandbox,
    status_timeout,
):
    """Upload a pickle to a model slot and report Numerai's validation status."""
    from core.upload_command import UploadRequest, run_upload

    if demo and api_url:
        raise click.UsageError(
            "--demo starts its own API; do not combine it with --api-url."
        )
    request = UploadRequest(
        pickle_path=Path(pickle_path),
        model_name=model_name,
        data_version=data_version,
        assume_yes=assume_yes,
        remove_webhook=remove_webhook,
        status_timeout=status_timeout,
        run_sandbox=not skip_sandbox,
    )
    with _api_address(demo, api_url) as (address, profile):
        run_upload(request, address, profile, echo=click.echo, confirm=_confirm)


@contextlib.contextmanager
def _api_address(demo: bool, api_url: str | None):
    from core.api import DEFAULT_API_URL
    from core.environment import DEMO_PROFILE

    if not demo:
        address = api_url or DEFAULT_API_URL
        yield address, address
        return
    from core.demo.server import StandInServer

    with StandInServer(run_pickles=True) as server:
        click.echo(f"Demo: stand-in API at {server.url}", err=True)
        yield server.url, DEMO_PROFILE


def _confirm(text: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return click.confirm(text, default=False, err=True)
