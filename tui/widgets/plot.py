"""A small line plot drawn with block characters, readable without colour."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

BLOCKS = " ▁▂▃▄▅▆▇█"


def render_columns(values: list[float], width: int, height: int) -> list[str]:
    """Draw `values` resampled to `width` columns as `height` rows of blocks.

    The zero line, when inside the range, is where bars start, so negative
    values hang below it and positive ones stand on it.
    """
    if not values or width <= 0 or height <= 0:
        return []
    columns = [values[int(i * len(values) / width)] for i in range(min(width, len(values)))]
    low, high = min(min(columns), 0.0), max(max(columns), 0.0)
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
    return ["".join(row) for row in rows]


class LinePlot(Static):
    """A titled plot of a series, with its last, minimum and maximum value."""

    DEFAULT_CSS = """
    LinePlot {
        height: auto;
    }
    """

    def __init__(self, title: str, values: list[float] | None = None, plot_height: int = 4, **kwargs):
        super().__init__(**kwargs)
        self.title = title
        self.values = values or []
        self.plot_height = plot_height

    def set_values(self, values: list[float]) -> None:
        self.values = list(values)
        self.refresh_plot()

    def on_resize(self) -> None:
        self.refresh_plot()

    def refresh_plot(self) -> None:
        width = max(self.size.width - 2, 10)
        text = Text(self.title, style="bold")
        if self.values:
            text.append(
                f"  last {self.values[-1]:+.4f}  min {min(self.values):+.4f}"
                f"  max {max(self.values):+.4f}"
            )
        for row in render_columns(self.values, width, self.plot_height):
            text.append("\n" + row)
        self.update(text)
