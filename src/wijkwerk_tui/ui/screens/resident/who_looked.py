"""Wie keek mee: every view and change of one resident's file, for coordinators."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from wijkwerk_tui.domain.audit_actions import describe
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.queries.who_looked import Look, who_looked
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.text import plain
from wijkwerk_tui.ui.widgets.footer import Footer


class WhoLookedScreen(AppScreen[None]):
    DEFAULT_CSS = """
    WhoLookedScreen #who-title { height: auto; padding: 0 1; text-style: bold; }
    WhoLookedScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Terug", id="who.back")]

    def __init__(self, resident_id: uuid.UUID, label: str) -> None:
        super().__init__()
        self.resident_id = resident_id
        self.label = label
        self.title = "Wie keek mee"

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Wie keek mee — {self.label}"), id="who-title")
        yield DataTable(id="looks", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#looks", DataTable).add_columns("Wanneer", "Medewerker", "Wat")
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="who-looked", description="who-looked")
    def _load(self) -> None:
        looks = who_looked(self.app.db, self.app.worker_id, self.resident_id)
        self.app.call_from_thread(self._show, looks)

    def _show(self, looks: list[Look]) -> None:
        table = self.query_one("#looks", DataTable)
        for look in looks:
            table.add_row(
                plain(look.at.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")),
                plain("systeem" if look.worker is None else look.worker or "onbekend"),
                plain(describe(look.action) + (f": {look.reason}" if look.reason else "")),
            )
        table.focus()
