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
from datetime import datetime
from typing import Any, cast

from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import CHUNK, NotFound, get_live, get_live_many, touch
from wijkwerk_tui.db.tables import (
    ActivityResident,
    Area,
    AuditEvent,
    Contact,
    Goal,
    GroupActivity,
    ImportBatch,
    ImportRecord,
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
from wijkwerk_tui.store.ladders import Placement
from wijkwerk_tui.store.residents import NewResident
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
) -> tuple[dict[str, uuid.UUID], list[Area]]:
    """Every area the import names, by folded name, and the ones it had to make."""
    every = list(session.exec(select(Area)))
    found = {fold(a.name): a.id for a in every if a.deleted_at is None}
    gone = {a.name.lower(): a for a in every if a.deleted_at is not None}
    made: list[Area] = []
    for person in preview.people:
        wanted = fold(person.area)
        if person.area and wanted not in found:
            area = gone.pop(person.area.lower(), None)
            if area is not None:  # made by an import since undone: it comes back
                area.deleted_at = None
                session.add(touch(db, area))
                session.flush()
            else:
                area = area_store.create_in(session, db, actor, person.area)
            found[wanted] = area.id
            made.append(area)
    return found, made


Made = Resident | LadderStep | Contact | Signal | Area
_MODELS: dict[str, type[Made]] = {
    "resident": Resident,
    "ladderstep": LadderStep,
    "contact": Contact,
    "signal": Signal,
    "area": Area,
}


def _todo(session: Session, preview: Preview) -> list[tuple[Planned, list[tuple[Fact, str]]]]:
    """Who gets what, leaving out keys already there (looked up again inside the transaction:
    a second import of the same sheet, here or synced from elsewhere, may have come first)."""
    wanted = [k for p in preview.people for _f, k in p.facts] + [p.key for p in preview.people]
    done = imports.live_keys(session, wanted)
    result = []
    for person in preview.people:
        facts = [(f, k) for f, k in person.facts if k not in done]
        if person.resident_id is None and person.key in done:
            continue
        if person.resident_id is not None and not facts:
            continue
        result.append((person, facts))
    return result


def _residents(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    todo: list[tuple[Planned, list[tuple[Fact, str]]]],
    area_ids: dict[str, uuid.UUID],
) -> tuple[dict[int, uuid.UUID], list[tuple[str, Made]]]:
    """Each person's resident id (new ones made), and the new residents under their keys."""
    known = [p.resident_id for p, _f in todo if p.resident_id is not None]
    try:
        found = get_live_many(session, Resident, known, "Inwoner")
    except NotFound:
        raise DomainError(GONE) from None
    if any(r.anonymised_at is not None for r in found.values()):
        raise DomainError(GONE)
    new = [p for p, _f in todo if p.resident_id is None]
    items = []
    for p in new:
        person = p.person
        clean = check_personal_data(
            PersonalData(
                person.given,
                person.prefix,
                person.family,
                person.birth_year,
                person.birth_date,
                person.phone,
                person.email,
            ),
            db.today(),
        )
        area_id = area_ids.get(fold(p.area)) if p.area else None
        items.append(NewResident(clean, area_id, person.consent, db.today() if person.consent else None))
    made = residents.create_many_in(session, db, actor, items)
    ids = {id(p): p.resident_id for p, _f in todo if p.resident_id is not None}
    ids.update({id(p): r.id for p, r in zip(new, made, strict=True)})
    return ids, [(p.key, r) for p, r in zip(new, made, strict=True)]


