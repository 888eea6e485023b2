"""Horizontal bars in plain text: label, bar, number. Works in any terminal, no colours needed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: int, largest: int, width: int) -> str:
    """A bar of `width` cells at most, in eighths of a cell."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


class BarChart(Static):
    DEFAULT_CSS = "BarChart { height: auto; padding: 0 1; margin-bottom: 1; }"

    def __init__(self, title: str, bars: list[tuple[str, int]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.bars = bars

    def render(self) -> Text:
        text = Text(self.title + "\n", style="bold")
        if not self.bars:
            return text.append("geen gegevens", style="dim")
        label_width = min(26, max(len(label) for label, _ in self.bars))
        largest = max(value for _, value in self.bars)
        width = max(8, self.size.width - label_width - 10)
        for label, value in self.bars:
            shown = label if len(label) <= label_width else label[: label_width - 1] + "…"
            text.append(f"{shown:<{label_width}} ")
            text.append(f"{bar(value, largest, width):<{width}}", style="bold")
            text.append(f" {value:>6}\n")
        text.rstrip()
        return text
