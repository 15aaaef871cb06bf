"""Training parameter overrides typed in the data step, checked before use."""

from __future__ import annotations

from core.errors import WizardError


class ParamError(WizardError):
    """A typed training parameter that is not a valid value."""


MAX_ERA_STEP = 52


def shown_params(session) -> tuple[str, str, str]:
    """Return the trees, learning rate and era step fields for `session`."""
    from core.presets import tree_count

    params = session.training_params()
    return (
        str(tree_count(params)),
        f"{params.get('learning_rate', 0.1):g}",
        str(session.era_step),
    )


def parse_overrides(
    preset: str, trees: str, learning_rate: str, era_step: str
) -> tuple[dict, int]:
    """Return the parameter overrides and era step the fields set.

    Only values that differ from `preset` become overrides, so a preset's
    own values never stick when the participant changes preset later.
    """
    from core.presets import preset_params, tree_count

    base = preset_params(preset)
    tree_value = _parse_int("Trees", trees, 1, 1_000_000)
    rate_value = _parse_float("Learning rate", learning_rate)
    step_value = _parse_int("Era step", era_step, 1, MAX_ERA_STEP)
    overrides: dict = {}
    if tree_value != tree_count(base):
        overrides["n_estimators"] = tree_value
    if rate_value != base.get("learning_rate"):
        overrides["learning_rate"] = rate_value
    return overrides, step_value


def _parse_int(name: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ParamError(
            f"{name} {text!r} is not a whole number.", f"Type {low} to {high:,}."
        )
    if not low <= value <= high:
        raise ParamError(
            f"{name} {value:,} is out of range.", f"Type {low} to {high:,}."
        )
    return value


def _parse_float(name: str, text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ParamError(
            f"{name} {text!r} is not a number.", "Type a value above 0 and up to 1."
        )
    if not 0 < value <= 1:
        raise ParamError(
            f"{name} {value:g} is out of range.", "Type a value above 0 and up to 1."
        )
    return value
