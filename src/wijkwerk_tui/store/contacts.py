"""Contact moments: one meeting with a resident, or an anonymous visit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, func, type_coerce
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, get_live_many, in_parts, stamp_new, touch
from wijkwerk_tui.db.tables import Contact, Resident
from wijkwerk_tui.domain.activities import CONTACT_KINDS
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_text
from wijkwerk_tui.domain.vocab import check_code
from wijkwerk_tui.store import audit


@dataclass(frozen=True)
class ContactData:
    contact_on: date
    kind: str = "walk_in"
    duration_min: int | str | None = None
    note: str = ""
    # A story for the report (anekdotische verantwoording): short, and written without names.
    is_story: bool = False
    story: str = ""


STORY_MAX = 600


def _duration(value: int | str | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 600:
        raise ValidationError("duration_min", "Vul een duur in minuten in, van 1 tot en met 600.")
    return int(text)


def add_contact(
    db: Database,
    actor: uuid.UUID | None,
    resident_id: uuid.UUID | None,
    data: ContactData,
    area_id: uuid.UUID | None = None,
) -> Contact:
    with db.transaction() as session:
        return add_in(session, db, actor, resident_id, data, area_id)


def add_in(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    resident_id: uuid.UUID | None,
    data: ContactData,
    area_id: uuid.UUID | None = None,
) -> Contact:
    return add_many_in(session, db, actor, [(resident_id, data, area_id)])[0]


def add_many_in(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    items: Sequence[tuple[uuid.UUID | None, ContactData, uuid.UUID | None]],
) -> list[Contact]:
    """Contacts (resident or None, what, area) inside the caller's transaction, in one flush."""
    made: list[Contact] = []
    for resident_id, data, area_id in items:
        kind = check_code(CONTACT_KINDS, data.kind, "kind", "soort contact")
        duration = _duration(data.duration_min)
        note = clean_text(data.note, "note", max_len=4000)
        story = clean_text(data.story, "story", max_len=STORY_MAX) if data.is_story else ""
        if data.is_story and not story:
            raise ValidationError("story", "Schrijf het verhaal in een paar zinnen, zonder namen.")
        if data.contact_on > db.today():
            raise ValidationError("contact_on", "Een contactmoment kan niet in de toekomst liggen.")
        contact = Contact(
            resident_id=resident_id,
            area_id=area_id,
            kind=kind,
            contact_on=data.contact_on,
            duration_min=duration,
            note=note,
            is_story=data.is_story,
            story=story,
            worker_id=actor,
        )
        made.append(stamp_new(db, actor, contact))
    residents = get_live_many(session, Resident, [c.resident_id for c in made if c.resident_id is not None], "Inwoner")
    for contact in made:
        if contact.resident_id is None:
            continue
        resident = residents[contact.resident_id]
        contact.area_id = contact.area_id or resident.area_id
        if resident.last_contact_on is None or contact.contact_on > resident.last_contact_on:
            resident.last_contact_on = contact.contact_on
            session.add(touch(db, resident))
    session.add_all(made)
    session.flush()
    audit.record_many(session, db, actor, [("contact.create", c.resident_id, c.kind) for c in made])
    return made


def refresh_last_contact(session: Session, db: Database, resident_id: uuid.UUID) -> None:
    """After contacts were removed in the caller's transaction: the resident's last contact date."""
    resident = get_live(session, Resident, resident_id, "Inwoner")
    resident.last_contact_on = session.exec(
        select(func.max(Contact.contact_on)).where(
            Contact.resident_id == resident_id, col(Contact.deleted_at).is_(None)
        )
    ).one()
    session.add(touch(db, resident))


def refresh_last_contacts(
    session: Session, db: Database, resident_ids: set[uuid.UUID], loaded: dict[uuid.UUID, Resident] | None = None
) -> None:
    """`refresh_last_contact` for many residents, in a few queries (`loaded`: the residents,
    when the caller has them)."""
    wanted = list(resident_ids)
    residents = loaded if loaded is not None else get_live_many(session, Resident, wanted, "Inwoner")
    last = last_contact_days(session, wanted)
    for rid, resident in residents.items():
        resident.last_contact_on = last.get(rid)
        session.add(touch(db, resident))


def last_contact_days(session: Session, wanted: list[uuid.UUID] | Select[Any] | None) -> dict[uuid.UUID, date]:
    """Resident -> day of the last contact, for these residents (ids, or a query of their ids) or
    (None) for everyone."""
    last: dict[uuid.UUID, date] = {}
    for part in in_parts(wanted):
        query = select(Contact.resident_id, func.max(Contact.contact_on)).where(col(Contact.deleted_at).is_(None))
        if part is not None:
            query = query.where(col(Contact.resident_id).in_(part))
        last.update(
            {rid: day for rid, day in session.exec(query.group_by(col(Contact.resident_id))) if rid is not None}
        )
    return last


def last_contact_days_stored(session: Session, wanted: Select[Any]) -> dict[str, date]:
    """`last_contact_days` keyed by the id as the file stores it (a join's pass over everyone)."""
    table = Contact.__table__  # type: ignore[attr-defined]
    stored_id = type_coerce(table.c.resident_id, String)
    query = (
        select(stored_id, func.max(table.c.contact_on))
        .where(table.c.deleted_at.is_(None), table.c.resident_id.in_(wanted))
        .group_by(table.c.resident_id)
    )
    return {rid: day for rid, day in session.execute(query) if rid is not None}


def for_resident(db: Database, resident_id: uuid.UUID, limit: int = 100) -> list[Contact]:
    with db.reading() as session:
        return list(
            session.exec(
                select(Contact)
                .where(Contact.resident_id == resident_id, col(Contact.deleted_at).is_(None))
                .order_by(col(Contact.contact_on).desc(), col(Contact.created_at).desc())
                .limit(limit)
            )
        )
