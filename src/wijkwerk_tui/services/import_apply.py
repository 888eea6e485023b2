"""Writing an import the coordinator confirmed, and taking one back as a whole.

One transaction per import, through the same store functions as the screens (each new row
is audited and versioned like any other). Every row made is remembered under its import key
(`store.imports`): a key already there, from an earlier import or a second one running at
the same moment (a unique index), is skipped, so the same sheet twice adds nothing.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import cast

from sqlalchemy import func
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, touch
from wijkwerk_tui.db.tables import (
    ActivityResident,
    Area,
    Contact,
    Goal,
    ImportBatch,
    LadderStep,
    Referral,
    Resident,
    Signal,
)
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.import_rows import Fact
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData, check_personal_data
from wijkwerk_tui.domain.text import counted, fold
from wijkwerk_tui.services.import_plan import Planned, Preview
from wijkwerk_tui.store import areas as area_store
from wijkwerk_tui.store import audit, contacts, imports, ladders, residents, signals
from wijkwerk_tui.store.access import require_role
from wijkwerk_tui.store.contacts import ContactData
from wijkwerk_tui.store.signals import SignalData

GONE = "Een inwoner uit de voorvertoning is intussen verwijderd. Bekijk de import opnieuw."


@dataclass(frozen=True)
class Imported:
    batch_id: uuid.UUID
    residents_new: int
    residents_added_to: int
    facts: dict[str, int]
    areas_new: int

    def message(self) -> str:
        return (
            f"Geïmporteerd: {counted(self.residents_new, 'nieuwe inwoner', 'nieuwe inwoners')}, "
            f"{self.residents_added_to} bij bestaande, {counted(self.facts.get('ladder', 0), 'meting', 'metingen')}, "
            f"{counted(self.facts.get('contact', 0), 'contact', 'contacten')}, "
            f"{counted(self.facts.get('signal', 0), 'signaal', 'signalen')}. Kenmerk {str(self.batch_id)[:8]}."
        )


def _area_ids(
    session: Session, db: Database, actor: uuid.UUID | None, preview: Preview
) -> tuple[dict[str, uuid.UUID], list[uuid.UUID]]:
    """Every area the import names, by folded name, and the ones it had to make."""
    found = {fold(a.name): a.id for a in session.exec(select(Area).where(col(Area.deleted_at).is_(None)))}
    made: list[uuid.UUID] = []
    for person in preview.people:
        wanted = fold(person.area)
        if person.area and wanted not in found:
            area = area_store.create_in(session, db, actor, person.area)
            found[wanted] = area.id
            made.append(area.id)
    return found, made


def _add_fact(
    session: Session, db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, fact: Fact
) -> LadderStep | Contact | Signal:
    if fact.kind == "ladder":
        assert fact.step is not None
        return ladders.record_in(session, db, actor, resident_id, Ladder(fact.code), fact.step, fact.on, note=fact.note)
    if fact.kind == "contact":
        return contacts.add_in(session, db, actor, resident_id, ContactData(fact.on, fact.code, note=fact.note))
    signal = SignalData(fact.code, noticed_on=fact.on, description=fact.note)
    return signals.add_in(session, db, actor, resident_id, signal)


def _resident(
    session: Session, db: Database, actor: uuid.UUID | None, person: Planned, area_id: uuid.UUID | None
) -> tuple[Resident, bool]:
    if person.resident_id is not None:
        resident = session.exec(select(Resident).where(Resident.id == person.resident_id)).first()
        if resident is None or resident.deleted_at is not None or resident.anonymised_at is not None:
            raise DomainError(GONE)
        return resident, False
    p = person.person
    clean = check_personal_data(
        PersonalData(p.given, p.prefix, p.family, p.birth_year, p.birth_date, p.phone, p.email), db.today()
    )
    consent_on = db.today() if p.consent else None
    return residents.create_in(session, db, actor, clean, area_id, p.consent, consent_on), True


def apply(db: Database, actor: uuid.UUID | None, preview: Preview) -> Imported:
    """Write what the preview showed, all or nothing."""
    with db.transaction() as session:
        require_role(session, actor, "import")
        batch = imports.new_batch(
            session, db, actor, preview.file_name, preview.digest, len(preview.rows), preview.mapping
        )
        area_ids, new_areas = _area_ids(session, db, actor, preview)
        wanted = [k for p in preview.people for _f, k in p.facts] + [p.key for p in preview.people]
        done = imports.live_keys(session, wanted)  # again, inside the transaction
        counts: Counter[str] = Counter()
        new = added_to = 0
        for person in preview.people:
            facts = [(f, k) for f, k in person.facts if k not in done]
            if person.resident_id is not None and not facts:
                continue
            if person.resident_id is None and person.key in done:
                continue  # a second import of the same sheet got there first
            resident, made = _resident(session, db, actor, person, area_ids.get(fold(person.area)))
            if made:
                new += 1
                imports.remember(session, db, actor, batch.id, person.key, "resident", resident.id)
            else:
                added_to += 1
            for fact, key in facts:
                row = _add_fact(session, db, actor, resident.id, fact)
                imports.remember(session, db, actor, batch.id, key, str(row.__tablename__), row.id)
                counts[fact.kind] += 1
        for area_id in new_areas:  # keyed by batch: an area is no fact of the sheet
            imports.remember(session, db, actor, batch.id, f"area:{area_id}", "area", area_id)
        result = Imported(batch.id, new, added_to, dict(counts), len(new_areas))
        batch.counts = json.dumps(
            {"new": new, "added_to": added_to, "areas": result.areas_new, **{k: counts[k] for k in sorted(counts)}}
        )
        session.add(batch)
        session.flush()
        _stamp_versions(session, batch.id)
        # Counts and the batch id only: the file's name could name someone.
        detail = f"{str(batch.id)[:8]} nieuw={new} bij={added_to} feiten={sum(counts.values())}"
        audit.record(session, db, actor, "import.run", None, detail)
        return result


Made = Resident | LadderStep | Contact | Signal | Area
_MODELS: dict[str, type[Made]] = {
    "resident": Resident,
    "ladderstep": LadderStep,
    "contact": Contact,
    "signal": Signal,
    "area": Area,
}


def _made(session: Session, table: str, row_id: uuid.UUID) -> Made:
    model = _MODELS[table]
    return cast("Made", session.exec(select(model).where(col(model.id) == row_id)).one())


def _stamp_versions(session: Session, batch_id: uuid.UUID) -> None:
    """Note each made row's version once the import is complete (an undo compares it)."""
    for record in imports.records(session, batch_id):
        row = _made(session, record.table_name, record.record_id)
        record.record_version = row.version
        session.add(record)


