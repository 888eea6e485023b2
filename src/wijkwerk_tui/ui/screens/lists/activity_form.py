"""Register a group activity: name, area, date, participants, volunteers, linked residents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Input

from wijkwerk_tui.domain.dates import format_date, parse_date
from wijkwerk_tui.queries import search
from wijkwerk_tui.store import activities, areas
from wijkwerk_tui.store.activities import ActivityData
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.people_picker import PeoplePicker

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.db.tables import Area


class ActivityForm(FormScreen):
    form_title = "Groepsactiviteit registreren"

    def __init__(self, area_list: list[Area]) -> None:
        super().__init__()
        self.area_list = area_list

    @staticmethod
    def load(db: Database) -> list[Area]:
        return areas.list_areas(db)

    def compose_fields(self) -> ComposeResult:
        name = Input(placeholder="bijv. Koffieochtend dorpshuis", id="name", compact=True)
        yield self.field("Naam", name, "name")
        options = [(Text(a.name), a.id) for a in self.area_list]
        yield self.field("Gebied", select(options, id="area", prompt="geen gebied"), "area")
        yield self.field("Datum", Input(format_date(self.app.today()), id="held_on", compact=True), "held_on")
        yield self.field("Deelnemers", Input("0", id="participants", compact=True, max_length=5), "participants")
        yield self.field("Vrijwilligers", Input("0", id="volunteers", compact=True, max_length=5), "volunteers")
        yield self.field("Inwoners (optie)", PeoplePicker(id="people"), "residents")
        yield self.field("Namen vrijwilligers", PeoplePicker(id="helpers"), "volunteer_ids")

    def on_people_picker_lookup(self, event: PeoplePicker.Lookup) -> None:
        self._find(event.picker, event.query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="people", description="people")
    def _find(self, picker: PeoplePicker, query: str) -> None:
        rows = search.search_residents(self.app.db, query, limit=5)
        found = [(r.id, f"{r.name} ({r.birth_year or '?'}, {r.area or 'geen gebied'})") for r in rows]
        self.app.call_from_thread(picker.show_matches, query, found)

    def save(self) -> Write:
        db, worker = self.app.db, self.app.worker_id
        data = ActivityData(
            name=self.value_of("name"),
            area_id=self.value_of("area"),
            held_on=parse_date(self.value_of("held_on"), self.app.today(), "held_on"),
            participants=self.value_of("participants"),
            volunteers=self.value_of("volunteers"),
        )
        people = self.query_one("#people", PeoplePicker).form_value
        helpers = self.query_one("#helpers", PeoplePicker).form_value

        def write() -> str:
            activities.add_activity(db, worker, data, people, helpers)
            return "Groepsactiviteit geregistreerd."

        return write
