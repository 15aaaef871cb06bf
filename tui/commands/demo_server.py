"""`numerai-wizard demo-server`: run the stand-in of Numerai's API alone."""

from __future__ import annotations

import sys

import click


@click.command("demo-server")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="TCP port on 127.0.0.1 (default: a free one).",
)
@click.option(
    "--data-root",
    type=click.Path(file_okay=False, exists=True),
    help="Serve dataset files from DIR/<version>/... (default: none).",
)
@click.option(
    "--validation-seconds",
    type=float,
    default=1.5,
    show_default=True,
    help="Seconds an upload takes to validate.",
)
def demo_server(port: int, data_root: str | None, validation_seconds: float) -> None:
    """Serve the stand-in API on 127.0.0.1 and print its URL and demo keys."""
    from pathlib import Path

    from core.demo.__main__ import serve

    sys.exit(serve(port, Path(data_root) if data_root else None, validation_seconds))
