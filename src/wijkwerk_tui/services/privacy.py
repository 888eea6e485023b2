"""AVG duties that change data: erasure on request and the retention sweep.

Both anonymise rather than delete: the person's name, birth date, contact details
and every free text about them are wiped, while the dated facts (steps, signal
categories, referral statuses, contacts) stay, so the counts in past reports stay
true. Anonymous rows are no longer personal data. `secure_delete` (engine) makes
SQLite overwrite the old bytes instead of leaving them in free pages.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from wijkwerk_tui.db import capture, erasure
from wijkwerk_tui.db.engine import BUSY_TIMEOUT_MS, Database
from wijkwerk_tui.db.rows import get_live
from wijkwerk_tui.db.tables import Resident
from wijkwerk_tui.domain import retention
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.queries.retention import expired_query
from wijkwerk_tui.store import audit, erased, settings
from wijkwerk_tui.store.access import require_role


def _anonymise(session: Session, db: Database, resident: Resident, now: datetime) -> list[uuid.UUID]:
    """Erase him, and every record merged with him either way round (Samenvoegen: one person;
    a tombstone keeps its own name). The ids erased."""
    # Erasure travels to the hub as one change of its own, not as these edits (db.capture).
    capture.skip_rows(session, {resident.id})
    for name, value in erasure.RESIDENT_WIPE.items():
        setattr(resident, name, value)
    resident.anonymised_at = now
    resident.updated_at = now
    session.add(resident)
    erasure.wipe_children(session, resident.id, now)
    erasure.wipe_waiting(session, resident.id)
    capture.record(session, db, [capture.Change("resident", resident.id, "erase", {"anonymised_at": now.isoformat()})])
    done = [resident.id]
    same = (col(Resident.merged_into) == resident.id) | (col(Resident.id) == resident.merged_into)
    for other in session.exec(select(Resident).where(same, col(Resident.anonymised_at).is_(None))).all():
        done += _anonymise(session, db, other, now)
    return done


def erase_resident(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID) -> bool:
    """Erasure on request: the audit keeps that it happened (resident id, no personal data), and
    the register beside the database keeps the id, so no restore or older copy undoes it.

    Returns whether the old text is gone from the WAL too (False: another window of Wijkwerk
    is still reading; `fold_back` once it has closed)."""
    with db.transaction() as session:
        require_role(session, actor, "erase")
        resident = get_live(session, Resident, resident_id, "Inwoner")
        done = _anonymise(session, db, resident, db.now())
        for erased_id in done:
            audit.record(session, db, actor, "resident.erase", erased_id)
    if db.path.exists():
        for erased_id in done:
            erased.add(db.path, erased_id)
    return fold_back(db)


def reapply_erasures(db: Database) -> int:
    """Erase again whoever is in the register but not erased in this file (a restored backup,
    an older copy put in place). A decision a coordinator took: no role needed to enforce it."""
    wanted = erased.erased_ids(db.path)
    if not wanted:
        return 0
    with db.transaction() as session:
        back = list(
            session.exec(select(Resident).where(col(Resident.id).in_(wanted), col(Resident.anonymised_at).is_(None)))
        )
        for resident in back:
            if resident.anonymised_at is None:  # (not reached already as merged into another)
                for erased_id in _anonymise(session, db, resident, db.now()):
                    audit.record(session, db, None, "resident.erase.reapplied", erased_id)
    if back:
        fold_back(db)
    return len(back)


class DecidedAtHub(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "Deze laptop is gekoppeld aan de hub: de bewaartermijn past de hub toe voor de hele organisatie "
            "(wijkwerk hub retention), want wie hier lang niet kwam, kan elders nog in beeld zijn."
        )


def expired_count(db: Database) -> int:
    cutoff = retention.expiry_cutoff(db.today(), settings.retention_years(db))
    with db.reading() as session:
        if db.joined(session):  # (joined by another process since this one opened the file too)
            raise DecidedAtHub()
        query = expired_query(cutoff).subquery()
        return int(session.exec(select(func.count()).select_from(query)).one())


def retention_sweep(db: Database, actor: uuid.UUID | None) -> int:
    """Anonymise every resident past the term without open work. One transaction."""
    cutoff = retention.expiry_cutoff(db.today(), settings.retention_years(db))
    now = db.now()
    with db.transaction() as session:
        if db.joined(session):
            raise DecidedAtHub()
        require_role(session, actor, "retention")
        expired = list(session.exec(expired_query(cutoff)))
        for resident in expired:
            if resident.anonymised_at is None:  # (not reached already as merged into another)
                for erased_id in _anonymise(session, db, resident, now):
                    audit.record(session, db, actor, "resident.anonymise", erased_id, detail="retention")
        audit.record(session, db, actor, "retention.sweep", detail=f"count={len(expired)}")
    fold_back(db)
    return len(expired)


FOLD_TRIES = 20


def fold_back(db: Database) -> bool:
    """Leave no copy of the old name behind; True when that is done.

    FTS5 keeps deleted tokens in older index segments until they are merged, so the
    index is merged now ('optimize'); then the WAL is folded back into the file and
    emptied, so old page versions do not linger in it. Another connection that is reading
    keeps the WAL: tried a few times, then the caller says so.
    """
    if db.engine.dialect.name != "sqlite":
        return True
    with db.transaction() as session:  # (a write turn like any other: a save made meanwhile waits)
        session.execute(text("INSERT INTO resident_fts(resident_fts) VALUES ('optimize')"))
    with db.engine.connect() as connection:
        # Each try asks once: SQLite's busy handler would wait out its whole timeout on a reader
        # while holding back every writer (a save failed after 5 s, twenty tries over: 100 s).
        connection.exec_driver_sql("PRAGMA busy_timeout = 0")
        try:
            for attempt in range(FOLD_TRIES):
                busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
                if not busy:
                    return True
                time.sleep(0.05 * (attempt + 1) / FOLD_TRIES)  # a reader finishing its statement
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return False
