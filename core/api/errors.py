"""Typed failures of the Numerai API client."""

from __future__ import annotations

from core.errors import WizardError


class ApiError(WizardError):
    """Any failure talking to Numerai's API."""


class ApiConnectionError(ApiError):
    """The API address could not be reached."""


class ApiTimeout(ApiError):
    """The API sent no response before the call's deadline."""


class KeysRejected(ApiError):
    """The API rejected the public id and secret key."""


class MissingScope(ApiError):
    """The key is valid but lacks a scope the action needs."""


class GraphQLError(ApiError):
    """The API returned GraphQL errors for a request."""


class ServerError(ApiError):
    """The API returned an HTTP error or a body that is not GraphQL JSON."""
