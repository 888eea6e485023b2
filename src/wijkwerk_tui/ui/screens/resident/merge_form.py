"""Samenvoegen (coordinators): the same person registered twice becomes this one file. Type
part of the other's name, Enter picks him, Ctrl+S merges: his history moves here and he
leaves the lists (kept as a pointer to this file)."""

from __future__ import annotations

import uuid

from textual import work
from textual.app import ComposeResult

from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.queries import search
from wijkwerk_tui.services import merge_residents
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.people_picker import PeoplePicker


class MergeForm(FormScreen):
    def __init__(self, resident_id: uuid.UUID, resident_name: str) -> None:
        super().__init__()
        self.resident_id = resident_id
        self.form_title = f"Samenvoegen in {resident_name}"

    def compose_fields(self) -> ComposeResult:
        yield self.field("Dubbel dossier", PeoplePicker(id="other"), "other")

    def on_people_picker_lookup(self, event: PeoplePicker.Lookup) -> None:
        self._find(event.picker, event.query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-find", description="merge-find")
    def _find(self, picker: PeoplePicker, query: str) -> None:
        rows = [r for r in search.search_residents(self.app.db, query, limit=6) if r.id != self.resident_id][:5]
        found = [(r.id, f"{r.name} ({r.birth_year or '?'}, {r.area or 'geen gebied'})") for r in rows]
        self.app.call_from_thread(picker.show_matches, query, found)

    def save(self) -> Write:
        db, worker, keep = self.app.db, self.app.worker_id, self.resident_id
        picked = self.query_one("#other", PeoplePicker).form_value
        if len(picked) != 1:
            raise ValidationError("other", "Kies één inwoner: het dubbele dossier.")

        def write() -> str:
            moved = merge_residents.merge(db, worker, keep, picked[0])
            return f"Samengevoegd: {moved} regels hierheen verplaatst; het dubbele dossier is weg uit de lijsten."

        return write
