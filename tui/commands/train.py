"""`numerai-wizard train`: load, train, validate and export without the TUI.

Progress goes to stderr, updated in place on a terminal and one line per
stage otherwise; the manifest path and the scores go to stdout. Exit codes:
0 on success, 1 with a one-line error, 130 after Ctrl-C (nothing is written).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from core.errors import Cancelled, WizardError

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


class _ProgressLine:
    """Writes `TrainProgress` to stderr: in place on a TTY, else once per stage."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_stage = ""

    def __call__(self, update) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + self._text(update))
            self.stream.flush()
        elif update.stage != self.last_stage:
            self.stream.write(self._text(update) + "\n")
            self.stream.flush()
        self.last_stage = update.stage

    def end(self) -> None:
        if self.tty and self.last_stage:
            self.stream.write("\n")
            self.stream.flush()

    @staticmethod
    def _text(update) -> str:
        text = f"{update.stage}: {update.elapsed_s:.0f}s elapsed"
        if update.stage == "training":
            text += f", tree {update.trees_done}/{update.trees_total}"
            if update.eta_s is not None:
                text += f", about {update.eta_s:.0f}s left"
        return text


def _run_in_thread(work, cancel: threading.Event):
    """Run `work()` in a thread so Ctrl-C sets `cancel` and waits for a clean stop."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the main thread below
            outcome["error"] = error

    thread = threading.Thread(target=target, name="train", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:
        cancel.set()
        thread.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _print_result(exported, result) -> None:
    click.echo(f"pickle: {exported.pickle_path}")
    click.echo(f"manifest: {exported.manifest_path}")
    click.echo(f"sha256: {exported.sha256}")
    click.echo(
        f"trained: {result.trees} trees on {result.train_rows} rows, "
        f"{result.train_eras} eras, {len(result.features)} features ({result.feature_set})"
    )
    metrics = result.metrics
    if metrics is None:
        click.echo(f"validation: none. {result.validation_note}")
        return
    click.echo(
        f"validation: {len(metrics.eras)} eras, corr mean {metrics.mean:.4f}, "
        f"std {metrics.std:.4f}, sharpe {metrics.sharpe:.2f}, "
        f"max drawdown {metrics.max_drawdown:.4f}"
    )


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of Numerai files: features.json, train.parquet, validation.parquet, "
    "directly or in a vX.Y subfolder. Without it, the files are downloaded from the API.",
)
@click.option(
    "--api-url",
    metavar="URL",
    help="Numerai API address to download from (default: the real API).",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Download from a local stand-in of the API with synthetic data.",
)
@click.option(
    "--data-version",
    default="v5.2",
    show_default=True,
    help="Data version subfolder to use.",
)
@click.option(
    "--feature-set",
    required=True,
    help="Feature set name from features.json, such as small, medium or all.",
)
@click.option(
    "--preset",
    default="example",
    show_default=True,
    help="LightGBM parameters: quick, example or deep.",
)
@click.option(
    "--trees",
    type=click.IntRange(min=1),
    help="Number of trees, replacing the preset's.",
)
@click.option(
    "--era-step",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Train on every N-th era.",
)
@click.option(
    "--target", default="target", show_default=True, help="Target column to train on."
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the predict pickle.",
)
@click.pass_context
def train(
    ctx,
    data_dir,
    api_url,
    demo,
    data_version,
    feature_set,
    preset,
    trees,
    era_step,
    target,
    out_path,
) -> None:
    """Train a LightGBM model, validate it and export the predict pickle."""
    from core.logs import setup_logging
    from core.presets import PRESETS

    setup_logging()
    if demo and api_url:
        raise click.UsageError(
            "--demo starts its own API; do not combine it with --api-url."
        )
    if preset not in PRESETS:
        _fail(f"Unknown preset {preset!r}.", f"Choose one of: {', '.join(PRESETS)}.")
    options = (data_version, feature_set, preset, trees, era_step, target, out_path)
    data_dir = data_dir or _parent_data_dir(ctx)
    if data_dir is not None:
        _train_command(ctx, data_dir, *options)
        return

    from tui.commands.common import open_environment

    try:
        with open_environment(demo, api_url, None) as env:
            _train_command(ctx, _download(env, data_version), *options)
    except WizardError as error:
        _fail(error.message, error.hint)


def _download(env, version: str) -> Path:
    """Download a version's training files through the API, printing one line per file."""
    from core.api import NumeraiClient
    from core.data.catalog import TRAINING_FILES
    from core.data.download import fetch_version_files

    done: set[str] = set()

    def report(update) -> None:
        if (
            update.total_bytes is not None
            and update.done_bytes >= update.total_bytes
            and update.name not in done
        ):
            done.add(update.name)
            click.echo(
                f"downloaded {update.name} ({update.done_bytes:,} bytes)", err=True
            )

    client = NumeraiClient(None, env.api_url)
    click.echo(
        f"Downloading {version} from {env.api_url} into {env.data_dir}", err=True
    )
    return fetch_version_files(
        client, version, list(TRAINING_FILES), env.data_dir, progress=report
    )


def _train_command(
    ctx, data_dir, data_version, feature_set, preset, trees, era_step, target, out_path
) -> None:
    from core.presets import preset_params

    overrides = {"n_estimators": trees} if trees else {}
    params = preset_params(preset, overrides)
    cancel = threading.Event()
    progress = _ProgressLine(sys.stderr)
    try:
        result, exported = _run_in_thread(
            lambda: _train_and_export(
                data_dir,
                data_version,
                feature_set,
                params,
                era_step,
                target,
                out_path,
                progress,
                cancel,
            ),
            cancel,
        )
    except KeyboardInterrupt:
        progress.end()
        click.echo("Interrupted: training stopped and no file was written.", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    except WizardError as error:
        progress.end()
        _fail(error.message, error.hint)
    progress.end()
    _print_result(exported, result)


def _train_and_export(
    data_dir, version, feature_set, params, era_step, target, out_path, progress, cancel
):
    from core.export import export_model
    from core.training import TrainConfig, train_model

    config = TrainConfig(Path(data_dir), feature_set, params, era_step, version, target)
    result = train_model(config, progress=progress, cancel=cancel)
    if cancel.is_set():
        raise Cancelled("Training was cancelled before export.")
    return result, export_model(result, out_path)


def _parent_data_dir(ctx) -> Path | None:
    parent = ctx.parent.params if ctx.parent is not None else {}
    value = parent.get("data_dir")
    return Path(value) if value else None


def _fail(message: str, hint: str = "") -> None:
    click.echo(f"Error: {message} {hint}".rstrip(), err=True)
    sys.exit(EXIT_FAILED)
