"""One wizard run: the choices and results of the six steps, and their actions.

The TUI calls these methods from thread workers and the headless `run`
command calls them in order, so both go through the same code. Each method
that talks to the API or does long work may raise a `WizardError`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import paths
from core.environment import Environment
from core.errors import WizardError
from core.state import WizardState, load_state, save_state
from core.steps import Step, StepState

log = logging.getLogger(__name__)

DATA_FILES = (
    "features.json",
    "train.parquet",
    "validation.parquet",
    "live.parquet",
    "live_benchmark_models.parquet",
)
DEFAULT_FEATURE_SET = "small"
DEFAULT_PRESET = "quick"


class StepError(WizardError):
    """A step that cannot run yet because an earlier one is not done."""


def check_pickle_path(path: str | Path) -> Path:
    """Return the absolute path of an existing, non-empty file, or raise `StepError`."""
    pickle_path = Path(path).expanduser().resolve()
    if pickle_path.is_dir():
        raise StepError(
            f"{pickle_path} is a folder, not a pickle file.",
            "Give the path of a .pkl file.",
        )
    if not pickle_path.is_file():
        raise StepError(f"No file at {pickle_path}.", "Give the path of a .pkl file.")
    if pickle_path.stat().st_size == 0:
        raise StepError(f"{pickle_path} is empty.", "Give the path of a .pkl file.")
    return pickle_path


@dataclass
class ConnectResult:
    account: Any
    notes: list[str]


@dataclass
class WizardSession:
    """Everything one run of the wizard has chosen and produced so far."""

    env: Environment
    state: WizardState = field(default_factory=WizardState)
    keys: Any = None
    key_source: str = ""
    client: Any = None
    account: Any = None
    slot: Any = None
    data_version: str | None = None
    feature_set: str = DEFAULT_FEATURE_SET
    preset: str = DEFAULT_PRESET
    params: dict[str, Any] = field(default_factory=dict)
    era_step: int = 1
    train_result: Any = None
    exported: Any = None
    report: Any = None
    upload_id: str | None = None
    upload_info: Any = None
    # Keyword arguments for NumeraiClient (timeout, retries, backoff).
    client_options: dict[str, Any] = field(default_factory=dict)
    # Set once remembered progress was restored, so it happens once per run.
    resumed: bool = False
    step_states: dict[Step, StepState] = field(
        default_factory=lambda: {step: StepState.TODO for step in Step}
    )

    @classmethod
    def open(cls, env: Environment) -> WizardSession:
        """Start a session with what the previous run of this profile remembered."""
        session = cls(env=env, state=load_state(env.profile))
        session._restore_choices()
        return session

    # Keys -----------------------------------------------------------------

    def stored_keys(self):
        """Return keys found on this machine (`FoundKeys`), or None.

        The demo uses the stand-in's own demo keys and never reads the
        participant's real keys, so those are not sent anywhere unexpected.
        """
        from core.keys import FoundKeys, Keys, find_keys

        if self.env.demo:
            from core.demo import DEMO_PUBLIC_ID, DEMO_SECRET_KEY

            return FoundKeys(Keys(DEMO_PUBLIC_ID, DEMO_SECRET_KEY), "demo", None)
        return find_keys()

    def connect(self, public_id: str, secret_key: str, *, save: bool) -> ConnectResult:
        """Check the keys' shape, validate them against the API, and keep them."""
        from core.api import NumeraiClient
        from core.keys import normalize_keys, save_keys, validate_keys

        # Keys that fail must not leave the previous, valid ones in use.
        self.keys = self.client = self.account = None
        try:
            keys, notes = normalize_keys(public_id, secret_key)
            client = NumeraiClient(keys, self.env.api_url, **self.client_options)
            account = validate_keys(client)
        except WizardError:
            self.step_states[Step.KEYS] = StepState.FAILED
            raise
        self.keys, self.client, self.account = keys, client, account
        if save and not self.env.demo:
            path = save_keys(keys)
            notes.append(f"Keys saved to {path} (readable only by you).")
        self.step_states[Step.KEYS] = StepState.DONE
        return ConnectResult(account, notes)

    def _require(self, step: Step, ready: bool) -> None:
        if not ready:
            raise StepError(
                f"Step {step.value} ({step.title}) is not done yet.",
                "Go back and finish it first.",
            )

    # Model Uploads ---------------------------------------------------------

    def refresh_account(self):
        self._require(Step.KEYS, self.client is not None)
        self.account = self.client.account()
        return self.account

    def check_upload_access(self) -> None:
        """Raise `UploadsUnavailable`, with what to do on numer.ai, if uploads are refused."""
        from core.enable import check_upload_access

        self._require(Step.KEYS, self.client is not None)
        check_upload_access(self.client)

    def slot_statuses(self) -> list:
        from core.enable import check_slots

        self._require(Step.KEYS, self.account is not None)
        return check_slots(self.account)

    def disclosure_needed(self) -> bool:
        from core.enable import disclosure_accepted

        return not disclosure_accepted(self.env.profile, self.account.username)

    def accept_disclosure(self) -> None:
        from core.enable import accept_disclosure

        accept_disclosure(self.env.profile, self.account.username)
        self.state = load_state(self.env.profile)

    def remove_webhook(self, slot_name: str, *, confirmed: bool) -> None:
        from core.enable import remove_webhook

        status = self._slot_status(slot_name)
        remove_webhook(self.client, status.slot, confirmed=confirmed)
        self.refresh_account()

    def choose_slot(self, slot_name: str) -> Any:
        """Pick the slot the upload goes to; it must have nothing in the way."""
        status = self._slot_status(slot_name)
        if not status.ready:
            raise StepError(
                f"Model slot {slot_name!r} cannot take an upload: "
                + " ".join(status.blockers),
                "Resolve that first or choose another slot.",
            )
        if self.disclosure_needed():
            raise StepError(
                "Numerai can read an uploaded pipeline, and that has not been acknowledged.",
                "Read the notice and accept it to continue.",
            )
        self.slot = status.slot
        self.state.model_name, self.state.model_id = status.slot.name, status.slot.id
        self._save()
        self.step_states[Step.ENABLE] = StepState.DONE
        return status

    def _slot_status(self, slot_name: str):
        for status in self.slot_statuses():
            if status.slot.name == slot_name:
                return status
        names = ", ".join(s.slot.name for s in self.slot_statuses()) or "none"
        raise StepError(
            f"No Classic model slot named {slot_name!r} in this account.",
            f"Slots: {names}. Create one on numer.ai under Models.",
        )

    # Data ------------------------------------------------------------------

    def data_versions(self) -> list[str]:
        """Return the data versions with training files, newest first."""
        from core.data import DEFAULT_VERSION
        from core.data.catalog import local_versions, versions_from_dataset_names

        local = self.env.local_data_dir
        if local is not None:
            found = local_versions(local)
            if not found and (local / "train.parquet").is_file():
                # Files directly in the folder: their version is not recorded.
                found = [DEFAULT_VERSION]
            return found
        self._require(Step.KEYS, self.client is not None)
        listing = self.client.list_datasets()
        return [version.name for version in versions_from_dataset_names(listing)]

    def version_dir(self, version: str) -> Path:
        """Return the folder that contains (or will contain) a data version's files."""
        from core.data.catalog import version_dir

        if self.env.local_data_dir is not None:
            return version_dir(self.env.local_data_dir, version)
        return self.env.data_dir / version

    def feature_sets(self, version: str) -> dict[str, int]:
        """Return feature set name -> size, fetching features.json if needed."""
        from core.data.features import feature_set_sizes

        self._fetch(version, ["features.json"])
        return feature_set_sizes(self.version_dir(version) / "features.json")

    def estimate(self, version: str, feature_set: str, params: dict | None = None):
        """Estimate memory and time for training here and predicting in the runner.

        The row count comes from train.parquet's footer: the local file when
        present, else two HTTP range requests to its download URL, else
        Numerai's published count for the version.
        """
        from core.data.features import features_of_set, read_feature_sets
        from core.estimates import PUBLISHED_TRAIN_ROWS, estimate_resources

        folder = self.version_dir(version)
        features_json = folder / "features.json"
        features = features_of_set(
            read_feature_sets(features_json), feature_set, features_json
        )
        rows = self._train_rows(version, folder)
        if rows is None:
            rows = PUBLISHED_TRAIN_ROWS.get(version, PUBLISHED_TRAIN_ROWS["v5.2"])
        return estimate_resources(
            rows,
            len(features),
            params or self.training_params(),
            era_step=self.era_step,
        )

    def _train_rows(self, version: str, folder: Path) -> int | None:
        from core.data.loading import parquet_row_count
        from core.data.remote import remote_parquet_rows

        train = folder / "train.parquet"
        if train.is_file():
            return parquet_row_count(train)
        if self.env.local_data_dir is not None or self.client is None:
            return None
        return remote_parquet_rows(self.client.dataset_url(f"{version}/train.parquet"))

    def choose_data(self, version: str, feature_set: str, preset: str) -> None:
        from core.presets import PRESETS

        if preset not in PRESETS:
            raise StepError(
                f"Unknown training preset {preset!r}.",
                f"Choose one of: {', '.join(PRESETS)}.",
            )
        sizes = self.feature_sets(version)
        if feature_set not in sizes:
            raise StepError(
                f"Feature set {feature_set!r} is not in {version}/features.json.",
                f"Choose one of: {', '.join(sizes)}.",
            )
        self.data_version, self.feature_set, self.preset = version, feature_set, preset
        self.state.data_version, self.state.feature_set = version, feature_set
        self.state.preset = preset
        self._save()
        self.step_states[Step.DATA] = StepState.DONE

    def prepare_data(
        self, progress=None, cancel: threading.Event | None = None
    ) -> Path:
        """Download the chosen version's files unless they are already complete."""
        self._require(Step.DATA, self.data_version is not None)
        self._fetch(self.data_version, list(DATA_FILES), progress, cancel)
        return self.version_dir(self.data_version)

    def _fetch(
        self, version: str, names: list[str], progress=None, cancel=None
    ) -> None:
        if self.env.local_data_dir is not None:
            return
        from core.data.download import fetch_version_files

        self._require(Step.KEYS, self.client is not None)
        fetch_version_files(
            self.client,
            version,
            names,
            self.env.data_dir,
            progress=progress,
            cancel=cancel,
        )

    # Training --------------------------------------------------------------

    def training_params(self) -> dict[str, Any]:
        from core.presets import preset_params

        return preset_params(self.preset, self.params)

    def train(self, progress=None, cancel: threading.Event | None = None):
        """Download what is missing, train, validate and export the pickle."""
        from core.export import export_model
        from core.training import TrainConfig, train_model

        self._require(Step.DATA, self.data_version is not None)
        self.step_states[Step.TRAIN] = StepState.TODO
        data_dir = self.prepare_data(progress=progress, cancel=cancel)
        config = TrainConfig(
            data_dir=data_dir,
            feature_set=self.feature_set,
            params=self.training_params(),
            era_step=self.era_step,
            data_version=self.data_version,
        )
        try:
            result = train_model(config, progress=progress, cancel=cancel)
            exported = export_model(result, self._pickle_path())
        except WizardError:
            self.step_states[Step.TRAIN] = StepState.FAILED
            raise
        self.train_result, self.exported = result, exported
        self._remember_pickle(exported.pickle_path, exported.sha256)
        self.state.params = dict(self.params)
        self.state.era_step = self.era_step
        self._save()
        self.step_states[Step.TRAIN] = StepState.DONE
        return result

    def use_pickle(self, path: str | Path) -> Path:
        """Take a pickle the participant made elsewhere instead of training one."""
        pickle_path = check_pickle_path(path)
        self.train_result = None
        self.exported = None
        self._remember_pickle(pickle_path, paths.sha256_file(pickle_path))
        self._save()
        self.step_states[Step.TRAIN] = StepState.DONE
        return pickle_path

    def _pickle_path(self) -> Path:
        slot = self.slot.name if self.slot is not None else "model"
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return paths.state_dir() / "models" / f"{slot}-{stamp}.pkl"

    def _remember_pickle(self, path: Path, sha256: str) -> None:
        self.state.pickle_path, self.state.pickle_sha256 = str(path), sha256
        self.state.sandbox_verdict = None
        self.report = None
        self.step_states[Step.SANDBOX] = StepState.TODO

    @property
    def pickle_path(self) -> Path | None:
        return Path(self.state.pickle_path) if self.state.pickle_path else None

    # Sandbox ---------------------------------------------------------------

    def run_sandbox(self, progress=None, cancel: threading.Event | None = None):
        """Run the pickle the way Numerai's runner does and keep the report."""
        from core.sandbox import run_sandbox

        self._require(Step.TRAIN, self.pickle_path is not None)
        live, benchmarks = self._live_inputs()
        report = run_sandbox(
            self.pickle_path,
            live_path=live,
            benchmarks_path=benchmarks,
            progress=progress,
            cancel=cancel,
        )
        self.report = report
        self.state.sandbox_verdict = report.verdict
        self._save()
        failed = report.verdict == "fail"
        self.step_states[Step.SANDBOX] = StepState.FAILED if failed else StepState.DONE
        return report

    def _live_inputs(self) -> tuple[Path | None, Path | None]:
        # A pickle brought from elsewhere may expect another data version's
        # features, so the sandbox builds live data from the model's own columns.
        if self.data_version is None or self.exported is None:
            return None, None
        folder = self.version_dir(self.data_version)
        live = folder / "live.parquet"
        benchmarks = folder / "live_benchmark_models.parquet"
        if not live.is_file():
            return None, None
        return live, benchmarks if benchmarks.is_file() else None

    # Upload ----------------------------------------------------------------

    def pickle_python(self) -> str:
        """Return the Python minor version the pickle needs, e.g. "3.11"."""
        from core.export import read_manifest

        report_python = getattr(self.report, "python", None)
        manifest = read_manifest(self.pickle_path) if self.pickle_path else None
        if manifest and manifest.get("python"):
            return manifest["python"]
        if report_python:
            return report_python
        import sys

        return f"{sys.version_info.major}.{sys.version_info.minor}"

    def upload_choices(self):
        """Return the data version and docker image the upload will use."""
        from core.upload import choose_data_version, choose_docker_image

        self._require(Step.KEYS, self.client is not None)
        version = choose_data_version(
            self.client.data_versions(), self._trained_version()
        )
        image = choose_docker_image(self.client.docker_images(), self.pickle_python())
        return version, image

    def _trained_version(self) -> str | None:
        from core.export import read_manifest

        manifest = read_manifest(self.pickle_path) if self.pickle_path else None
        if manifest and manifest.get("data_version"):
            return manifest["data_version"]
        return self.data_version or self.state.data_version

    def upload(self, progress=None, cancel: threading.Event | None = None) -> str:
        """Upload the pickle to the chosen slot with explicit version and image."""
        from core.upload import upload_pickle

        self._require(Step.ENABLE, self.slot is not None)
        self._require(Step.TRAIN, self.pickle_path is not None)
        self._require(
            Step.SANDBOX, self.report is not None and self.report.verdict != "fail"
        )
        version, image = self.upload_choices()
        try:
            upload_id = upload_pickle(
                self.client,
                self.pickle_path,
                self.slot.id,
                data_version_id=version.id,
                docker_image_id=image.id,
                progress=progress,
                cancel=cancel,
            )
        except WizardError:
            self.step_states[Step.UPLOAD] = StepState.FAILED
            raise
        self.upload_id = upload_id
        self.state.last_upload_id = upload_id
        self.state.data_version, self.state.docker_image = version.name, image.name
        self._save()
        return upload_id

    def poll_upload(
        self,
        progress: Callable[[Any], None] | None = None,
        timeout: float = 120.0,
        cancel: threading.Event | None = None,
    ):
        """Poll Numerai's validation status until it settles or `timeout` passes."""
        from core.upload import poll_upload_status

        info = poll_upload_status(
            self.client,
            self.slot.id,
            upload_id=self.upload_id,
            progress=progress,
            timeout=timeout,
            cancel=cancel,
        )
        self.upload_info = info
        self.step_states[Step.UPLOAD] = StepState.DONE
        return info

    # Persistence -----------------------------------------------------------

    def _save(self) -> None:
        save_state(self.env.profile, self.state)

    def _restore_choices(self) -> None:
        if self.state.feature_set:
            self.feature_set = self.state.feature_set
        if self.state.preset:
            self.preset = self.state.preset
        self.params = dict(self.state.params)
        self.era_step = max(1, int(self.state.era_step or 1))
