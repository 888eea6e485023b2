"""A resident's own data and consent: new (outside the intake) or edited."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select

from wijkwerk_tui.db.tables import Resident
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.store import areas, residents
from wijkwerk_tui.ui.screens.form_base import FormScreen
from wijkwerk_tui.ui.widgets.choices import select

CONSENT = {"yes": "ja", "no": "nee"}


class ResidentForm(FormScreen):
    def __init__(self, resident: Resident | None = None) -> None:
        super().__init__()
        self.resident = resident
        self.form_title = "Gegevens inwoner" if resident else "Nieuwe inwoner"
        self.saved_id = resident.id if resident else None

    def compose_fields(self) -> ComposeResult:
        r = self.resident
        area_options = [(Text(a.name), str(a.id)) for a in areas.list_areas(self.app.db)]  # type: ignore[attr-defined]

        def text(name: str, label: str, value: str, **kw: object) -> object:
            return self.field(label, Input(value, id=name, compact=True, **kw), name)  # type: ignore[arg-type]

        yield text("given_name", "Voornaam", r.given_name if r else "")
        yield text("family_prefix", "Tussenvoegsel", r.family_prefix if r else "")
        yield text("family_name", "Achternaam", r.family_name if r else "")
        yield text("birth_year", "Geboortejaar", str(r.birth_year or "") if r else "", max_length=4)
        area = str(r.area_id) if r and r.area_id else Select.NULL
        yield self.field("Gebied", select(area_options, area, id="area", prompt="kies een gebied"), "area")
        yield text("phone", "Telefoon (als nodig)", r.phone if r else "")
        yield text("email", "E-mail (als nodig)", r.email if r else "")
        consent = Select.NULL if not r or r.consent_register is None else ("yes" if r.consent_register else "no")
        yield self.field(
            "Toestemming registratie", select(CONSENT, consent, id="consent", prompt="nog niet gevraagd"), "consent"
        )

    def save(self) -> str:
        db = self.app.db  # type: ignore[attr-defined]
        data = PersonalData(
            self.value_of("given_name"),
            self.value_of("family_prefix"),
            self.value_of("family_name"),
            self.value_of("birth_year"),
            self.resident.birth_date if self.resident else None,
            self.value_of("phone"),
            self.value_of("email"),
        )

        area = self.value_of("area")
        area_id = uuid.UUID(area) if area else None
        consent = self.value_of("consent")
        consent_value = None if consent is None else consent == "yes"
        worker = self.app.worker_id  # type: ignore[attr-defined]
        if self.resident is None:
            created = residents.add_resident(db, worker, data, area_id, consent_value)
            self.saved_id = created.id
            return "Inwoner toegevoegd."
        residents.update_resident(db, worker, self.resident.id, data, area_id, consent_value)
        return "Gegevens opgeslagen."
