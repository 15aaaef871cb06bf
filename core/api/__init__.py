"""Numerai's API: `NumeraiClient`, its result dataclasses and typed errors.

numerapi (which imports pandas) loads only when a numerapi method is used.
"""

from core.api.client import DEFAULT_API_URL, NumeraiClient
from core.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeout,
    GraphQLError,
    KeysRejected,
    MissingScope,
    ServerError,
)
from core.api.models import (
    CLASSIC_TOURNAMENT,
    Account,
    ApiToken,
    DataVersion,
    DockerImage,
    ModelSlot,
    Trigger,
    TriggerStatus,
    UploadInfo,
)

__all__ = [
    "CLASSIC_TOURNAMENT",
    "DEFAULT_API_URL",
    "Account",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeout",
    "ApiToken",
    "DataVersion",
    "DockerImage",
    "GraphQLError",
    "KeysRejected",
    "MissingScope",
    "ModelSlot",
    "NumeraiClient",
    "ServerError",
    "Trigger",
    "TriggerStatus",
    "UploadInfo",
]
