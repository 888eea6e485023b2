"""The names a story in a report is checked against: every resident's and worker's given name
and the spelling-tolerant key of every family name. Read for matching only, never shown."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Resident, Worker
from wijkwerk_tui.domain.names import phonetic_key, split_full_name
from wijkwerk_tui.domain.story_check import Names
from wijkwerk_tui.domain.text import fold
from wijkwerk_tui.store.access import require_role


def known_names(db: Database, actor: uuid.UUID | None) -> Names:
    """Coordinators only (they make the report)."""
    given: set[str] = set()
    family: set[str] = set()
    with db.reading() as session:
        require_role(session, actor, "report")
        rows = session.execute(
            select(col(Resident.given_name), col(Resident.family_name)).where(col(Resident.deleted_at).is_(None))
        )
        for first, last in rows:
            given.update(fold(part) for part in first.split())
            family.add(phonetic_key(last))
        for (name,) in session.execute(select(col(Worker.name))):
            first, _prefix, last = split_full_name(name)
            given.update(fold(part) for part in first.split())
            family.add(phonetic_key(last))
    given.discard("")
    family.discard("")
    return Names(frozenset(given), frozenset(family))
