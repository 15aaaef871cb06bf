"""Options and error handling shared by the headless subcommands."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator

import click

from core.errors import Cancelled, WizardError


def environment_options(command: Callable) -> Callable:
    """Add --demo, --api-url and --data-dir to a subcommand."""
    command = click.option(
        "--data-dir",
        type=click.Path(file_okay=False),
        help="Train from Numerai-format files already in DIR instead of downloading.",
    )(command)
    command = click.option("--api-url", metavar="URL", help="Numerai API address.")(
        command
    )
    command = click.option(
        "--demo",
        is_flag=True,
        help="Use a local stand-in of the API with synthetic data.",
    )(command)
    return command


@contextlib.contextmanager
def open_environment(demo: bool, api_url: str | None, data_dir: str | None) -> Iterator:
    """Yield the environment the options describe; the demo's server stops on exit."""
    from core.environment import demo_environment, real_environment

    if demo and api_url:
        raise click.UsageError(
            "--demo starts its own API; do not combine it with --api-url."
        )
    if demo:
        with demo_environment(data_dir) as env:
            yield env
    else:
        yield real_environment(api_url, data_dir)


def report_errors(command: Callable) -> Callable:
    """Turn a `WizardError` into one line on stderr and exit code 1 (130 on cancel)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from core.logs import current_log_file, setup_logging

        setup_logging()
        try:
            return command(*args, **kwargs)
        except Cancelled as error:
            click.echo(f"Cancelled: {error.one_line()}", err=True)
            sys.exit(130)
        except KeyboardInterrupt:
            click.echo("Cancelled.", err=True)
            sys.exit(130)
        except WizardError as error:
            click.echo(f"Error: {error.one_line()}", err=True)
            log_file = current_log_file()
            if log_file is not None:
                click.echo(f"Details are in {log_file}", err=True)
            sys.exit(1)

    return wrapper
