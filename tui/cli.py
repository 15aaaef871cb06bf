"""Command line: `numerai-wizard` starts the TUI; subcommands run headless.

Subcommands live in `tui.commands.<name>` and load only when called, so
`--help` and the TUI's start-up do not pay for their imports.
"""

from __future__ import annotations

import importlib

import click

# Subcommand name -> "module:attribute" of its click command.
COMMANDS = {
    "run": "tui.commands.run:run",
    "check": "tui.commands.check:check",
    "train": "tui.commands.train:train",
    "upload": "tui.commands.upload:upload",
    "demo-server": "tui.commands.demo_server:demo_server",
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--demo",
    is_flag=True,
    help="Run against a local stand-in of Numerai's API with synthetic data.",
)
@click.option(
    "--api-url", metavar="URL", help="Numerai API address (default: the real API)."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=str),
    help="Train from Numerai-format files already in DIR instead of downloading.",
)
@click.pass_context
def main(
    ctx: click.Context, demo: bool, api_url: str | None, data_dir: str | None
) -> None:
    """Put a Numerai model on autopilot with Model Uploads.

    Without a subcommand, starts the interactive wizard.
    """
    if ctx.invoked_subcommand is not None:
        return
    from tui.launch import launch_tui

    ctx.exit(launch_tui(demo=demo, api_url=api_url, data_dir=data_dir))
