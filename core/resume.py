"""Resume point of a restarted wizard: the first step that still needs doing.

Runs after the keys are validated, because every later step depends on the
account. Remembered choices are re-applied only while they still hold: the
slot can still take an upload, the pickle on disk still has the remembered
checksum, and the sandbox verdict was for that same file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core import paths
from core.errors import WizardError
from core.steps import Step, StepState

log = logging.getLogger(__name__)


def restore_progress(session) -> tuple[Step, str]:
    """Re-apply what the last run finished; return the step to show and why.

    Only the first call in a session restores anything: checking the keys
    again later must not jump ahead or redo choices made since.
    """
    if session.resumed:
        return Step.ENABLE, ""
    session.resumed = True
    state = session.state
    done: list[str] = []
    if not _restore_slot(session):
        return Step.ENABLE, ""
    done.append(f"slot {session.slot.name}")

    if state.data_version and state.feature_set and state.preset:
        try:
            session.choose_data(state.data_version, state.feature_set, state.preset)
            done.append(f"{state.data_version}/{state.feature_set}")
        except WizardError as error:
            log.info("remembered data choice no longer applies: %s", error)
            return Step.DATA, _notice(done, Step.DATA)

    if not _pickle_still_there(session):
        step = Step.TRAIN if session.data_version else Step.DATA
        return step, _notice(done, step)
    session.step_states[Step.TRAIN] = StepState.DONE
    done.append(f"pickle {Path(state.pickle_path).name}")
    return Step.SANDBOX, _notice(done, Step.SANDBOX)


def _restore_slot(session) -> bool:
    name = session.state.model_name
    if not name or session.disclosure_needed():
        return False
    status = next((s for s in session.slot_statuses() if s.slot.name == name), None)
    if status is None or not status.ready:
        return False
    session.choose_slot(name)
    return True


def _pickle_still_there(session) -> bool:
    state = session.state
    if not state.pickle_path:
        return False
    path = Path(state.pickle_path)
    if not path.is_file():
        return False
    return paths.sha256_file(path) == state.pickle_sha256


def _notice(done: list[str], step: Step) -> str:
    if not done:
        return ""
    return (
        f"Resuming at step {step.value} ({step.title}): {', '.join(done)} remembered."
    )
