"""Dataclasses for the API's results and the parsers that build them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

CLASSIC_TOURNAMENT = 8
_PYTHON_IN_NAME = re.compile(r"Python\s*(\d+\.\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class ApiToken:
    name: str | None
    public_id: str | None
    scopes: list[str]


@dataclass(frozen=True)
class TriggerStatus:
    status: str | None
    description: str | None
    inserted_at: str | None


@dataclass(frozen=True)
class Trigger:
    """One run of an uploaded pickle, newest status last."""

    id: str | None
    status: str | None
    statuses: list[TriggerStatus]


@dataclass(frozen=True)
class UploadInfo:
    """The `computePickleUpload` of a model slot."""

    id: str | None
    filename: str | None
    validation_status: str | None
    trigger_status: str | None
    triggers: list[Trigger]
    inserted_at: str | None
    data_version: str | None = None
    docker_image: str | None = None


@dataclass(frozen=True)
class ModelSlot:
    id: str
    name: str
    tournament: int | None
    webhook: str | None
    upload: UploadInfo | None


@dataclass(frozen=True)
class Account:
    """The account of the key in use; `scopes` are that key's scopes."""

    username: str
    id: str | None
    models: list[ModelSlot]
    tokens: list[ApiToken]
    scopes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DataVersion:
    id: str
    name: str
    default: bool


@dataclass(frozen=True)
class DockerImage:
    """A runner image; `python` is the minor version parsed from its name."""

    id: str
    name: str
    image: str | None
    tag: str | None
    default: bool
    python: str | None


def parse_upload(raw: dict[str, Any] | None) -> UploadInfo | None:
    if not raw:
        return None
    triggers = [
        Trigger(
            id=t.get("id"),
            status=t.get("status"),
            statuses=[
                TriggerStatus(
                    s.get("status"), s.get("description"), s.get("insertedAt")
                )
                for s in (t.get("statuses") or [])
            ],
        )
        for t in (raw.get("triggers") or [])
    ]
    return UploadInfo(
        id=raw.get("id"),
        filename=raw.get("filename"),
        validation_status=raw.get("validationStatus"),
        trigger_status=raw.get("triggerStatus"),
        triggers=triggers,
        inserted_at=raw.get("insertedAt"),
        data_version=raw.get("dataVersion"),
        docker_image=raw.get("dockerImageName"),
    )


def parse_model(raw: dict[str, Any]) -> ModelSlot:
    return ModelSlot(
        id=raw["id"],
        name=raw.get("name") or raw["id"],
        tournament=raw.get("tournament"),
        webhook=raw.get("submissionWebhook") or None,
        upload=parse_upload(raw.get("computePickleUpload")),
    )


def parse_account(raw: dict[str, Any], scopes: list[str]) -> Account:
    tokens = [
        ApiToken(t.get("name"), t.get("publicId"), list(t.get("scopes") or []))
        for t in (raw.get("apiTokens") or [])
    ]
    return Account(
        username=raw.get("username") or "",
        id=raw.get("id"),
        models=[parse_model(m) for m in (raw.get("models") or []) if m],
        tokens=tokens,
        scopes=scopes,
    )


def parse_data_version(raw: dict[str, Any]) -> DataVersion:
    return DataVersion(id=raw["id"], name=raw["name"], default=bool(raw.get("default")))


def parse_docker_image(raw: dict[str, Any]) -> DockerImage:
    name = raw.get("name") or ""
    match = _PYTHON_IN_NAME.search(name)
    return DockerImage(
        id=raw["id"],
        name=name,
        image=raw.get("image"),
        tag=raw.get("tag"),
        default=bool(raw.get("default")),
        python=match.group(1) if match else None,
    )
