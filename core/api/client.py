"""`NumeraiClient`: numerapi underneath, every request through our transport."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

from core.api import queries
from core.api.errors import GraphQLError, ServerError
from core.api.models import (
    CLASSIC_TOURNAMENT,
    Account,
    DataVersion,
    DockerImage,
    ModelSlot,
    UploadInfo,
    parse_account,
    parse_data_version,
    parse_docker_image,
    parse_upload,
)
from core.api.transport import Transport
from core.logs import register_secret

if TYPE_CHECKING:
    from core.keys import Keys

log = logging.getLogger(__name__)

# numerapi 3.1.1 keeps the same address in numerapi.base_api.API_TOURNAMENT_URL.
DEFAULT_API_URL = "https://api-tournament.numer.ai"


class NumeraiClient:
    """Numerai's GraphQL API with a deadline per call, retries and typed errors.

    `timeout` bounds each call in seconds, retries included. `retries` is the
    number of further attempts after a connection error or an HTTP 5xx, the
    first after `backoff` seconds and each next one twice as late.
    """

    def __init__(
        self,
        keys: Keys | None,
        api_url: str = DEFAULT_API_URL,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 1.0,
    ) -> None:
        self.keys = keys
        self.api_url = api_url
        authorization = None
        if keys is not None:
            register_secret(keys.secret_key)
            authorization = f"Token {keys.public_id}${keys.secret_key}"
        self.transport = Transport(
            api_url,
            authorization,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            numerapi_version=_numerapi_version(),
        )
        self._numerapi = None

    @property
    def public_id(self) -> str | None:
        return self.keys.public_id if self.keys else None

    @property
    def numerapi(self):
        """Return a `numerapi.NumerAPI` whose requests go through this client."""
        if self._numerapi is None:
            self._numerapi = _make_numerapi(self)
        return self._numerapi

    def query(
        self, document: str, variables: dict | None = None, *, auth: bool = True
    ) -> dict[str, Any]:
        """Send one GraphQL document; return its `data`."""
        return self.transport.post(document, variables, auth=auth)

    def account(self) -> Account:
        raw = self._field(self.query(queries.ACCOUNT), "account")
        scopes = self._scopes_of_key(raw)
        return parse_account(raw, scopes)

    def _scopes_of_key(self, raw_account: dict) -> list[str]:
        for token in raw_account.get("apiTokens") or []:
            if token and token.get("publicId") == self.public_id:
                return list(token.get("scopes") or [])
        info = self.query(queries.API_TOKEN_INFO).get("apiTokenInfo") or {}
        return list(info.get("scopes") or [])

    def classic_models(self) -> list[ModelSlot]:
        """Return the account's Classic slots, the only ones that take pickles."""
        return [m for m in self.account().models if m.tournament == CLASSIC_TOURNAMENT]

    def data_versions(self) -> list[DataVersion]:
        rows = self._field(
            self.query(queries.DATA_VERSIONS), "computePickleDataVersions"
        )
        return [parse_data_version(row) for row in rows or [] if row]

    def docker_images(self) -> list[DockerImage]:
        rows = self._field(
            self.query(queries.DOCKER_IMAGES), "computePickleDockerImages"
        )
        return [parse_docker_image(row) for row in rows or [] if row]

    def list_datasets(self) -> list[str]:
        return list(self.numerapi.list_datasets())

    def dataset_url(self, filename: str) -> str:
        data = self.query(queries.DATASET_URL, {"filename": filename}, auth=False)
        return self._field(data, "dataset")

    def remove_webhook(self, model_id: str) -> None:
        """Clear a slot's submission webhook; use `core.enable.remove_webhook`."""
        data = self.query(queries.REMOVE_WEBHOOK, {"modelId": model_id})
        if str(self._field(data, "setSubmissionWebhook")).lower() != "true":
            raise GraphQLError(
                f"Numerai did not confirm removing the webhook of model {model_id}.",
                "Remove it at numer.ai > Models > Compute, then check again.",
            )

    def upload_status(self, model_id: str) -> UploadInfo | None:
        data = self.query(queries.UPLOAD_STATUS, {"modelId": model_id})
        model = data.get("model")
        if model is None:
            raise GraphQLError(
                f"Model {model_id} was not found.",
                "Choose a model slot of this account.",
            )
        return parse_upload(model.get("computePickleUpload"))

    def upload_auth(self, filename: str, model_id: str) -> tuple[str, str]:
        """Request a presigned PUT URL; return (filename, url)."""
        variables = {"filename": filename, "modelId": model_id}
        auth = self._field(
            self.query(queries.UPLOAD_AUTH, variables), "computePickleUploadAuth"
        )
        if not isinstance(auth, dict) or not auth.get("url"):
            raise ServerError(
                f"The Numerai API returned no upload URL for {filename}.",
                "Try again in a few minutes.",
            )
        return auth.get("filename") or filename, auth["url"]

    def create_upload(
        self, filename: str, model_id: str, data_version_id: str, docker_image_id: str
    ) -> str:
        """Register an uploaded pickle with its slot; return the upload id."""
        variables = {
            "filename": filename,
            "tournament": CLASSIC_TOURNAMENT,
            "modelId": model_id,
            "dataVersionId": data_version_id,
            "dockerImageId": docker_image_id,
        }
        created = self._field(
            self.query(queries.CREATE_UPLOAD, variables), "createComputePickleUpload"
        )
        if not isinstance(created, dict) or not created.get("id"):
            raise ServerError(
                f"The Numerai API did not return an upload id for {filename}.",
                "Check the model's page on numer.ai before uploading again.",
            )
        return str(created["id"])

    def _field(self, data: dict[str, Any], name: str) -> Any:
        if name not in data:
            raise ServerError(
                f"The Numerai API response has no {name!r} field.",
                "Numerai's API may have changed; upgrade numerapi and this wizard.",
            )
        return data[name]

    def close(self) -> None:
        self.transport.close()


def _numerapi_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("numerapi")
    except metadata.PackageNotFoundError:
        return "unknown"


def _make_numerapi(client: NumeraiClient):
    """Build a NumerAPI whose `raw_query` uses the client's transport and keys.

    numerapi's `Api.__init__` calls `logging.basicConfig`, which adds a stderr
    handler to a root logger that has none. A placeholder handler sits on the
    root logger during the call, so nothing is printed over a TUI. Its key
    lookup (environment and `.env` file) is skipped: the client's keys are used.
    """
    import numerapi

    class RoutedNumerAPI(numerapi.NumerAPI):
        def _login(self, public_id=None, secret_key=None) -> None:
            self.token = (public_id, secret_key) if public_id and secret_key else None

        def raw_query(self, query, variables=None, authorization=False, **_retry_args):
            return {"data": client.transport.post(query, variables, auth=authorization)}

    keys = client.keys
    with _root_handler_held():
        api = RoutedNumerAPI(
            keys.public_id if keys else None,
            keys.secret_key if keys else None,
            verbosity="WARNING",
            show_progress_bars=False,
        )
    return api


@contextlib.contextmanager
def _root_handler_held():
    root = logging.getLogger()
    placeholder = None
    if not root.handlers:
        placeholder = logging.NullHandler()
        root.addHandler(placeholder)
    try:
        yield
    finally:
        if placeholder is not None:
            root.removeHandler(placeholder)
