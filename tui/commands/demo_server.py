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
    help="Serve dataset files from DIR/<version>/... "
    "(default: the demo's synthetic data, generated on first use).",
)
@click.option(
    "--validation-seconds",
    type=click.FloatRange(min=0),
    default=1.5,
    show_default=True,
    help="Seconds an upload takes to validate.",
)
def demo_server(port: int, data_root: str | None, validation_seconds: float) -> None:
    """Serve the stand-in API on 127.0.0.1 and print its URL and demo keys."""
    from pathlib import Path

    from core.demo.__main__ import serve

    if data_root is None:
        from core.data.synthetic import generate_if_missing
        from core.environment import DEMO_DATA_VERSION, demo_source_dir

        root = demo_source_dir()
        generate_if_missing(root, DEMO_DATA_VERSION)
    else:
        root = Path(data_root)
        if not any(root.glob("v*/train.parquet")):
            click.echo(
                f"Warning: {root} has no vX.Y/train.parquet, so clients will find "
                "no data version to train on.",
                err=True,
            )
    sys.exit(serve(port, root, validation_seconds))