def _facts(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    todo: list[tuple[Planned, list[tuple[Fact, str]]]],
    ids: dict[int, uuid.UUID],
) -> list[tuple[str, Made]]:
    """Every fact through the store's own functions, a kind at a time."""
    placements: list[tuple[str, Placement]] = []
    visits: list[tuple[str, tuple[uuid.UUID | None, ContactData, uuid.UUID | None]]] = []
    noticed: list[tuple[str, tuple[uuid.UUID | None, SignalData, uuid.UUID | None]]] = []
    for person, facts in todo:
        rid = ids[id(person)]
        for fact, key in facts:
            if fact.kind == "ladder":
                assert fact.step is not None
                placements.append((key, Placement(rid, Ladder(fact.code), fact.step, fact.on, note=fact.note)))
            elif fact.kind == "contact":
                visits.append((key, (rid, ContactData(fact.on, fact.code, note=fact.note), None)))
            else:
                noticed.append((key, (rid, SignalData(fact.code, noticed_on=fact.on, description=fact.note), None)))
    made: list[tuple[str, Made]] = []
    if placements:
        rows = ladders.record_many_in(session, db, actor, [p for _k, p in placements])
        made += [(k, r) for (k, _p), r in zip(placements, rows, strict=True)]
    if visits:
        rows_c = contacts.add_many_in(session, db, actor, [v for _k, v in visits])
        made += [(k, r) for (k, _v), r in zip(visits, rows_c, strict=True)]
    if noticed:
        rows_s = signals.add_many_in(session, db, actor, [n for _k, n in noticed])
        made += [(k, r) for (k, _n), r in zip(noticed, rows_s, strict=True)]
    return made


def apply(db: Database, actor: uuid.UUID | None, preview: Preview) -> Imported:
    """Write what the preview showed, all or nothing."""
    with db.transaction() as session:
        require_role(session, actor, "import")
        batch = imports.new_batch(
            session, db, actor, preview.file_name, preview.digest, len(preview.rows), preview.mapping
        )
        area_ids, new_areas = _area_ids(session, db, actor, preview)
        todo = _todo(session, preview)
        if not todo and not new_areas:
            # Another import of this sheet (another window, or a colleague) was done first.
            raise DomainError("Niets te importeren: alles uit dit bestand staat er al. Bekijk de proefrun opnieuw.")
        ids, new_residents = _residents(session, db, actor, todo, area_ids)
        facts = _facts(session, db, actor, todo, ids)
        session.flush()  # every version final: an undo compares them
        made: list[tuple[str, Made]] = [*new_residents, *facts]
        made += [(f"area:{area.id}", area) for area in new_areas]  # keyed by batch: no fact of the sheet
        imports.remember_all(session, db, actor, batch.id, made)
        kinds = Counter(str(row.__tablename__) for _k, row in facts)
        counts = {"ladder": kinds["ladderstep"], "contact": kinds["contact"], "signal": kinds["signal"]}
        new = len(new_residents)
        added_to = sum(1 for p, _f in todo if p.resident_id is not None)
        result = Imported(batch.id, new, added_to, counts, len(new_areas))
        batch.counts = json.dumps({"new": new, "added_to": added_to, "areas": len(new_areas), **counts})
        session.add(batch)
        # Counts and the batch id only: the file's name could name someone.
        detail = f"{str(batch.id)[:8]} nieuw={new} bij={added_to} feiten={len(facts)}"
        audit.record(session, db, actor, "import.run", None, detail)
        return result


def _made(session: Session, records: list[ImportRecord]) -> dict[uuid.UUID, Made]:
    """The rows an import made, a table at a time."""
    found: dict[uuid.UUID, Made] = {}
    for table, model in _MODELS.items():
        ids = [r.record_id for r in records if r.table_name == table]
        for start in range(0, len(ids), CHUNK):
            for row in session.exec(select(model).where(col(model.id).in_(ids[start : start + CHUNK]))):
                made = cast("Made", row)
                found[made.id] = made
    return found


@dataclass(frozen=True)
class Undone:
    removed: int
    kept: int  # changed since, or with more on file than the import made

    def message(self) -> str:
        text = f"Import ongedaan gemaakt: {counted(self.removed, 'regel', 'regels')} verwijderd."
        if self.kept:
            text += f" {counted(self.kept, 'regel bleef', 'regels bleven')} staan: sindsdien gewijzigd of aangevuld."
        return text


def _pointed_at(
    session: Session, column: str, targets: list[uuid.UUID], leaving: set[uuid.UUID], models: tuple[type[Any], ...]
) -> set[uuid.UUID]:
    """Which targets a live row points at (by `column`) that is not among the rows leaving."""
    busy: set[uuid.UUID] = set()
    for model in models:
        for start in range(0, len(targets), CHUNK):
            query = select(getattr(model, column), model.id).where(
                col(getattr(model, column)).in_(targets[start : start + CHUNK]), col(model.deleted_at).is_(None)
            )
            busy.update(target for target, row_id in session.exec(query) if row_id not in leaving)
    return busy


