"""The demo account that the stand-in API serves.

The keys are public on purpose: they only open the stand-in on 127.0.0.1.
Real public ids are 32 characters and secret keys 64, both uppercase
letters and digits.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from core.demo.store import (
    ModelRecord,
    PickleRecord,
    Store,
    TokenRecord,
    TriggerRecord,
)

DEMO_USERNAME = "demo_participant"
DEMO_PUBLIC_ID = "DEMOPUBLICID7Q2X4K9M3R8T5W1Y6Z0A"
DEMO_SECRET_KEY = "DEMOSECRETKEY7Q2X4K9M3R8T5W1Y6Z0AB4C8D2E6F0G3H7J1K5L9N2P6Q0R4S8T"
# A second key of the same account that lacks the `upload_submission` scope.
DEMO_READONLY_PUBLIC_ID = "DEMOREADONLY3H7J1K5L9N2P6Q0R4S8T"
DEMO_READONLY_SECRET_KEY = (
    "DEMOREADONLYSECRET3H7J1K5L9N2P6Q0R4S8T2V6W0X4Y8Z2A6B0C4D8E2F6G0H"
)
FULL_SCOPES = [
    "upload_submission",
    "read_user_info",
    "read_submission_info",
    "stake",
]
READONLY_SCOPES = ["read_user_info", "read_submission_info"]

DEMO_MODEL = "demo_model"
WEBHOOK_MODEL = "demo_compute_model"
UPLOADED_MODEL = "demo_uploaded_model"
SIGNALS_MODEL = "demo_signals_model"
DEMO_WEBHOOK = "https://example.invalid/numerai-compute-trigger"

DATA_VERSIONS = [
    {"id": "5b0a2a36-7d54-4e8e-9d1c-52a0d1a0c510", "name": "v5.0", "default": False},
    {"id": "9d3bb0d8-8e6a-4d84-a3f0-0f1c6f5e5a52", "name": "v5.2", "default": True},
]
DOCKER_IMAGES = [
    ("c72ae05e-2831-4c50-b20f-c2fe01c206ef", "3.10", False),
    ("f3c4a1b2-6d7e-4f80-9a1b-2c3d4e5f6a11", "3.11", True),
    ("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c12", "3.12", False),
    ("1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d13", "3.13", False),
]


def docker_image_rows() -> list[dict]:
    rows = []
    for image_id, python, default in DOCKER_IMAGES:
        rows.append(
            {
                "id": image_id,
                "name": f"Python {python}",
                "image": "ghcr.io/numerai/numerai_predict_py_"
                + python.replace(".", "_"),
                "tag": "stable",
                "default": default,
                "deprecated": False,
                "experimental": False,
            }
        )
    return rows


def _uploaded_pickle() -> PickleRecord:
    statuses = [
        {
            "status": "pending",
            "description": "Queued",
            "insertedAt": "2025-01-10T13:00:05Z",
        },
        {
            "status": "running",
            "description": "Running",
            "insertedAt": "2025-01-10T13:01:10Z",
        },
        {
            "status": "success",
            "description": "Submitted",
            "insertedAt": "2025-01-10T13:03:41Z",
        },
    ]
    trigger = TriggerRecord(
        id="7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a61",
        status="success",
        statuses=statuses,
        inserted_at="2025-01-10T13:00:05Z",
    )
    return PickleRecord(
        id="3f2e1d0c-9b8a-4776-8554-4433221100aa",
        model_id="b8a9d3c1-2f4e-4a6b-9c8d-7e6f5a4b3c22",
        filename="model.pkl",
        data_version_id=DATA_VERSIONS[1]["id"],
        docker_image_id=DOCKER_IMAGES[1][0],
        inserted_at="2025-01-10T12:58:00Z",
        created_monotonic=0.0,
        valid=True,
        triggers=[trigger],
        fixed_validation_status="success",
    )


def _models() -> list[ModelRecord]:
    uploaded = _uploaded_pickle()
    return [
        ModelRecord("a1f0c2d3-4b5e-4f60-8a7b-9c0d1e2f3a11", DEMO_MODEL, 8),
        ModelRecord(
            "c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e33",
            WEBHOOK_MODEL,
            8,
            submission_webhook=DEMO_WEBHOOK,
        ),
        ModelRecord(
            uploaded.model_id, UPLOADED_MODEL, 8, upload=uploaded, history=[uploaded]
        ),
        ModelRecord("d6e7f8a9-1b2c-4d3e-9f4a-5b6c7d8e9f44", SIGNALS_MODEL, 11),
    ]


def build_store(
    data_root: Path | None = None,
    *,
    validation_seconds: float = 1.5,
    spool_dir: Path | None = None,
) -> Store:
    """Create the demo account with its keys, slots, versions and images."""
    tokens = [
        TokenRecord("wizard", DEMO_PUBLIC_ID, DEMO_SECRET_KEY, list(FULL_SCOPES)),
        TokenRecord(
            "read-only",
            DEMO_READONLY_PUBLIC_ID,
            DEMO_READONLY_SECRET_KEY,
            list(READONLY_SCOPES),
        ),
    ]
    spool = spool_dir or Path(tempfile.mkdtemp(prefix="numerai-standin-"))
    store = Store(
        username=DEMO_USERNAME,
        account_id="0f9e8d7c-6b5a-4493-8271-605f4e3d2c10",
        tokens=tokens,
        models=_models(),
        data_versions=[dict(row, deprecated=False) for row in DATA_VERSIONS],
        docker_images=docker_image_rows(),
        spool_dir=spool,
        data_root=data_root,
        validation_seconds=validation_seconds,
    )
    trigger = store.models[2].upload.triggers[0]
    store.trigger_logs[trigger.id] = [
        {"message": "Loaded model.pkl", "timestamp": 1736514070},
        {"message": "Predicted 5312 rows", "timestamp": 1736514215},
    ]
    return store
