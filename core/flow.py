"""The six steps run in order without a terminal UI, one line per step.

Used by `numerai-wizard run` for scripts and for SSH sessions without a
TTY. Every choice has a default or an option; consent that the TUI asks
for interactively must be given with `assume_yes`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import WizardError
from core.session import DEFAULT_FEATURE_SET, DEFAULT_PRESET, WizardSession
from core.steps import Step
from core.summaries import estimate_summary, report_summary, training_summary

Echo = Callable[[str], None]


@dataclass
class RunOptions:
    model: str | None = None
    data_version: str | None = None
    feature_set: str = DEFAULT_FEATURE_SET
    preset: str = DEFAULT_PRESET
    trees: int | None = None
    pickle: str | None = None
    assume_yes: bool = False
    remove_webhook: bool = False
    status_timeout: float = 60.0


class ConsentRequired(WizardError):
    """A step needs a yes that a headless run was not given."""


def _line(echo: Echo, step: Step, text: str) -> None:
    echo(f"[{step.value}/6] {step.title}: {text}")


def run_flow(
    session: WizardSession,
    options: RunOptions,
    echo: Echo,
    cancel: threading.Event | None = None,
) -> str:
    """Run every step and return the upload id; raise `WizardError` on failure."""
    if options.pickle:
        from core.session import check_pickle_path

        check_pickle_path(options.pickle)
    _keys_step(session, echo)
    _enable_step(session, options, echo)
    _data_step(session, options, echo)
    _train_step(session, options, echo, cancel)
    _sandbox_step(session, echo, cancel)
    return _upload_step(session, options, echo, cancel)


def _keys_step(session: WizardSession, echo: Echo) -> None:
    found = session.stored_keys()
    if found is None:
        raise WizardError(
            "No Numerai API keys found.",
            "Set NUMERAI_PUBLIC_ID and NUMERAI_SECRET_KEY, or run the wizard once to save them.",
        )
    result = session.connect(found.keys.public_id, found.keys.secret_key, save=False)
    scopes = ", ".join(result.account.scopes) or "none"
    _line(
        echo,
        Step.KEYS,
        f"{result.account.username} via {found.source} keys (scopes: {scopes})",
    )


def _enable_step(session: WizardSession, options: RunOptions, echo: Echo) -> None:
    session.check_upload_access()
    statuses = session.slot_statuses()
    name = options.model or session.state.model_name
    if name is None:
        ready = [s for s in statuses if s.ready]
        if not ready:
            raise WizardError(
                "No Classic model slot is ready for an upload.",
                "Pass --model NAME, and --remove-webhook if its webhook is in the way.",
            )
        name = ready[0].slot.name
    status = next((s for s in statuses if s.slot.name == name), None)
    if status is not None and status.needs_webhook_removal:
        if not options.remove_webhook:
            raise ConsentRequired(
                f"Model slot {name!r} has a Numerai Compute webhook, which blocks uploads.",
                "Pass --remove-webhook to remove it (your cloud node stops being triggered).",
            )
        session.remove_webhook(name, confirmed=True)
    if session.disclosure_needed():
        if not options.assume_yes:
            raise ConsentRequired(
                "Numerai can unpickle and read an uploaded pipeline.",
                "Pass --yes to accept that, or keep the model private with another automation.",
            )
        session.accept_disclosure()
    session.choose_slot(name)
    _line(echo, Step.ENABLE, f"slot {name} ready; disclosure accepted")


def _data_step(session: WizardSession, options: RunOptions, echo: Echo) -> None:
    if options.pickle:
        _line(echo, Step.DATA, "skipped: using an existing pickle")
        return
    versions = session.data_versions()
    version = options.data_version or (versions[0] if versions else None)
    if version is None:
        raise WizardError(
            "No data version is available.", "Check --data-dir or the API address."
        )
    if options.trees is not None:
        session.params["n_estimators"] = options.trees
    session.choose_data(version, options.feature_set, options.preset)
    estimate = session.estimate(version, options.feature_set)
    sizes = session.feature_sets(version)
    _line(
        echo,
        Step.DATA,
        f"{version}, feature set {options.feature_set} ({sizes[options.feature_set]} features); "
        f"{estimate_summary(estimate)}",
    )


def _train_step(
    session: WizardSession, options: RunOptions, echo: Echo, cancel
) -> None:
    if options.pickle:
        path = session.use_pickle(options.pickle)
        _line(echo, Step.TRAIN, f"skipped: using {path}")
        return
    result = session.train(cancel=cancel)
    trees = session.training_params().get("n_estimators")
    _line(
        echo,
        Step.TRAIN,
        f"{session.preset} preset, {trees} trees on {result.train_rows:,} rows; "
        f"{training_summary(result)}; pickle {session.pickle_path}",
    )


def _sandbox_step(session: WizardSession, echo: Echo, cancel) -> None:
    report = session.run_sandbox(cancel=cancel)
    _line(echo, Step.SANDBOX, report_summary(report))
    if report.verdict == "fail":
        first = report.reasons[0]
        raise WizardError(
            f"The sandbox rejected the pickle: {first.message}",
            "Fix it before uploading.",
        )


def _upload_step(
    session: WizardSession, options: RunOptions, echo: Echo, cancel
) -> str:
    from core.upload import describe_status

    version, image = session.upload_choices()
    upload_id = session.upload(cancel=cancel)
    info = session.poll_upload(timeout=options.status_timeout)
    _line(
        echo,
        Step.UPLOAD,
        f"{session.pickle_path.name} to {session.slot.name} ({image.name}, data {version.name}), "
        f"upload {upload_id}: {describe_status(info)}",
    )
    return upload_id
