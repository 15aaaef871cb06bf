"""Resolvers of the stand-in API: the root fields the wizard and numerapi use."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from core.demo import lifecycle
from core.demo.store import (
    ModelRecord,
    PickleRecord,
    Store,
    TokenRecord,
    UploadSlot,
    now_iso,
)

# The message Numerai's API returns for a wrong or unknown key (reported by
# numerapi users who swapped the public id and the secret key).
INVALID_SESSION = "Your session is invalid or has expired."
# NOTE: the live API's wording for a key that lacks a scope is not public;
# this message is an assumption.
MISSING_SCOPE = "Insufficient permission: this API key lacks the {scope} scope."
UPLOAD_SCOPE = "upload_submission"
# NOTE: the live API's wording for an account without model uploads is not public.
UPLOADS_DISABLED = "Model uploads are not available for this account."


@dataclass
class RequestContext:
    """Per-request data besides the GraphQL document: store, address and key."""

    store: Store
    base_url: str
    token: TokenRecord | None
    auth_error: str | None


class ResolverError(Exception):
    """A failure reported to the client as a GraphQL error."""


def _require_token(ctx: RequestContext, scope: str | None = None) -> TokenRecord:
    if ctx.token is None:
        raise ResolverError(ctx.auth_error or INVALID_SESSION)
    if scope and scope not in ctx.token.scopes:
        raise ResolverError(MISSING_SCOPE.format(scope=scope))
    return ctx.token


def _require_uploads(ctx: RequestContext) -> None:
    if not ctx.store.model_uploads_enabled:
        raise ResolverError(UPLOADS_DISABLED)


def _own_model(ctx: RequestContext, model_id: str | None) -> ModelRecord:
    model = ctx.store.model(model_id)
    if model is None:
        raise ResolverError(f"Model not found: {model_id}")
    return model


def _model_view(ctx: RequestContext, model: ModelRecord) -> dict[str, Any]:
    upload = model.upload
    return {
        "id": model.id,
        "name": model.name,
        "username": model.name,
        "tournament": model.tournament,
        "submissionWebhook": model.submission_webhook,
        "computeEnabled": model.submission_webhook is not None,
        "computePickleUpload": _pickle_view(ctx, upload) if upload else None,
        "submissions": [],
        "archived": False,
    }


def _pickle_view(ctx: RequestContext, record: PickleRecord) -> dict[str, Any]:
    status = lifecycle.validation_status(record, ctx.store.validation_seconds)
    triggers = [
        {
            "id": trigger.id,
            "status": trigger.status,
            "insertedAt": trigger.inserted_at,
            "computePickleUploadId": record.id,
            "statuses": list(trigger.statuses),
        }
        for trigger in record.triggers
    ]
    image_names = {row["id"]: row["name"] for row in ctx.store.docker_images}
    version_names = {row["id"]: row["name"] for row in ctx.store.data_versions}
    return {
        "id": record.id,
        "modelId": record.model_id,
        "assignedModelSlots": [record.model_id],
        "filename": record.filename,
        "insertedAt": record.inserted_at,
        "validationStatus": status,
        "triggerStatus": record.triggers[-1].status if record.triggers else None,
        "triggers": triggers,
        "dataVersionId": record.data_version_id,
        "dataVersion": version_names.get(record.data_version_id),
        "dockerImageId": record.docker_image_id,
        "dockerImageName": image_names.get(record.docker_image_id),
    }


def account(info, **_args) -> dict[str, Any]:
    ctx: RequestContext = info.context
    _require_token(ctx)
    store = ctx.store
    with store.lock:
        return {
            "id": store.account_id,
            "username": store.username,
            "email": f"{store.username}@example.invalid",
            "status": "VERIFIED",
            "mfaEnabled": False,
            "insertedAt": "2024-03-01T09:00:00Z",
            "availableNmr": "0.0",
            "walletAddress": None,
            "apiTokens": [
                {"name": t.name, "publicId": t.public_id, "scopes": list(t.scopes)}
                for t in store.tokens
            ],
            "models": [_model_view(ctx, m) for m in store.models],
        }


def api_token_info(info, **_args) -> dict[str, Any]:
    ctx: RequestContext = info.context
    token = _require_token(ctx)
    return {
        "accountUsername": ctx.store.username,
        "name": token.name,
        "publicId": token.public_id,
        "scopes": list(token.scopes),
    }


def model(info, modelId=None, **_args) -> dict[str, Any] | None:
    ctx: RequestContext = info.context
    record = ctx.store.model(modelId)
    return _model_view(ctx, record) if record else None


def data_versions(info, deprecated=False, **_args) -> list[dict[str, Any]]:
    _require_token(info.context)
    _require_uploads(info.context)
    rows = info.context.store.data_versions
    return [row for row in rows if deprecated or not row.get("deprecated")]


def docker_images(info, deprecated=False, **_args) -> list[dict[str, Any]]:
    _require_token(info.context)
    _require_uploads(info.context)
    rows = info.context.store.docker_images
    return [row for row in rows if deprecated or not row.get("deprecated")]


def upload_auth(info, filename="model.pkl", modelId=None, **_args) -> dict:
    ctx: RequestContext = info.context
    _require_token(ctx, UPLOAD_SCOPE)
    _require_uploads(ctx)
    store = ctx.store
    with store.lock:
        target = _own_model(ctx, modelId)
        _check_uploadable(target)
        token = secrets.token_urlsafe(24)
        lifetime = store.upload_url_seconds
        if store.failures.take("expire_upload_urls"):
            lifetime = -1.0
        expires_at = time.time() + lifetime
        store.slots[token] = UploadSlot(token, filename, target.id, expires_at)
    url = f"{ctx.base_url}uploads/{token}/{filename}?expires={int(expires_at)}"
    return {"filename": filename, "url": url, "accelerated": False}


def _check_uploadable(target: ModelRecord) -> None:
    if target.tournament != 8:
        raise ResolverError(
            f"Model {target.name} is not a Numerai Classic model; "
            "pickle uploads are only available for Classic"
        )
    if target.submission_webhook:
        raise ResolverError(
            f"Model {target.name} has a submission webhook; "
            "remove it before uploading a model"
        )


def create_upload(info, filename, tournament, modelId=None, **args) -> dict:
    ctx: RequestContext = info.context
    _require_token(ctx, UPLOAD_SCOPE)
    store = ctx.store
    with store.lock:
        target = _own_model(ctx, modelId)
        _check_uploadable(target)
        stored = _latest_put(store, target.id, filename)
        version_id = _known_id(
            store.data_versions, args.get("dataVersionId"), "data version"
        )
        image_id = _known_id(
            store.docker_images, args.get("dockerImageId"), "docker image"
        )
        valid, description = lifecycle.check_pickle(stored.path)
        record = PickleRecord(
            id=str(uuid.uuid4()),
            model_id=target.id,
            filename=filename,
            data_version_id=version_id,
            docker_image_id=image_id,
            inserted_at=now_iso(),
            created_monotonic=time.monotonic(),
            valid=valid,
            failure_description=description,
        )
        if valid and store.run_pickles:
            _run_in_runner(store, record, stored.path, image_id)
        stored.created = True
        stored.data_version_id = version_id
        stored.docker_image_id = image_id
        target.upload = record
        target.history.append(record)
        return _pickle_view(ctx, record)


def _run_in_runner(store: Store, record, path, image_id) -> None:
    image = next(row for row in store.docker_images if row["id"] == image_id)
    python = image["name"].removeprefix("Python ").strip()
    # Numerai's live data has every feature of the version; live data built
    # from the model's own columns stands in for it, whatever the data here.
    lifecycle.start_runner_validation(record, path, python, None)


def _latest_put(store: Store, model_id: str, filename: str):
    for stored in reversed(store.uploads_for(model_id)):
        if stored.filename == filename and not stored.created:
            return stored
    raise ResolverError(
        f"No uploaded file {filename} found for model {model_id}; "
        "request an upload URL and upload the file first"
    )


def _known_id(rows: list[dict], value: str | None, kind: str) -> str:
    if value is None:
        return next(row["id"] for row in rows if row.get("default"))
    for row in rows:
        if value in (row["id"], row["name"]):
            return row["id"]
    raise ResolverError(f"Invalid {kind}: {value}")


def compute_pickles(info, id=None, modelId=None, **_args) -> list[dict]:
    ctx: RequestContext = info.context
    _require_token(ctx)
    with ctx.store.lock:
        records = [r for m in ctx.store.models for r in m.history]
    if modelId is not None:
        records = [r for r in records if r.model_id == modelId]
    if id is not None:
        records = [r for r in records if r.id == id]
    return [_pickle_view(ctx, r) for r in records]


def trigger_logs(info, triggerId, **_args) -> list[dict]:
    ctx: RequestContext = info.context
    _require_token(ctx)
    return list(ctx.store.trigger_logs.get(triggerId, []))


def list_datasets(info, **_args) -> list[str]:
    return dataset_names(info.context.store)


def dataset(info, filename, **_args) -> str:
    ctx: RequestContext = info.context
    if filename not in dataset_names(ctx.store):
        raise ResolverError(f"Dataset not found: {filename}")
    signature = secrets.token_urlsafe(12)
    return f"{ctx.base_url}datasets/{filename}?signature={signature}"


def dataset_names(store: Store) -> list[str]:
    root = store.data_root
    if root is None or not root.is_dir():
        return []
    names = []
    for path in sorted(root.glob("*/**/*")):
        if path.is_file() and not path.name.startswith("."):
            names.append(path.relative_to(root).as_posix())
    return names


def set_webhook(info, modelId=None, newSubmissionWebhook=None, **_args) -> str:
    ctx: RequestContext = info.context
    _require_token(ctx)
    with ctx.store.lock:
        target = _own_model(ctx, modelId)
        target.submission_webhook = newSubmissionWebhook or None
    return "true"


ROOT = {
    "account": account,
    "apiTokenInfo": api_token_info,
    "model": model,
    "computePickleDataVersions": data_versions,
    "computePickleDockerImages": docker_images,
    "computePickleUploadAuth": upload_auth,
    "createComputePickleUpload": create_upload,
    "computePickles": compute_pickles,
    "triggerLogs": trigger_logs,
    "listDatasets": list_datasets,
    "dataset": dataset,
    "setSubmissionWebhook": set_webhook,
}
