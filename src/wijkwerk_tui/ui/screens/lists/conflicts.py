"""Conflicten: two laptops changed the same field without seeing each other. Both values, who
and when; 1 keeps the value the hub has, 2 takes the other. The choice goes to every laptop
with the next sync."""

from __future__ import annotations

import uuid
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain import hlc
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.text import visible_line
from wijkwerk_tui.store import conflicts
from wijkwerk_tui.store.conflicts import ConflictView
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.text import plain
from wijkwerk_tui.ui.widgets.footer import Footer
from wijkwerk_tui.ui.widgets.row_list import Column, RowList


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(leeg)"
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    return visible_line(str(value))  # a value from another laptop may hold anything


def _when(stamp: str) -> str:
    try:
        return hlc.parse(stamp).wall.astimezone(LOCAL_ZONE).strftime("%d-%m %H:%M")
    except hlc.StampError:
        return "?"


class ConflictsScreen(AppScreen[None]):
    TITLE = "Conflicten"
    DEFAULT_CSS = """
    ConflictsScreen #conflicts-title { height: auto; padding: 0 1; }
    ConflictsScreen #conflicts { height: 1fr; margin: 0 1; }
    ConflictsScreen #conflict-detail { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="conflicts.back"),
        Binding("1", "choose(False)", "Waarde 1 houden", id="conflicts.keep"),
        Binding("2", "choose(True)", "Waarde 2 kiezen", id="conflicts.other"),
    ]

    @staticmethod
    def load(db: Database, worker_id: uuid.UUID | None) -> list[ConflictView]:
        return conflicts.open_for(db, worker_id)

    def __init__(self, found: list[ConflictView]) -> None:
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        title = "Twee laptops wijzigden hetzelfde. 1 houdt waarde 1, 2 kiest waarde 2; de keuze gaat met de sync mee."
        yield Static(Text(title), id="conflicts-title")
        yield RowList("Inwoner", "Veld", Column("Waarde 1", flex=True), Column("Waarde 2", flex=True), id="conflicts")
        yield Static(id="conflict-detail")
        yield Footer()

    def on_screen_resume(self) -> None:
        self._reload()

    def _synced(self, _line: str) -> None:
        self._reload()

    @work(thread=True, exclusive=True, group="conflicts", exit_on_error=False, description="conflicts")
    def _reload(self) -> None:
        """After a sync (F5 from here, or the one every few minutes) or a choice elsewhere."""
        found = conflicts.open_for(self.app.db, self.app.worker_id)
        self.app.call_from_thread(self._show, found)

    def on_mount(self) -> None:
        self.watch(self.query_one("#conflicts", RowList), "cursor_row", lambda _row: self._detail())
        self.watch(self.app, "sync_line", self._synced, init=False)
        self._show(self.found)

    def _show(self, found: list[ConflictView]) -> None:
        self.found = found
        rows = [(plain(visible_line(c.resident)), c.field, _value(c.kept), _value(c.other)) for c in found]
        table = self.query_one("#conflicts", RowList)
        table.set_rows(rows, [str(c.id) for c in found])
        table.focus()
        self._detail()
        if not found:
            self.query_one("#conflict-detail", Static).update(Text("Geen conflicten: alles is gelijk."))

    def _current(self) -> ConflictView | None:
        table = self.query_one("#conflicts", RowList)
        key = table.key_at(table.cursor_row) if self.found else None
        return next((c for c in self.found if str(c.id) == key), None)

    def _detail(self) -> None:
        c = self._current()
        if c is None:
            return
        text = (
            f"{visible_line(c.resident)}, {c.field}:\n"
            f"1: {_value(c.kept)} ({visible_line(c.kept_by)}, {_when(c.kept_at)})\n"
            f"2: {_value(c.other)} ({visible_line(c.other_by)}, {_when(c.other_at)})"
        )
        self.query_one("#conflict-detail", Static).update(Text(text))

    def action_choose(self, take_other: bool) -> None:
        c = self._current()
        if c is not None:
            self._choose(c.id, take_other)

    @work(thread=True, exclusive=True, group="conflict-choose", exit_on_error=False, description="conflict-choose")
    def _choose(self, conflict_id: uuid.UUID, take_other: bool) -> None:
        try:
            conflicts.choose(self.app.db, self.app.worker_id, conflict_id, take_other)
            message = "Keuze vastgelegd; gaat mee met de volgende synchronisatie."
        except DomainError as error:
            message = error.message
        self.app.call_from_thread(self.app.notify, message, markup=False)
        self.app.call_from_thread(self.app.saved)
        self.app.call_from_thread(self._show, conflicts.open_for(self.app.db, self.app.worker_id))
        self.app.call_from_thread(self.app.sync_in_background)
