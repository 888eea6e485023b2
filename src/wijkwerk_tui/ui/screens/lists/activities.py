"""Groepsactiviteiten: the list, newest first, and `a` to register one."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from wijkwerk_tui.db.tables import GroupActivity
from wijkwerk_tui.store import activities, areas
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.text import day, plain
from wijkwerk_tui.ui.widgets.footer import Footer


class ActivitiesScreen(AppScreen[None]):
    DEFAULT_CSS = """
    ActivitiesScreen #activities-title { height: auto; padding: 0 1; text-style: bold; }
    ActivitiesScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="activities.back"),
        Binding("a", "add", "Nieuwe activiteit", id="activities.add"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = "Groepsactiviteiten"

    def compose(self) -> ComposeResult:
        yield Static(Text("Groepsactiviteiten — a: nieuwe registreren"), id="activities-title")
        yield DataTable(id="activities", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#activities", DataTable).add_columns("Datum", "Naam", "Gebied", "Deelnemers", "Vrijwilligers")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="activities", description="activities")
    def load(self) -> None:
        db = self.app.db
        names = {a.id: a.name for a in areas.list_areas(db, include_inactive=True)}
        rows = activities.list_activities(db)
        self.app.call_from_thread(self._show, rows, names)

    def _show(self, rows: list[GroupActivity], names: dict[uuid.UUID, str]) -> None:
        table = self.query_one("#activities", DataTable)
        table.clear()
        for a in rows:
            table.add_row(
                day(a.held_on),
                plain(a.name),
                plain(names.get(a.area_id, "") if a.area_id else ""),
                plain(a.participants),
                plain(a.volunteers),
                key=str(a.id),
            )
        table.focus()

    def action_add(self) -> None:
        from wijkwerk_tui.ui.screens.lists.activity_form import ActivityForm

        def saved(done: bool | None) -> None:
            if done:
                self.load()

        self.app.push_loaded(ActivityForm.load, ActivityForm, saved)
