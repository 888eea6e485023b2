"""Eerdere imports (coordinators): each import with what it made, and undo as a whole (x)."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.services import import_apply
from wijkwerk_tui.store import imports
from wijkwerk_tui.store.imports import BatchRow
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.widgets.footer import Footer
from wijkwerk_tui.ui.widgets.row_list import Column, RowList


class ImportBatchesScreen(AppScreen[None]):
    TITLE = "Eerdere imports"
    DEFAULT_CSS = """
    ImportBatchesScreen #batches-title { height: auto; padding: 0 1; }
    ImportBatchesScreen #batches { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="batches.back"),
        Binding("x", "undo", "Ongedaan maken", id="batches.undo"),
    ]

    def __init__(self, found: list[BatchRow]) -> None:
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        title = "Eerdere imports op deze laptop. x maakt een import in zijn geheel ongedaan."
        yield Static(Text(title), id="batches-title")
        yield RowList("Kenmerk", "Wanneer", "Door", Column("Bestand", flex=True), "Gemaakt", "Status", id="batches")
        yield Footer()

    def on_mount(self) -> None:
        self._show(self.found)

    def _show(self, found: list[BatchRow]) -> None:
        self.found = found
        rows = []
        for b in found:
            made = f"{b.counts.get('new', 0)} nieuw, {b.counts.get('added_to', 0)} bij"
            state = f"ongedaan {b.undone_at.astimezone(LOCAL_ZONE):%d-%m}" if b.undone_at else ""
            when = b.made_at.astimezone(LOCAL_ZONE).strftime("%d-%m-%y %H:%M")
            rows.append((str(b.id)[:8], when, b.made_by, b.file_name, made, state))
        table = self.query_one("#batches", RowList)
        table.set_rows(rows, [str(b.id) for b in found])
        table.focus()

    def action_undo(self) -> None:
        table = self.query_one("#batches", RowList)
        key = table.key_at(table.cursor_row)
        batch = next((b for b in self.found if str(b.id) == key), None)
        if batch is None:
            return
        if batch.undone_at is not None:
            self.app.notify("Deze import is al ongedaan gemaakt.", markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._undo(batch.id)

        question = f"De import {str(batch.id)[:8]} ({batch.file_name}) in zijn geheel ongedaan maken?"
        self.app.push_screen(ConfirmDialog(question, yes="Ongedaan maken (j)", no="Niet (n)"), answered)

    @work(thread=True, exclusive=True, group="import-undo", exit_on_error=False, description="import-undo")
    def _undo(self, batch_id: uuid.UUID) -> None:
        try:
            message = import_apply.undo(self.app.db, self.app.worker_id, batch_id).message()
        except DomainError as error:
            message = error.message
        self.app.call_from_thread(self.app.notify, message, markup=False, timeout=10)
        self.app.call_from_thread(self._show, imports.batches(self.app.db))
