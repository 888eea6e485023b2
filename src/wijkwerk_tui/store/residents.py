"""Residents (inwoners): their own data and consent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, stamp_new, touch
from wijkwerk_tui.db.tables import Area, Resident, ResidentMove
from wijkwerk_tui.domain.edits import Base, changes
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.names import PersonalData, check_personal_data, phonetic_key, search_key
from wijkwerk_tui.store import audit


def _area_name(session: Session, area_id: uuid.UUID | None) -> str:
    if area_id is None:
        return ""
    area = session.get(Area, area_id)
    if area is None or area.deleted_at is not None:
        raise ValidationError("area", "Kies een bestaand gebied.")
    return area.name


def _check_consent(consent: bool | None, consent_on: date | None, today: date) -> date | None:
    if consent is None:
        return None
    if consent_on is not None and consent_on > today:
        raise ValidationError("consent_on", "De datum van toestemming kan niet in de toekomst liggen.")
    return consent_on or today


def add_resident(
    db: Database,
    actor: uuid.UUID | None,
    data: PersonalData,
    area_id: uuid.UUID | None,
    consent_register: bool | None = None,
    consent_on: date | None = None,
) -> Resident:
    clean = check_personal_data(data, db.today())
    consent_on = _check_consent(consent_register, consent_on, db.today())
    with db.transaction() as session:
        resident = create_in(session, db, actor, clean, area_id, consent_register, consent_on)
        return resident


def create_in(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    clean: PersonalData,
    area_id: uuid.UUID | None,
    consent_register: bool | None,
    consent_on: date | None,
) -> Resident:
    """Insert a resident inside a caller's transaction (the intake saves more in the same one)."""
    return create_many_in(session, db, actor, [NewResident(clean, area_id, consent_register, consent_on)])[0]


@dataclass(frozen=True)
class NewResident:
    clean: PersonalData  # checked by `check_personal_data`
    area_id: uuid.UUID | None
    consent_register: bool | None
    consent_on: date | None


def create_many_in(
    session: Session, db: Database, actor: uuid.UUID | None, items: Sequence[NewResident]
) -> list[Resident]:
    """Insert residents inside a caller's transaction, in one flush (an import brings many)."""
    names: dict[uuid.UUID | None, str] = {}
    made = []
    for item in items:
        if item.area_id not in names:
            names[item.area_id] = _area_name(session, item.area_id)
        resident = Resident(
            **asdict(item.clean),
            area_id=item.area_id,
            consent_register=item.consent_register,
            consent_on=item.consent_on,
            search_key=search_key(item.clean, names[item.area_id]),
            name_key=phonetic_key(item.clean.family_name),
        )
        made.append(stamp_new(db, actor, resident))
    session.add_all(made)
    session.flush()
    audit.record_many(session, db, actor, [("resident.create", r.id, "") for r in made])
    return made


def edit_values(resident: Resident) -> dict[str, Any]:
    """The fields the edit form shows, as the store compares them (`domain.edits`)."""
    values: dict[str, Any] = {f: getattr(resident, f) for f in PersonalData.__dataclass_fields__}
    return {**values, "area_id": resident.area_id, "consent_register": resident.consent_register}


def update_resident(
    db: Database,
    actor: uuid.UUID | None,
    resident_id: uuid.UUID,
    data: PersonalData,
    area_id: uuid.UUID | None,
    consent_register: bool | None,
    consent_on: date | None = None,
    *,
    base: Base | None = None,
) -> Resident:
    """Write what changed; with `base` (what the form showed) only what the worker changed, and
    refuse (EditConflict) where someone else changed the same field since."""
    clean = check_personal_data(data, db.today())
    mine = {**asdict(clean), "area_id": area_id, "consent_register": consent_register}
    with db.transaction() as session:
        resident = get_live(session, Resident, resident_id, "Inwoner")
        changed = changes(base, mine, edit_values(resident), resident.version)
        if not changed:
            return resident
        if "consent_register" in changed:
            resident.consent_on = _check_consent(consent_register, consent_on, db.today())
        if "area_id" in changed and changed["area_id"] != resident.area_id:
            # The move is kept: a report of a past period counts him where he lived then.
            move = ResidentMove(
                resident_id=resident.id, from_area_id=resident.area_id, to_area_id=area_id, moved_on=db.today()
            )
            session.add(stamp_new(db, actor, move))
        for key, value in changed.items():
            setattr(resident, key, value)
        merged = PersonalData(**{f: getattr(resident, f) for f in PersonalData.__dataclass_fields__})
        resident.search_key = search_key(merged, _area_name(session, resident.area_id))
        resident.name_key = phonetic_key(resident.family_name)
        session.add(touch(db, resident))
        audit.record(session, db, actor, "resident.update", resident.id)
        return resident


def get_resident(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, *, audited: bool = True) -> Resident:
    """Load a resident; a look by a worker is an audited view."""
    with db.transaction() as session:
        resident = get_live(session, Resident, resident_id, "Inwoner")
        if audited:
            audit.record(session, db, actor, "resident.view", resident.id)
        return resident


def consent_on_file(db: Database, resident_id: uuid.UUID) -> tuple[bool | None, date | None]:
    """The registration consent on file and its date (not an audited view: no personal data)."""
    with db.reading() as session:
        resident = get_live(session, Resident, resident_id, "Inwoner")
        return resident.consent_register, resident.consent_on


def delete_resident(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID) -> None:
    """Soft delete: the row stays as a tombstone for sync and audit, but leaves every list."""
    with db.transaction() as session:
        resident = get_live(session, Resident, resident_id, "Inwoner")
        resident.deleted_at = db.now()
        session.add(touch(db, resident))
        audit.record(session, db, actor, "resident.delete", resident.id)


def count_residents(db: Database) -> int:
    with db.reading() as session:
        return session.exec(
            select(func.count())
            .select_from(Resident)
            .where(col(Resident.deleted_at).is_(None), col(Resident.anonymised_at).is_(None))
        ).one()
