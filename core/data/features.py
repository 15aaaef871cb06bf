"""Feature sets from Numerai's `features.json`."""

from __future__ import annotations

import json
from pathlib import Path

from core.data import DataError

REDOWNLOAD_HINT = (
    "Download the data again, or point --data-dir at a folder of Numerai files."
)


def read_features_json(features_json: Path) -> dict:
    """Read and check `features.json`, raising `DataError` when it is unusable."""
    path = Path(features_json)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"Feature list not found: {path}.", REDOWNLOAD_HINT) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(
            f"Feature list {path} is not valid JSON ({error}).", REDOWNLOAD_HINT
        ) from None

    sets = content.get("feature_sets") if isinstance(content, dict) else None
    if not isinstance(sets, dict) or not sets:
        raise DataError(
            f"Feature list {path} has no 'feature_sets' object.", REDOWNLOAD_HINT
        )
    for name, features in sets.items():
        if not isinstance(features, list) or not all(
            isinstance(f, str) for f in features
        ):
            raise DataError(
                f"Feature set {name!r} in {path} is not a list of column names.",
                REDOWNLOAD_HINT,
            )
    return content


def read_feature_sets(features_json: Path) -> dict[str, list[str]]:
    """Return every feature set of `features.json`, by name."""
    return read_features_json(features_json)["feature_sets"]


def read_targets(features_json: Path) -> list[str]:
    """Return the target column names listed in `features.json` (may be empty)."""
    targets = read_features_json(features_json).get("targets", [])
    return [t for t in targets if isinstance(t, str)]


def feature_set_sizes(source: Path | dict[str, list[str]]) -> dict[str, int]:
    """Return the number of features per set, from a path or already-read sets."""
    sets = read_feature_sets(source) if isinstance(source, (str, Path)) else source
    return {name: len(features) for name, features in sets.items()}


def features_of_set(
    feature_sets: dict[str, list[str]], name: str, source: Path | str = ""
) -> list[str]:
    """Return the features of set `name`, or raise `DataError` listing the sets there are."""
    features = feature_sets.get(name)
    if features is None:
        available = ", ".join(sorted(feature_sets))
        where = f" in {source}" if source else ""
        raise DataError(
            f"Feature set {name!r} not found{where}.",
            f"Choose one of: {available}.",
        )
    if not features:
        raise DataError(
            f"Feature set {name!r}{' in ' + str(source) if source else ''} is empty.",
            "Choose another feature set.",
        )
    return list(features)
