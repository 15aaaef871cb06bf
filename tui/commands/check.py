"""`numerai-wizard check PICKLE`: run an upload pickle in the sandbox, headless."""

from __future__ import annotations

import sys

import click

EXIT_FAIL = 1
EXIT_USAGE = 2


def _progress_printer(enabled: bool):
    if not enabled:
        return None

    def show(event) -> None:
        click.echo(f"[{event.elapsed_s:6.1f}s] {event.message}", err=True)

    return show


@click.command()
@click.argument("pickle_path", metavar="PICKLE", type=click.Path(dir_okay=False))
@click.option(
    "--python",
    "python",
    metavar="3.X",
    help="Runner Python version to use (default: the manifest's, else found by trial).",
)
@click.option(
    "--live",
    "live_path",
    type=click.Path(dir_okay=False),
    help="Live features file (parquet, csv or pickle); default: synthetic live data.",
)
@click.option(
    "--benchmarks",
    "benchmarks_path",
    type=click.Path(dir_okay=False),
    help="Live benchmark models file; default: synthetic benchmark columns.",
)
@click.option(
    "--memory-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=4.0,
    show_default=True,
    help="Memory limit in GiB.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="Time limit for loading and predicting, in seconds.",
)
@click.option(
    "--cpus",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="CPUs the pickle may use.",
)
@click.option(
    "--api-url",
    metavar="URL",
    help="Also ask this Numerai API whether it offers a runner for the pickle's "
    "Python (needs API keys).",
)
@click.option(
    "--demo", is_flag=True, help="Ask a local stand-in of the API instead (demo keys)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check(
    pickle_path: str,
    python: str | None,
    live_path: str | None,
    benchmarks_path: str | None,
    memory_limit: float,
    timeout: float,
    cpus: int,
    api_url: str | None,
    demo: bool,
    as_json: bool,
) -> None:
    """Run PICKLE the way Numerai's runner does and report whether it passes.

    Exits 0 on pass or warn, 1 on fail and 2 on a usage error.
    """
    from core.errors import WizardError
    from core.sandbox import Limits, render_text, run_sandbox

    limits = Limits(
        cpus=cpus, memory_bytes=int(memory_limit * 1024**3), timeout_s=timeout
    )
    try:
        report = run_sandbox(
            pickle_path,
            python=python,
            live_path=live_path,
            benchmarks_path=benchmarks_path,
            limits=limits,
            progress=_progress_printer(not as_json and sys.stderr.isatty()),
        )
    except WizardError as error:
        click.echo(f"Error: {error.one_line()}", err=True)
        sys.exit(EXIT_USAGE)
    if api_url or demo:
        try:
            _check_runner_offered(report, api_url, demo)
        except WizardError as error:
            click.echo(f"Error: {error.one_line()}", err=True)
            sys.exit(EXIT_FAIL)

    click.echo(report.to_json() if as_json else render_text(report))
    sys.exit(EXIT_FAIL if report.verdict == "fail" else 0)


def _check_runner_offered(report, api_url: str | None, demo: bool) -> None:
    """Add whether the API offers a runner for the pickle's Python to `report`."""
    from core.api import NumeraiClient
    from core.errors import WizardError
    from core.keys import find_keys
    from core.sandbox.offer import add_runner_offer
    from tui.commands.common import open_environment

    if demo and api_url:
        raise click.UsageError(
            "--demo starts its own API; do not combine it with --api-url."
        )
    with open_environment(demo, api_url, None) as env:
        if demo:
            from core.demo import DEMO_PUBLIC_ID, DEMO_SECRET_KEY
            from core.keys import Keys

            keys = Keys(DEMO_PUBLIC_ID, DEMO_SECRET_KEY)
        else:
            found = find_keys()
            if found is None:
                raise WizardError(
                    "Asking the API for its runners needs API keys, and none were found.",
                    "Set NUMERAI_PUBLIC_ID and NUMERAI_SECRET_KEY, or drop --api-url.",
                )
            keys = found.keys
        client = NumeraiClient(keys, env.api_url)
        add_runner_offer(report, client.docker_images())
