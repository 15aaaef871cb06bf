"""A small line plot drawn with block characters, readable without colour."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

BLOCKS = " ▁▂▃▄▅▆▇█"
LIMIT_MARK = "┄"
# A limit is drawn only when the series reaches this share of it; below that
# the line would squash the series into the bottom row, and the title's
# ratio shows enough.
LIMIT_DRAW_SHARE = 0.25


def resample(values: list[float], width: int) -> list[float]:
    """Return `width` columns: values spread evenly, or repeated when too few."""
    return [values[int(i * len(values) / width)] for i in range(width)]


def render_columns(
    values: list[float], width: int, height: int, limit: float | None = None
) -> list[str]:
    """Draw `values` resampled to `width` columns as `height` rows of blocks.

    The zero line, when inside the range, is where bars start, so negative
    values hang below it and positive ones stand on it. A `limit` inside the
    drawn range is marked with a dashed row where the bars do not reach it.
    """
    if not values or width <= 0 or height <= 0:
        return []
    columns = resample(values, width)
    low, high = min(min(columns), 0.0), max(max(columns), 0.0)
    if limit is not None:
        high = max(high, limit)
    span = (high - low) or 1.0
    cells = height * 8
    zero = round((0.0 - low) / span * cells)
    rows = [[" "] * len(columns) for _ in range(height)]
    for x, value in enumerate(columns):
        level = round((value - low) / span * cells)
        bottom, top = sorted((zero, level))
        for y in range(height):
            cell_low, cell_high = y * 8, (y + 1) * 8
            filled = max(0, min(top, cell_high) - max(bottom, cell_low))
            if filled == 0:
                continue
            rows[height - 1 - y][x] = BLOCKS[filled] if top < cell_high else "█"
    if limit is not None:
        limit_row = height - 1 - min(height - 1, int((limit - low) / span * cells) // 8)
        rows[limit_row] = [LIMIT_MARK if c == " " else c for c in rows[limit_row]]
    return ["".join(row) for row in rows]


def signed(value: float) -> str:
    return f"{value:+.4f}"


class LinePlot(Static):
    """A titled plot of a series that fills its height, with last, min and max.

    With a `limit`, the title shows the peak as a share of it, and the limit
    is drawn as a dashed row once the series comes near it.
    """

    DEFAULT_CSS = """
    LinePlot {
        height: 5;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(
        self,
        title: str,
        values: list[float] | None = None,
        *,
        limit: float | None = None,
        number: Callable[[float], str] = signed,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.title = title
        self.values = list(values or [])
        self.limit = limit
        self.number = number

    def set_values(self, values: list[float], limit: float | None = None) -> None:
        self.values = list(values)
        if limit is not None:
            self.limit = limit
        self.refresh_plot()

    def on_resize(self) -> None:
        self.refresh_plot()

    def caption(self) -> Text:
        text = Text(self.title, style="bold", no_wrap=True, overflow="ellipsis")
        if not self.values:
            return text
        number = self.number
        peak = max(self.values)
        if self.limit:
            text.append(f"  {peak / self.limit:.0%} of {number(self.limit)}")
        else:
            low = number(min(self.values))
            text.append(
                f"  last {number(self.values[-1])}, range {low} to {number(peak)}"
            )
        return text

    def refresh_plot(self) -> None:
        width = max(self.content_region.width, 10)
        height = max(self.content_region.height - 1, 1)
        text = self.caption()
        drawn_limit = None
        if (
            self.limit
            and self.values
            and max(self.values) >= LIMIT_DRAW_SHARE * self.limit
        ):
            drawn_limit = self.limit
        for row in render_columns(self.values, width, height, drawn_limit):
            text.append("\n" + row)
        self.update(text)
