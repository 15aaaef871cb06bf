"""A stand-in of Numerai's API on 127.0.0.1 for the demo and the tests.

`StandInServer` loads graphql-core on first use, so importing this package
for the demo keys stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.demo.fixtures import (
    DEMO_MODEL,
    DEMO_PUBLIC_ID,
    DEMO_READONLY_PUBLIC_ID,
    DEMO_READONLY_SECRET_KEY,
    DEMO_SECRET_KEY,
    DEMO_USERNAME,
    SIGNALS_MODEL,
    UPLOADED_MODEL,
    WEBHOOK_MODEL,
)

if TYPE_CHECKING:
    from core.demo.server import StandInServer

__all__ = [
    "DEMO_MODEL",
    "DEMO_PUBLIC_ID",
    "DEMO_READONLY_PUBLIC_ID",
    "DEMO_READONLY_SECRET_KEY",
    "DEMO_SECRET_KEY",
    "DEMO_USERNAME",
    "SIGNALS_MODEL",
    "UPLOADED_MODEL",
    "WEBHOOK_MODEL",
    "StandInServer",
]


def __getattr__(name: str):
    if name == "StandInServer":
        from core.demo.server import StandInServer

        return StandInServer
    raise AttributeError(f"module 'core.demo' has no attribute {name!r}")
