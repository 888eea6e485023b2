"""The residents on file an imported name could mean: same-sounding family names."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Area, Contact, LadderStep, Resident, Signal
from wijkwerk_tui.domain.names import full_name
from wijkwerk_tui.domain.person_match import Named

_CHUNK = 500


@dataclass(frozen=True)
class OnFile:
    id: uuid.UUID
    named: Named
    area: str

    @property
    def shown(self) -> str:
        name = full_name(self.named.given, self.named.prefix, self.named.family)
        return f"{name} ({self.named.birth_year})" if self.named.birth_year else name


def _live(db: Database, column: Any, values: list[Any]) -> list[tuple[str, OnFile]]:
    """Live residents whose `column` is one of `values`, read in chunks: (name key, resident)."""
    found: list[tuple[str, OnFile]] = []
    with db.reading() as session:
        for start in range(0, len(values), _CHUNK):
            rows = session.exec(
                select(Resident, Area.name)
                .join(Area, col(Area.id) == col(Resident.area_id), isouter=True)
                .where(
                    col(column).in_(values[start : start + _CHUNK]),
                    col(Resident.deleted_at).is_(None),
                    col(Resident.anonymised_at).is_(None),
                )
            ).all()
            for r, area in rows:
                named = Named(r.given_name, r.family_prefix, r.family_name, r.birth_year, r.birth_date)
                found.append((r.name_key, OnFile(r.id, named, area or "")))
    return found


def by_sound(db: Database, name_keys: Iterable[str]) -> dict[str, list[OnFile]]:
    """Live residents per phonetic family-name key (`Resident.name_key`, indexed)."""
    found: dict[str, list[OnFile]] = {}
    for key, resident in _live(db, Resident.name_key, sorted({k for k in name_keys if len(k) >= 2})):
        found.setdefault(key, []).append(resident)
    return found


def live_residents(db: Database, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, OnFile]:
    """These residents, if still live (an earlier import's residents, found by key)."""
    return {resident.id: resident for _key, resident in _live(db, Resident.id, list(set(ids)))}


def facts_on_file(db: Database, resident_ids: Iterable[uuid.UUID]) -> set[tuple[object, ...]]:
    """What these residents' files hold, as an import compares it: (id, "ladder", ladder, step,
    date), (id, "contact", kind, None, date) and (id, "signal", category). No text, no ids of
    the rows (a confidential signal shows only that its category is on file)."""
    wanted = list(set(resident_ids))
    found: set[tuple[object, ...]] = set()
    with db.reading() as session:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            live = col(LadderStep.deleted_at).is_(None)
            for placed, ladder, step, on in session.exec(
                select(
                    col(LadderStep.resident_id),
                    col(LadderStep.ladder),
                    col(LadderStep.step),
                    col(LadderStep.measured_on),
                ).where(col(LadderStep.resident_id).in_(chunk), live)
            ):
                found.add((placed, "ladder", ladder, step, on))
            for visited, kind, on in session.exec(
                select(col(Contact.resident_id), col(Contact.kind), col(Contact.contact_on)).where(
                    col(Contact.resident_id).in_(chunk), col(Contact.deleted_at).is_(None)
                )
            ):
                found.add((visited, "contact", kind, None, on))
            for noticed, category in session.exec(
                select(col(Signal.resident_id), col(Signal.category)).where(
                    col(Signal.resident_id).in_(chunk), col(Signal.deleted_at).is_(None)
                )
            ):
                found.add((noticed, "signal", category))
    return found
