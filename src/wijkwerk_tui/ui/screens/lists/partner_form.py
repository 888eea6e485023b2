"""Add or edit a partner on the sociale kaart."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select

from wijkwerk_tui.db.tables import Partner
from wijkwerk_tui.domain.edits import Base, EditConflict
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.ladders import Ladder, steps
from wijkwerk_tui.store import partners
from wijkwerk_tui.store.partners import PartnerData
from wijkwerk_tui.ui.dialogs.conflict import show_conflict
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.field import FormField


class PartnerForm(FormScreen):
    def __init__(self, partner: Partner | None = None) -> None:
        super().__init__()
        self.partner = partner
        self.form_title = "Partner wijzigen" if partner else "Nieuwe partner op de sociale kaart"
        self.base = Base(partner.version, partners.edit_values(partner)) if partner else None

    def compose_fields(self) -> ComposeResult:
        p = self.partner
        for name, label in (
            ("name", "Naam"),
            ("kind", "Soort"),
            ("phone", "Telefoon"),
            ("email", "E-mail"),
            ("website", "Website"),
            ("address", "Adres"),
        ):
            yield self.field(label, Input(getattr(p, name) if p else "", id=name, compact=True), name)
        options = [(Text(f"{s.number} {s.label}"), s.number) for s in steps(Ladder.SUPPORT)]
        current = p.support_step if p and p.support_step else Select.NULL
        yield self.field("Trede (verantw.)", select(options, current, id="support_step", prompt="geen"), "support_step")

    def save(self) -> Write:
        data = PartnerData(
            **{n: self.value_of(n) for n in ("name", "kind", "phone", "email", "website", "address", "support_step")}
        )
        db, worker, existing, base = self.app.db, self.app.worker_id, self.partner, self.base

        def write() -> str:
            if existing is None:
                partners.add_partner(db, worker, data)
                return "Partner toegevoegd aan de sociale kaart."
            partners.update_partner(db, worker, existing.id, data, base=base)
            return "Partner opgeslagen."

        return write

    def refused(self, error: DomainError) -> None:
        if isinstance(error, EditConflict) and self.base is not None:
            self.base = self.base.seen(error.theirs)
            show_conflict(list(self.query(FormField)), error)
            return
        super().refused(error)
