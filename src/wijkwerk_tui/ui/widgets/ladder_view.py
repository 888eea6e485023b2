"""A ladder drawn as a ladder: every step, the current one marked, groeipotentieel marked.

A long label wraps under itself instead of being cut ("Maatwerk / individuele voor…" at 80
columns, where the two ladders stand side by side)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from wijkwerk_tui.domain.ladders import Step

# Non-breaking spaces inside each item: a narrow column wraps between the two, not inside one.
LEGEND = "▶\u00a0nu\u00a0=\u00a0huidige\u00a0trede  ◇\u00a0=\u00a0groeipotentieel"


def render_ladder(steps: tuple[Step, ...], current: int | None, potential: int | None) -> Group:
    """Top step first, like a real ladder. Marks are words as well as colours."""
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(no_wrap=True)  # the marker words first: a narrow column wraps the label, not the meaning
    table.add_column(overflow="fold")
    for step in reversed(steps):
        is_current = step.number == current
        tag = "▶ nu" if is_current else "  ◇ " if step.number == potential else "    "
        style = "bold reverse" if is_current else ""
        table.add_row(Text(f"{tag} {step.number}", style=style), Text(step.label, style=style))
    return Group(table, Text(LEGEND, style="dim"))


class LadderView(Static):
    DEFAULT_CSS = """
    LadderView { height: auto; padding: 0 1; }
    """

    def show(self, steps: tuple[Step, ...], current: int | None, potential: int | None) -> None:
        self.update(render_ladder(steps, current, potential))
