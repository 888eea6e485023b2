"""Importeren (coordinators): a spreadsheet's dry run per row, the columns' meaning, then the import.

Nothing is written until Ctrl+S and a yes. The preview is made again after every change of
a column's meaning or a "someone else" choice, in a thread, so the screen never waits.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.import_columns import describe, normal_header
from wijkwerk_tui.domain.text import counted
from wijkwerk_tui.exchange import import_files
from wijkwerk_tui.services import import_apply
from wijkwerk_tui.services.import_plan import ERROR, Preview, RowVerdict
from wijkwerk_tui.store import imports
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.dialogs.column_meaning import ColumnMeaningDialog
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.widgets.footer import Footer
from wijkwerk_tui.ui.widgets.row_list import Column, RowList

STATUS = {
    "new": "nieuw",
    "merge": "bestaand",
    "same_file": "zelfde",
    "known": "al gedaan",
    "error": "fout",
    "skipped": "overgeslagen",
}
STATUS_STYLE = {"error": "bold red", "merge": "bold", "skipped": "dim", "known": "dim"}


class ImportScreen(AppScreen[None]):
    TITLE = "Importeren"
    DEFAULT_CSS = """
    ImportScreen #import-path { margin: 0 1; width: 1fr; }
    ImportScreen #import-detail { height: auto; max-height: 6; padding: 0 1; background: $panel; }
    ImportScreen #import-error { height: auto; padding: 0 1; color: $error; }
    ImportScreen #import-summary { height: auto; padding: 0 1; }
    ImportScreen #import-columns { height: auto; max-height: 7; margin: 0 1; }
    ImportScreen #import-rows { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="import.back"),
        Binding("ctrl+s", "confirm", "Importeren", id="import.confirm", priority=True),
        Binding("n", "separate", "Toch nieuwe inwoner", id="import.separate"),
        Binding("f", "only_errors", "Alleen fouten", id="import.errors"),
        Binding("b", "remember", "Kolommen onthouden", id="import.remember"),
        Binding("i", "batches", "Eerdere imports", id="import.batches"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.preview: Preview | None = None
        self.path: Path | None = None
        self.overrides: dict[str, str] = {}  # header -> target, chosen on this screen
        self.separate: set[str] = set()
        self.only_errors = False
        self.loading = False
        self.by_ref: dict[str, RowVerdict] = {}

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Pad naar het bestand (.xlsx, .xls, .ods of .csv), dan Enter", id="import-path", compact=True
        )
        yield Static("", id="import-error")
        yield Static(Text("Eerst een proefrun: er wordt niets opgeslagen tot u Ctrl+S drukt."), id="import-summary")
        yield RowList("Kolom", Column("Betekenis", flex=True), id="import-columns")
        yield RowList("Rij", "Uitkomst", Column("Wat er gebeurt", flex=True, max_width=400), id="import-rows")
        yield Static("", id="import-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()
        self.watch(self.query_one("#import-rows", RowList), "cursor_row", self._detail)

    def _detail(self, _index: int = 0) -> None:
        """The whole verdict of the row under the cursor (the list cuts it off at the edge)."""
        rows = self.query_one("#import-rows", RowList)
        found = self.by_ref.get(rows.key_at(rows.cursor_row) or "")
        text = "" if found is None else f"{found.label}: {self._line(found)}"
        self.query_one("#import-detail", Static).update(Text(text))

    @staticmethod
    def _line(row: RowVerdict) -> str:
        return f"{row.name}: {row.text}" if row.name and row.status != ERROR else row.text

    @on(Input.Submitted, "#import-path")
    def _file_chosen(self, event: Input.Submitted) -> None:
        text = event.value.strip().strip("'\"")
        if not text:
            self._error("Typ het pad naar het bestand.")
            return
        self.path = Path(text).expanduser()
        self.overrides, self.separate, self.only_errors = {}, set(), False
        self.preview = None  # what was shown of another file can no longer be imported
        self.query_one("#import-columns", RowList).set_rows([])
        self.query_one("#import-rows", RowList).set_rows([])
        self.by_ref = {}
        self._detail()
        self._reload()

    def _reload(self) -> None:
        self.loading = True
        self.query_one("#import-summary", Static).update(Text("Proefrun loopt…"))
        self._load()

    def on_screen_resume(self) -> None:
        """Back from "Eerdere imports" (an undo, perhaps): the dry run again, as things are now."""
        if self.path is not None and self.preview is not None:
            self._reload()

    def _error(self, message: str) -> None:
        self.loading = False
        self.query_one("#import-error", Static).update(Text(message))
        if message:
            self.query_one("#import-summary", Static).update(Text(""))

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False, description="import-preview")
    def _load(self) -> None:
        assert self.path is not None
        self.app.progress("Proefrun…")
        try:
            shown = import_files.preview(self.app.db, self.path, dict(self.overrides), set(self.separate))
        except DomainError as error:
            self.app.call_from_thread(self._error, error.message)
            return
        finally:
            self.app.progress("")
        self.app.call_from_thread(self._show, shown)

    def _show(self, shown: Preview) -> None:
        self.preview = shown
        self._error("")
        self.loading = False
        columns: dict[str, tuple[str, str | None]] = {}
        for layout in shown.layouts:
            for header, target in zip(layout.headers, layout.targets, strict=True):
                if header and normal_header(header) not in columns:
                    columns[normal_header(header)] = (header, target)
        column_list = self.query_one("#import-columns", RowList)
        column_list.set_rows(
            [(header, describe(target)) for header, target in columns.values()], [h for h, _t in columns.values()]
        )
        rows = self.query_one("#import-rows", RowList)
        cells = []
        listed = [r for r in shown.rows if r.status == ERROR] if self.only_errors else shown.rows
        for row in listed:
            cells.append((row.label, Text(STATUS[row.status], style=STATUS_STYLE.get(row.status, "")), self._line(row)))
        self.by_ref = {r.ref: r for r in shown.rows}
        cursor = rows.cursor_row
        rows.set_rows(cells, [r.ref for r in listed])
        rows.cursor_row = min(cursor, max(0, rows.row_count - 1))
        self._detail()
        skipped = [layout.name for layout in shown.layouts if not layout.header_row]
        note = f" Blad zonder kopregel overgeslagen: {', '.join(skipped)}." if skipped else ""
        areas = f" Nieuwe gebieden: {', '.join(shown.new_areas)}." if shown.new_areas else ""
        only = " Alleen de rijen met een fout (f: alle)." if self.only_errors else ""
        self.query_one("#import-summary", Static).update(
            Text(f"Proefrun: {shown.summary()}.{areas}{note}{only} Ctrl+S importeert; Enter op een kolom wijzigt hem.")
        )
        if self.focused is self.query_one("#import-path", Input):
            rows.focus()

    @on(RowList.Selected, "#import-columns")
    def _choose_meaning(self, event: RowList.Selected) -> None:
        header = event.key
        if header is None or self.preview is None:
            return
        current = self.preview.mapping.get(normal_header(header))
        for layout in self.preview.layouts:
            if header in layout.headers:
                current = layout.targets[layout.headers.index(header)]

        def chosen(target: str | None) -> None:
            if target is not None and target != current:
                self.overrides[header] = target
                self._reload()

        self.app.push_screen(ColumnMeaningDialog(header, current), chosen)

    def action_only_errors(self) -> None:
        if self.preview is None:
            return
        if not self.only_errors and not self.preview.count(ERROR):
            self.app.notify("Geen rijen met een fout.", markup=False)
            return
        self.only_errors = not self.only_errors
        self._show(self.preview)

    def action_separate(self) -> None:
        rows = self.query_one("#import-rows", RowList)
        ref = rows.key_at(rows.cursor_row)
        if ref is None or self.preview is None:
            return
        self.separate.symmetric_difference_update({ref})
        self._reload()

    def action_remember(self) -> None:
        if not self.overrides:
            self.app.notify("Er is geen kolom gewijzigd om te onthouden.", markup=False)
            return
        self._remember(dict(self.overrides))

    @work(thread=True, exclusive=True, group="import-remember", exit_on_error=False, description="import-remember")
    def _remember(self, chosen: dict[str, str]) -> None:
        imports.save_mapping(self.app.db, {normal_header(k): v for k, v in chosen.items()}, self.app.worker_id)
        self.app.call_from_thread(
            self.app.notify, "Onthouden: deze kolommen krijgen voortaan dezelfde betekenis.", markup=False
        )

    def action_confirm(self) -> None:
        shown = self.preview
        if self.loading:
            self.app.notify("Even wachten: de proefrun loopt nog.", markup=False)
            return
        if shown is None:
            self._error("Kies eerst een bestand: de proefrun laat zien wat er gebeurt.")
            return
        if not shown.writes:
            self.app.notify("Niets te importeren: alles staat er al, of elke rij heeft een fout.", markup=False)
            return
        errors = shown.count(ERROR)
        left_out = (
            f"\n\n{counted(errors, 'rij met een fout wordt', 'rijen met een fout worden')} overgeslagen."
            if errors
            else ""
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply(shown)

        self.app.push_screen(
            ConfirmDialog(
                f"{shown.file_name} importeren?\n\n{shown.summary()}.{left_out}", yes="Importeren (j)", no="Niet (n)"
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="import-apply", exit_on_error=False, description="import-apply")
    def _apply(self, shown: Preview) -> None:
        self.app.progress("Importeren…")
        try:
            done = import_apply.apply(self.app.db, self.app.worker_id, shown)
        except DomainError as error:
            self.app.call_from_thread(self._error, error.message)
            return
        finally:
            self.app.progress("")
        self.app.call_from_thread(self.app.notify, done.message(), markup=False, timeout=10)
        self.app.call_from_thread(self._reload)

    def action_batches(self) -> None:
        from wijkwerk_tui.ui.screens.admin.import_batches import ImportBatchesScreen

        self.app.push_loaded(imports.batches, ImportBatchesScreen)
