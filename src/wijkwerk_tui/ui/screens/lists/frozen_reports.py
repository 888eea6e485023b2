"""Vastgestelde rapportages (coordinators): reports frozen as sent; Enter compares one with a
new run of its period: which figures changed since, and which records explain each."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker

from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.services import report_compare
from wijkwerk_tui.store import frozen_reports
from wijkwerk_tui.store.frozen_reports import Frozen
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.widgets.footer import Footer
from wijkwerk_tui.ui.widgets.row_list import Column, RowList

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database


class FrozenReportsScreen(AppScreen[None]):
    TITLE = "Vastgestelde rapportages"
    DEFAULT_CSS = """
    FrozenReportsScreen #frozen { height: auto; max-height: 10; margin: 0 1; }
    FrozenReportsScreen #comparison-box { height: 1fr; margin: 1 1 0 1; }
    FrozenReportsScreen #comparison { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="frozen.back"),
        Binding("enter", "compare", "Vergelijken met nu", id="frozen.compare"),
    ]

    def __init__(self, kept: list[Frozen]) -> None:
        super().__init__()
        self.kept = kept

    @staticmethod
    def load(db: Database, actor: uuid.UUID | None) -> list[Frozen]:
        return frozen_reports.list_frozen(db, actor)

    def compose(self) -> ComposeResult:
        yield RowList("Kenmerk", "Periode", Column("Gebied", flex=True), "Vastgesteld", id="frozen")
        with VerticalScroll(id="comparison-box"):
            text = "Enter vergelijkt de gekozen rapportage met de cijfers van nu." if self.kept else ""
            yield Static(
                Text(text or "Nog geen vastgestelde rapportages: Ctrl+T in Rapportage stelt er een vast."),
                id="comparison",
            )
        yield Footer()

    def on_mount(self) -> None:
        rows = [
            (
                str(item.id)[:8],
                f"{item.start:%d-%m-%Y} t/m {item.end:%d-%m-%Y}",
                item.area,
                item.frozen_at.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y"),
            )
            for item in self.kept
        ]
        frozen = self.query_one("#frozen", RowList)
        frozen.set_rows(rows, [str(item.id) for item in self.kept])
        frozen.focus()

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        event.stop()
        self.action_compare()

    def action_compare(self) -> None:
        table = self.query_one("#frozen", RowList)
        key = table.key_at(table.cursor_row)
        if key:
            self.query_one("#comparison", Static).update(Text("Bezig met vergelijken…"))
            self._compare(uuid.UUID(key))

    @work(thread=True, exclusive=True, exit_on_error=False, group="frozen-compare", description="frozen-compare")
    def _compare(self, frozen_id: uuid.UUID) -> None:
        lines = report_compare.compare(self.app.db, self.app.worker_id, frozen_id).lines()
        self.app.call_from_thread(self.query_one("#comparison", Static).update, Text("\n".join(lines)))

    def work_failed(self, worker: Worker[Any]) -> None:
        if worker.group == "frozen-compare":
            self.query_one("#comparison", Static).update(
                Text("⚠ Vergelijken is niet gelukt. Enter probeert het opnieuw.")
            )
