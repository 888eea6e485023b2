"""The sociale kaart: partners one can refer to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypedDict

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, stamp_new, touch
from wijkwerk_tui.db.tables import Partner
from wijkwerk_tui.domain.edits import Base, changes
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import Ladder, validate_step
from wijkwerk_tui.domain.text import clean_line, fold


@dataclass(frozen=True)
class PartnerData:
    name: str
    kind: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    support_step: int | str | None = None


class _Checked(TypedDict):
    """A partner's fields as stored, after the checks."""

    name: str
    kind: str
    phone: str
    email: str
    website: str
    address: str
    support_step: int | None


def _check(data: PartnerData) -> _Checked:
    clean: _Checked = {
        "name": clean_line(data.name, "name", max_len=120, required=True, what="een naam"),
        "kind": clean_line(data.kind, "kind", max_len=80),
        "phone": clean_line(data.phone, "phone", max_len=40),
        "email": clean_line(data.email, "email", max_len=120),
        "website": clean_line(data.website, "website", max_len=200),
        "address": clean_line(data.address, "address", max_len=200),
        "support_step": None,
    }
    if clean["email"] and "@" not in str(clean["email"]):
        raise ValidationError("email", "Dit e-mailadres klopt niet.")
    if data.support_step not in (None, ""):
        clean["support_step"] = validate_step(Ladder.SUPPORT, data.support_step, "support_step")
    return clean


def add_partner(db: Database, actor: uuid.UUID | None, data: PartnerData) -> Partner:
    clean = _check(data)
    with db.transaction() as session:
        same = session.exec(select(Partner).where(col(Partner.deleted_at).is_(None))).all()
        if any(fold(p.name) == fold(str(clean["name"])) for p in same):
            raise ValidationError("name", "Deze partner staat al op de sociale kaart.")
        partner = stamp_new(db, actor, Partner(**clean))
        session.add(partner)
        return partner


def edit_values(partner: Partner) -> dict[str, Any]:
    return {f: getattr(partner, f) for f in PartnerData.__dataclass_fields__}


def update_partner(
    db: Database, actor: uuid.UUID | None, partner_id: uuid.UUID, data: PartnerData, *, base: Base | None = None
) -> Partner:
    """Only what changed (with `base`: what the worker changed; see `domain.edits`)."""
    clean = _check(data)
    with db.transaction() as session:
        partner = get_live(session, Partner, partner_id, "Partner")
        changed = changes(base, clean, edit_values(partner), partner.version)
        for key, value in changed.items():
            setattr(partner, key, value)
        if changed:
            session.add(touch(db, partner))
        return partner


def set_active(db: Database, actor: uuid.UUID | None, partner_id: uuid.UUID, active: bool) -> Partner:
    with db.transaction() as session:
        partner = get_live(session, Partner, partner_id, "Partner")
        partner.active = active
        session.add(touch(db, partner))
        return partner


def list_partners(db: Database, include_inactive: bool = False, query: str = "") -> list[Partner]:
    """Partners by name; `query` matches folded name or kind anywhere (type-ahead)."""
    with db.reading() as session:
        statement = select(Partner).where(col(Partner.deleted_at).is_(None))
        if not include_inactive:
            statement = statement.where(col(Partner.active).is_(True))
        partners = list(session.exec(statement.order_by(Partner.name)))
    needle = fold(query)
    return [p for p in partners if not needle or needle in fold(f"{p.name} {p.kind}")]
