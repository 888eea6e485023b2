"""The residents on file an imported name could mean: same-sounding family names."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Area, Resident
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


def by_sound(db: Database, name_keys: Iterable[str]) -> dict[str, list[OnFile]]:
    """Live residents per phonetic family-name key (`Resident.name_key`, indexed)."""
    wanted = sorted({k for k in name_keys if len(k) >= 2})
    found: dict[str, list[OnFile]] = {}
    with db.reading() as session:
        for start in range(0, len(wanted), _CHUNK):
            rows = session.exec(
                select(Resident, Area.name)
                .join(Area, col(Area.id) == col(Resident.area_id), isouter=True)
                .where(
                    col(Resident.name_key).in_(wanted[start : start + _CHUNK]),
                    col(Resident.deleted_at).is_(None),
                    col(Resident.anonymised_at).is_(None),
                )
            ).all()
            for r, area in rows:
                named = Named(r.given_name, r.family_prefix, r.family_name, r.birth_year, r.birth_date)
                found.setdefault(r.name_key, []).append(OnFile(r.id, named, area or ""))
    return found


def live_residents(db: Database, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, OnFile]:
    """These residents, if still live (an earlier import's residents, found by key)."""
    wanted = list(set(ids))
    found: dict[uuid.UUID, OnFile] = {}
    with db.reading() as session:
        for start in range(0, len(wanted), _CHUNK):
            rows = session.exec(
                select(Resident, Area.name)
                .join(Area, col(Area.id) == col(Resident.area_id), isouter=True)
                .where(
                    col(Resident.id).in_(wanted[start : start + _CHUNK]),
                    col(Resident.deleted_at).is_(None),
                    col(Resident.anonymised_at).is_(None),
                )
            ).all()
            for r, area in rows:
                named = Named(r.given_name, r.family_prefix, r.family_name, r.birth_year, r.birth_date)
                found[r.id] = OnFile(r.id, named, area or "")
    return found