@dataclass(frozen=True)
class Undone:
    removed: int
    kept: int  # changed since, or with more on file than the import made

    def message(self) -> str:
        text = f"Import ongedaan gemaakt: {counted(self.removed, 'regel', 'regels')} verwijderd."
        if self.kept:
            text += f" {counted(self.kept, 'regel bleef', 'regels bleven')} staan: sindsdien gewijzigd of aangevuld."
        return text


def _in_use(session: Session, resident_id: uuid.UUID, made: set[uuid.UUID]) -> bool:
    """Does anything live, not made by this import, hang on this resident?"""
    for model in (LadderStep, Contact, Signal, Referral, Goal, ActivityResident):
        query = (
            select(func.count())
            .select_from(model)
            .where(col(model.resident_id) == resident_id, col(model.deleted_at).is_(None), col(model.id).not_in(made))
        )
        if session.exec(query).one():
            return True
    return False


def _area_in_use(session: Session, area_id: uuid.UUID, made: set[uuid.UUID]) -> bool:
    for model in (Resident, Contact, Signal, Referral):
        query = (
            select(func.count())
            .select_from(model)
            .where(col(model.area_id) == area_id, col(model.deleted_at).is_(None), col(model.id).not_in(made))
        )
        if session.exec(query).one():
            return True
    return False


def undo(db: Database, actor: uuid.UUID | None, batch_id: uuid.UUID) -> Undone:
    """Remove what the import made (soft delete, as everywhere), in one transaction.

    A row changed since the import stays (its version moved), and so does a new resident
    with more on file than the import brought: undo must not take a worker's work with it."""
    with db.transaction() as session:
        require_role(session, actor, "import")
        batch = get_live(session, ImportBatch, batch_id, "Import")
        if batch.undone_at is not None:
            raise DomainError("Deze import is al ongedaan gemaakt.")
        records = imports.records(session, batch_id)
        rows = {r.record_id: (r, _made(session, r.table_name, r.record_id)) for r in records}
        made = set(rows)
        now = db.now()
        removed = kept = 0
        touched: set[tuple[uuid.UUID, str]] = set()
        order = ("ladderstep", "contact", "signal", "resident", "area")
        for table in order:
            for record, row in [(r, x) for r, x in rows.values() if r.table_name == table]:
                changed = row.deleted_at is not None or row.version != record.record_version
                if table == "resident":
                    assert isinstance(row, Resident)
                    changed = changed or _in_use(session, row.id, made)
                if table == "area":
                    changed = changed or _area_in_use(session, row.id, made)
                if changed:
                    kept += 1
                    if row.deleted_at is None:
                        made.discard(row.id)
                    continue
                row.deleted_at = now
                session.add(touch(db, row))
                record.deleted_at = now
                session.add(touch(db, record))
                removed += 1
                if isinstance(row, LadderStep):
                    touched.add((row.resident_id, row.ladder))
                if isinstance(row, Contact) and row.resident_id is not None:
                    touched.add((row.resident_id, "contact"))
            session.flush()
        gone = {x.id for _r, x in rows.values() if isinstance(x, Resident) and x.deleted_at is not None}
        for resident_id, what in touched:
            if resident_id in gone:
                continue
            if what == "contact":
                contacts.refresh_last_contact(session, db, resident_id)
            else:
                ladders.refresh_current(session, db, resident_id, Ladder(what))
        batch.undone_at, batch.undone_by = now, actor
        session.add(touch(db, batch))
        audit.record(session, db, actor, "import.undo", None, f"{str(batch.id)[:8]} weg={removed} bleef={kept}")
        return Undone(removed, kept)
