"""A contact moment: date, kind, duration, note."""

from __future__ import annotations

import uuid

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, TextArea

from wijkwerk_tui.domain.activities import CONTACT_KINDS
from wijkwerk_tui.domain.dates import format_date, parse_date
from wijkwerk_tui.services import undo
from wijkwerk_tui.services.undo import Done
from wijkwerk_tui.store import contacts
from wijkwerk_tui.store.contacts import ContactData
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select


class ContactForm(FormScreen):
    def __init__(self, resident_id: uuid.UUID, resident_name: str) -> None:
        super().__init__()
        self.resident_id = resident_id
        self.form_title = f"Contactmoment — {resident_name}"

    def compose_fields(self) -> ComposeResult:
        today = self.app.today()
        yield self.field("Datum", Input(format_date(today), id="contact_on", compact=True), "contact_on")
        yield self.field("Soort", select(CONTACT_KINDS, "walk_in", id="kind", allow_blank=False), "kind")
        yield self.field("Duur (minuten)", Input(id="duration_min", compact=True, max_length=3), "duration_min")
        yield self.field("Notitie", TextArea(id="note", soft_wrap=True, tab_behavior="focus"), "note")
        yield self.field(
            "Verhaal (rapport)",
            Checkbox("ja, dit is een verhaal uit de wijk", id="is_story", compact=True),
            "is_story",
        )
        story = TextArea(id="story", soft_wrap=True, tab_behavior="focus")
        story.border_title = "Kort, zonder namen of herkenbare details"
        yield self.field("Verhaal", story, "story")

    def prepare(self) -> None:
        self.query_one("#note", TextArea).styles.height = 5
        self.query_one("#story", TextArea).styles.height = 4
        self.query_one("#field-story").display = False

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "is_story":
            self.query_one("#field-story").display = event.value

    def save(self) -> Write:
        db, worker, resident_id = self.app.db, self.app.worker_id, self.resident_id
        data = ContactData(
            contact_on=parse_date(self.value_of("contact_on"), self.app.today(), "contact_on"),
            kind=self.value_of("kind"),
            duration_min=self.value_of("duration_min"),
            note=self.value_of("note"),
            is_story=bool(self.value_of("is_story")),
            story=self.value_of("story"),
        )

        def write() -> Done:
            contact = contacts.add_contact(db, worker, resident_id, data)
            last = undo.saved(db, worker, f"het contactmoment ({CONTACT_KINDS[data.kind]})", [contact], resident_id)
            return Done(f"Contactmoment opgeslagen ({CONTACT_KINDS[data.kind]}).", last)

        return write
