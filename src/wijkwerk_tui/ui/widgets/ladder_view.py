"""A ladder drawn as a ladder: every step, the current one marked, groeipotentieel marked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from wijkwerk_tui.domain.ladders import Step


def render_ladder(steps: tuple[Step, ...], current: int | None, potential: int | None) -> Text:
    """Top step first, like a real ladder. Marks are words as well as colours."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for step in reversed(steps):
        is_current = step.number == current
        is_potential = step.number == potential
        mark = "▶" if is_current else " "
        style = "bold reverse" if is_current else ""
        # The marker words come first so that a narrow column cuts the label, not the meaning.
        tag = " nu " if is_current else " ◇  " if is_potential else "    "
        line = Text(f"{mark}{tag}{step.number} {step.label}", style=style)
        text.append_text(line)
        text.append("\n")
    text.append("▶ nu = huidige trede  ◇ = groeipotentieel", style="dim")
    return text


class LadderView(Static):
    DEFAULT_CSS = """
    LadderView { height: auto; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def show(self, steps: tuple[Step, ...], current: int | None, potential: int | None) -> None:
        self.update(render_ladder(steps, current, potential))
