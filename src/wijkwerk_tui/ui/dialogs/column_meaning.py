"""What one spreadsheet column means: chosen from a list (Enter), Escape keeps it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wijkwerk_tui.domain.import_columns import TARGETS, describe
from wijkwerk_tui.ui.base import AppModal


class ColumnMeaningDialog(AppModal[str | None]):
    DEFAULT_CSS = """
    ColumnMeaningDialog { align: center middle; }
    ColumnMeaningDialog > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    ColumnMeaningDialog OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Terug", id="column.back")]

    def __init__(self, header: str, current: str | None) -> None:
        super().__init__()
        self.header = header
        self.current = current
        choices = dict(TARGETS)
        if current is not None and "@" in current:  # a wide ladder column ("PL 2024") keeps its date
            choices = {current: describe(current), **choices}
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Wat betekent de kolom '{self.header}'?", style="bold"))
            yield OptionList(*[Option(Text(label), id=code) for code, label in self.choices.items()])
            yield Static(Text("Enter kiest · Escape laat de kolom zoals hij was", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.choices:
            options.highlighted = list(self.choices).index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
