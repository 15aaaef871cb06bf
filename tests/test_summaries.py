"""Formatting of sizes and durations shown in every screen and headless line."""

from __future__ import annotations

import pytest

from core.summaries import format_bytes, format_seconds


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.25, "250 ms"),
        (42.0, "42.0 s"),
        (185, "3 min 5 s"),
        (600, "10 min"),
        (7800, "2 h 10 min"),
        (None, "?"),
    ],
)
def test_format_seconds(seconds, text):
    assert format_seconds(seconds) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [(512, "512 B"), (1536, "1.5 KiB"), (4 * 2**30, "4.0 GiB"), (3 * 2**40, "3072.0 GiB"), (None, "?")],
)
def test_format_bytes(count, text):
    assert format_bytes(count) == text
