"""Register a group activity: name, area, date, participants, volunteers, linked residents."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input

from wijkwerk_tui.domain.dates import format_date, parse_date
from wijkwerk_tui.queries import search
from wijkwerk_tui.store import activities, areas
from wijkwerk_tui.store.activities import ActivityData
from wijkwerk_tui.ui.screens.form_base import FormScreen
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.people_picker import PeoplePicker


class ActivityForm(FormScreen):
    form_title = "Groepsactiviteit registreren"

    def compose_fields(self) -> ComposeResult:
        db = self.app.db  # type: ignore[attr-defined]
        yield self.field("Naam", Input(placeholder="bijv. Koffieochtend dorpshuis", id="name", compact=True), "name")
        options = [(Text(a.name), a.id) for a in areas.list_areas(db)]
        yield self.field("Gebied", select(options, id="area", prompt="geen gebied"), "area")
        yield self.field("Datum", Input(format_date(db.today()), id="held_on", compact=True), "held_on")
        yield self.field("Deelnemers", Input("0", id="participants", compact=True, max_length=5), "participants")
        yield self.field("Vrijwilligers", Input("0", id="volunteers", compact=True, max_length=5), "volunteers")
        yield self.field("Inwoners (optie)", PeoplePicker(self._find, id="people"), "residents")

    def _find(self, query: str) -> list[tuple[uuid.UUID, str]]:
        rows = search.search_residents(self.app.db, query, limit=5)  # type: ignore[attr-defined]
        return [(r.id, f"{r.name} ({r.birth_year or '?'}, {r.area or 'geen gebied'})") for r in rows]

    def save(self) -> str:
        db = self.app.db  # type: ignore[attr-defined]
        data = ActivityData(
            name=self.value_of("name"),
            area_id=self.value_of("area"),
            held_on=parse_date(self.value_of("held_on"), db.today(), "held_on"),
            participants=self.value_of("participants"),
            volunteers=self.value_of("volunteers"),
        )
        people = self.query_one("#people", PeoplePicker).form_value
        activities.add_activity(db, self.app.worker_id, data, people)  # type: ignore[attr-defined]
        return "Groepsactiviteit geregistreerd."
