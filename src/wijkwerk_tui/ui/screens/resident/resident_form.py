"""A resident's own data and consent: new (outside the intake) or edited."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select

from wijkwerk_tui.domain.edits import Base, EditConflict
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.store import areas, residents
from wijkwerk_tui.ui.dialogs.conflict import plain_value, show_conflict
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.field import FormField

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.db.tables import Area, Resident

CONSENT = {"yes": "ja", "no": "nee"}
FORM_FIELDS = {"area_id": "area", "consent_register": "consent"}  # store field -> form field


class ResidentForm(FormScreen):
    def __init__(
        self, area_list: list[Area], resident: Resident | None = None, *, open_when_saved: bool = False
    ) -> None:
        super().__init__()
        self.area_list = area_list
        self.resident = resident
        self.open_when_saved = open_when_saved
        self.form_title = "Gegevens inwoner" if resident else "Nieuwe inwoner"
        self.saved_id = resident.id if resident else None
        # What the form showed: saving writes only what the worker changed (domain.edits).
        self.base = Base(resident.version, residents.edit_values(resident)) if resident else None

    @staticmethod
    def load(db: Database) -> list[Area]:
        return areas.list_areas(db)

    @staticmethod
    def load_for(db: Database, resident_id: uuid.UUID) -> tuple[list[Area], Resident]:
        """The areas, and the resident as stored now (not as a screen read it earlier)."""
        return areas.list_areas(db), residents.get_resident(db, None, resident_id, audited=False)

    def compose_fields(self) -> ComposeResult:
        r = self.resident
        area_options = [(Text(a.name), str(a.id)) for a in self.area_list]

        def text(name: str, label: str, value: str, **kw: Any) -> Any:
            return self.field(label, Input(value, id=name, compact=True, **kw), name)

        yield text("given_name", "Voornaam", r.given_name if r else "")
        yield text("family_prefix", "Tussenvoegsel", r.family_prefix if r else "")
        yield text("family_name", "Achternaam", r.family_name if r else "")
        yield text("birth_year", "Geboortejaar", str(r.birth_year or "") if r else "", max_length=4)
        area = str(r.area_id) if r and r.area_id else Select.NULL
        yield self.field("Gebied", select(area_options, area, id="area", prompt="kies een gebied"), "area")
        yield text("phone", "Telefoon (zo nodig)", r.phone if r else "")
        yield text("email", "E-mail (als nodig)", r.email if r else "")
        consent = Select.NULL if not r or r.consent_register is None else ("yes" if r.consent_register else "no")
        consent_select = select(CONSENT, consent, id="consent", prompt="nog niet gevraagd")
        yield self.field("Toestemming reg.", consent_select, "consent")

    def save(self) -> Write:
        db, worker, existing, base = self.app.db, self.app.worker_id, self.resident, self.base
        data = PersonalData(
            self.value_of("given_name"),
            self.value_of("family_prefix"),
            self.value_of("family_name"),
            self.value_of("birth_year"),
            existing.birth_date if existing else None,
            self.value_of("phone"),
            self.value_of("email"),
        )
        area = self.value_of("area")
        area_id = uuid.UUID(area) if area else None
        consent = self.value_of("consent")
        consent_value = None if consent is None else consent == "yes"

        def write() -> str:
            if existing is None:
                self.saved_id = residents.add_resident(db, worker, data, area_id, consent_value).id
                return "Inwoner toegevoegd."
            residents.update_resident(db, worker, existing.id, data, area_id, consent_value, base=base)
            return "Gegevens opgeslagen."

        return write

    def refused(self, error: DomainError) -> None:
        if isinstance(error, EditConflict) and self.base is not None:
            self.base = self.base.seen(error.theirs)
            show_conflict(list(self.query(FormField)), error, self._describe, FORM_FIELDS)
            return
        super().refused(error)

    def _describe(self, field: str, value: Any) -> str:
        if field == "area_id":
            return next((a.name for a in self.area_list if a.id == value), "(geen gebied)")
        if field == "consent_register":
            return "nog niet gevraagd" if value is None else CONSENT["yes" if value else "no"]
        return plain_value(field, value)

    def after_save(self, message: str) -> None:
        super().after_save(message)
        if self.open_when_saved and self.saved_id is not None:
            self.app.open_resident(self.saved_id)
