"""Exports: the plaintext files wijkwerk wrote on this laptop (reports, inzage), to clear up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.text import counted
from wijkwerk_tui.exchange import export_folder
from wijkwerk_tui.exchange.export_folder import ExportFile
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.text import NOT_ENCRYPTED
from wijkwerk_tui.ui.widgets.footer import Footer
from wijkwerk_tui.ui.widgets.row_list import Column, RowList

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database


class ExportsScreen(AppScreen[None]):
    TITLE = "Exports"
    DEFAULT_CSS = """
    ExportsScreen #exports-title { height: auto; padding: 0 1; }
    ExportsScreen #exports { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="exports.back"),
        Binding("x", "remove", "Verwijderen", id="exports.remove"),
        Binding("o", "clear_all", "Opruimen (alles)", id="exports.clear"),
    ]

    def __init__(self, folder: Path, files: list[ExportFile]) -> None:
        super().__init__()
        self.folder = folder
        self.files = files

    @staticmethod
    def load(_db: Database, folder: Path) -> list[ExportFile]:
        return export_folder.list_exports(folder)

    def compose(self) -> ComposeResult:
        title = Text(f"Exports in {self.folder}\n", style="bold")
        title.append(NOT_ENCRYPTED, style="")
        yield Static(title, id="exports-title")
        yield RowList(Column("Bestand", flex=True), "Grootte", "Gemaakt", id="exports")
        yield Footer()

    def on_mount(self) -> None:
        self._show(self.files)

    def _show(self, files: list[ExportFile]) -> None:
        self.files = files
        rows = [
            (f.path.name, f"{max(1, f.size // 1024)} kB", f.written.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M"))
            for f in files
        ]
        self.query_one("#exports", RowList).set_rows(rows, [str(f.path) for f in files])
        self.query_one("#exports", RowList).focus()

    def _ask(self, question: str, paths: list[Path]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(paths)

        self.app.push_screen(ConfirmDialog(question, yes="Verwijderen (j)", no="Niet (n)"), answered)

    def action_remove(self) -> None:
        table = self.query_one("#exports", RowList)
        key = table.key_at(table.cursor_row)
        if key:
            self._ask(f"{Path(key).name} verwijderen?", [Path(key)])

    def action_clear_all(self) -> None:
        if self.files:
            self._ask(f"Alle {len(self.files)} exportbestanden in deze map verwijderen?", [f.path for f in self.files])

    @work(thread=True, exclusive=True, exit_on_error=False, group="exports", description="exports")
    def _remove(self, paths: list[Path]) -> None:
        gone = export_folder.remove(paths)
        left = export_folder.list_exports(self.folder)
        self.app.call_from_thread(self._show, left)
        self.app.call_from_thread(
            self.app.notify, f"{counted(gone, 'exportbestand', 'exportbestanden')} verwijderd.", markup=False
        )
