"""HTTP transport for GraphQL: a deadline per call, retries, typed errors."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import requests

from core.api.errors import (
    ApiConnectionError,
    ApiTimeout,
    GraphQLError,
    KeysRejected,
    MissingScope,
    ServerError,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0
_ERRNO_REASON = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")
_AUTH_PATTERNS = (
    "session is invalid",
    "unauthenticated",
    "not authenticated",
    "invalid token",
    "api keys required",
)
_SCOPE_PATTERNS = ("permission", "scope", "not authorized", "unauthorized")
_SCHEMA_PATTERNS = ("cannot query field", "unknown argument", "unknown type")
_KEYS_HINT = (
    "Check the public id and secret key at numer.ai > Account > Settings > "
    "API keys, and enter them again."
)


def connection_reason(error: Exception) -> str:
    """Return the operating system's reason inside a requests error, if any."""
    text = str(error)
    match = _ERRNO_REASON.search(text)
    if match:
        return match.group(1).strip()
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "the server closed the connection without a response"
    return type(error).__name__


class Transport:
    """Posts GraphQL bodies to one address within a total deadline per call."""

    def __init__(
        self,
        api_url: str,
        authorization: str | None,
        *,
        timeout: float,
        retries: int,
        backoff: float,
        numerapi_version: str = "",
    ) -> None:
        self.api_url = api_url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.numerapi_version = numerapi_version
        self._authorization = authorization
        self.session = requests.Session()

    def post(self, query: str, variables: dict | None, *, auth: bool) -> dict[str, Any]:
        """Send one GraphQL request; return its `data` or raise an ApiError."""
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if auth:
            if not self._authorization:
                raise KeysRejected("No API keys are set for this request.", _KEYS_HINT)
            headers["Authorization"] = self._authorization
        body = {"query": query, "variables": variables or {}}
        response = self._send_with_retries(body, headers)
        return self._data_of(response)

    def _send_with_retries(self, body: dict, headers: dict) -> requests.Response:
        deadline = time.monotonic() + self.timeout
        delay = self.backoff
        attempt = 0
        while True:
            attempt += 1
            failure = self._attempt(body, headers, deadline)
            if isinstance(failure, requests.Response):
                return failure
            remaining = deadline - time.monotonic()
            if (
                attempt > self.retries
                or remaining <= delay
                or isinstance(failure, ApiTimeout)
            ):
                raise failure
            log.warning(
                "API request to %s failed (attempt %d of %d): %s; retrying in %.2f s",
                self.api_url,
                attempt,
                self.retries + 1,
                failure.message,
                delay,
            )
            time.sleep(delay)
            delay *= 2

    def _attempt(self, body: dict, headers: dict, deadline: float):
        """Return a usable response, or the error to raise or retry on."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return self._timeout_error()
        try:
            response = self.session.post(
                self.api_url,
                json=body,
                headers=headers,
                timeout=(min(CONNECT_TIMEOUT, remaining), remaining),
            )
        except requests.Timeout:
            return self._timeout_error()
        except requests.ConnectionError as error:
            return ApiConnectionError(
                f"Could not connect to the Numerai API at {self.api_url}: "
                f"{connection_reason(error)}.",
                "Check your internet connection, proxy settings and --api-url, "
                "then try again.",
            )
        if response.status_code >= 500:
            return self._http_error(response)
        return response

    def _timeout_error(self) -> ApiTimeout:
        return ApiTimeout(
            f"The Numerai API at {self.api_url} did not answer within "
            f"{self.timeout:g} s.",
            "Numerai may be slow or down; try again in a few minutes.",
        )

    def _http_error(self, response: requests.Response) -> ServerError:
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
        return ServerError(
            f"The Numerai API at {self.api_url} returned HTTP {response.status_code} "
            f"{response.reason} ({kind}).",
            "Numerai's service is having problems; try again in a few minutes.",
        )

    def _data_of(self, response: requests.Response) -> dict[str, Any]:
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            if response.status_code >= 400:
                raise self._http_error(response)
            raise ServerError(
                f"The Numerai API at {self.api_url} returned a response that is not "
                f"GraphQL JSON (HTTP {response.status_code}).",
                "Check --api-url: it must be Numerai's GraphQL endpoint.",
            )
        if payload.get("errors"):
            raise self._graphql_error(payload["errors"])
        if response.status_code >= 400:
            raise self._http_error(response)
        data = payload.get("data")
        if not isinstance(data, dict):
            raise ServerError(
                f"The Numerai API at {self.api_url} returned JSON without data.",
                "Try again; if it persists, Numerai's API may have changed.",
            )
        return data

    def _graphql_error(self, errors: Any) -> Exception:
        messages = [
            str(e.get("message", e)) if isinstance(e, dict) else str(e)
            for e in (errors if isinstance(errors, list) else [errors])
        ]
        text = "; ".join(messages) or "unknown error"
        lowered = text.lower()
        log.info("API returned GraphQL errors: %s", text)
        if any(p in lowered for p in _AUTH_PATTERNS):
            return KeysRejected(f"Numerai rejected the API keys: {text}", _KEYS_HINT)
        if any(p in lowered for p in _SCOPE_PATTERNS):
            return MissingScope(
                f"The API key lacks a permission: {text}",
                "Create a key with the needed scope at numer.ai > Account > "
                "Settings > API keys.",
            )
        hint = ""
        if any(p in lowered for p in _SCHEMA_PATTERNS):
            hint = (
                f"Numerai's API may have changed since numerapi "
                f"{self.numerapi_version}; upgrade numerapi and this wizard."
            )
        return GraphQLError(f"The Numerai API returned an error: {text}", hint)

    def close(self) -> None:
        self.session.close()
