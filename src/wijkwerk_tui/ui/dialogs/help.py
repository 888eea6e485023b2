"""F1 (or `?`): every key of the screen the worker was on, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from wijkwerk_tui.ui.dutch_keys import describe, key_label


def screen_keys(screen: Screen) -> list[tuple[str, str]]:
    """The keys active on `screen`: its own first, then those of the focused widget."""
    own: list[tuple[str, str]] = []
    widget: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        entry = (binding.key_display or key, describe(binding.description))
        (own if active.node is screen or active.node is screen.app else widget).append(entry)
    return own + widget


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen DataTable { height: auto; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Sluiten", id="help.close")]

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(f"Toetsen: {self._title}", style="bold"), id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Esc, F1 of ? sluit deze hulp.", style="dim"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Toets", "Wat het doet")
        for key, description in self._keys:
            table.add_row(Text(key_label(key)), Text(description))