def _edited_since(session: Session, resident_ids: list[uuid.UUID], since: datetime) -> set[uuid.UUID]:
    """Residents whose own data a worker changed (or erased) since `since`, by the audit trail."""
    edited: set[uuid.UUID] = set()
    for start in range(0, len(resident_ids), CHUNK):
        query = select(AuditEvent.resident_id).where(
            col(AuditEvent.resident_id).in_(resident_ids[start : start + CHUNK]),
            col(AuditEvent.action).in_(("resident.update", "resident.erase", "resident.delete")),
            col(AuditEvent.at) >= since,
        )
        edited.update(rid for rid in session.exec(query) if rid is not None)
    return edited


def _scrub(row: Made) -> None:
    if isinstance(row, Resident):
        row.given_name = row.family_prefix = row.family_name = row.phone = row.email = ""
        row.birth_year, row.birth_date = None, None
        row.search_key = row.name_key = ""
    elif isinstance(row, LadderStep | Contact):
        row.note = ""
    elif isinstance(row, Signal):
        row.description = ""


def undo(db: Database, actor: uuid.UUID | None, batch_id: uuid.UUID) -> Undone:
    """Remove what the import made (soft delete, as everywhere), in one transaction.

    A row changed since the import stays (its version moved), and so does a new resident or
    area something else now points at: undo must not take a worker's work with it."""
    with db.transaction() as session:
        require_role(session, actor, "import")
        batch = get_live(session, ImportBatch, batch_id, "Import")
        if batch.undone_at is not None:
            raise DomainError("Deze import is al ongedaan gemaakt.")
        records = imports.records(session, batch_id)
        rows = _made(session, records)
        new_residents = [r.record_id for r in records if r.table_name == "resident"]
        edited = _edited_since(session, new_residents, batch.created_at)
        leaving = {
            r.record_id
            for r in records
            if r.record_id in rows
            and rows[r.record_id].deleted_at is None
            # A resident's version also moves with what is derived (his current step after a
            # later import): his own data counts as changed only by an edit, in the audit.
            and (
                r.record_version == rows[r.record_id].version
                if r.table_name != "resident"
                else r.record_id not in edited
            )
        }
        leaving -= _pointed_at(
            session,
            "resident_id",
            new_residents,
            leaving,
            (LadderStep, Contact, Signal, Referral, Goal, ActivityResident),
        )
        new_areas = [r.record_id for r in records if r.table_name == "area"]
        leaving -= _pointed_at(
            session, "area_id", new_areas, leaving, (Resident, Contact, Signal, Referral, GroupActivity)
        )
        now = db.now()
        placements: set[tuple[uuid.UUID, Ladder]] = set()
        visited: set[uuid.UUID] = set()
        for record in records:
            if record.record_id not in leaving:
                continue
            row = rows[record.record_id]
            row.deleted_at = now
            _scrub(row)  # an import taken back leaves no personal data behind (it was never meant to be here)
            session.add(touch(db, row))
            record.deleted_at = now  # the key is free again: the sheet may come in once more
            session.add(touch(db, record))
            if isinstance(row, LadderStep):
                placements.add((row.resident_id, Ladder(row.ladder)))
            if isinstance(row, Contact) and row.resident_id is not None:
                visited.add(row.resident_id)
        session.flush()
        # What the residents who stay derive from the rows that went.
        ladders.refresh_many(session, db, {(rid, ladder) for rid, ladder in placements if rid not in leaving})
        contacts.refresh_last_contacts(session, db, visited - leaving)
        batch.undone_at, batch.undone_by = now, actor
        session.add(touch(db, batch))
        gone = [rid for rid in new_residents if rid in leaving]
        audit.record_many(session, db, actor, [("resident.delete", rid, "import ongedaan") for rid in gone])
        kept = len(records) - len(leaving)
        audit.record(session, db, actor, "import.undo", None, f"{str(batch.id)[:8]} weg={len(leaving)} bleef={kept}")
        return Undone(len(leaving), kept)
