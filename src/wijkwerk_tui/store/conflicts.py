"""Conflicts from the sync (two laptops changed one field without seeing each other): who may
see them, and a person's choice, which travels back to the hub as its own change.

Shown to coordinators and to the workers who made either change.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from wijkwerk_tui.db import capture
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import NotFound
from wijkwerk_tui.db.sync_codec import SYNCED, CodecError, decode, encode
from wijkwerk_tui.db.sync_tables import HubConflict
from wijkwerk_tui.db.tables import Area, OrgSetting, Resident, Setting, Worker
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.dates import format_date
from wijkwerk_tui.domain.names import full_name
from wijkwerk_tui.store import audit, settings
from wijkwerk_tui.store.access import viewer

CONFLICT_KEY = "_conflict"  # hub.merge reads it from a "resolve" change
FIELD_WORDS = {
    "given_name": "voornaam",
    "family_prefix": "tussenvoegsel",
    "family_name": "achternaam",
    "birth_year": "geboortejaar",
    "birth_date": "geboortedatum",
    "phone": "telefoon",
    "email": "e-mail",
    "area_id": "gebied",
    "consent_register": "toestemming",
    "consent_on": "datum toestemming",
    "consent_share": "toestemming delen",
    "status": "status",
    "deleted_at": "verwijderd",
    "description": "omschrijving",
    "note": "notitie",
    "feedback_due_on": "terugkoppeling uiterlijk",
    "follow_up_on": "opvolgen op",
    "name": "naam",
    "value": "waarde",
}
SETTING_WORDS = {
    settings.ORGANISATION_KEY: "naam van de organisatie",
    settings.LOCK_MINUTES_KEY: "vergrendelen na (minuten)",
    settings.RETENTION_KEY: "bewaartermijn (jaren)",
}


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    resident: str  # whose file (or the table's Dutch word when it is not about a resident)
    field: str  # Dutch
    kept: Any
    kept_by: str
    kept_at: str  # HLC text: readable time is made by the screen
    other: Any
    other_by: str
    other_at: str


def _aliases(session: Session) -> dict[uuid.UUID, uuid.UUID]:
    """The organisation's id -> this laptop's id of an area or worker both made."""
    row = session.get(Setting, settings.HUB_ALIASES_KEY)
    return {uuid.UUID(k): uuid.UUID(v) for k, v in json.loads(row.value if row else "{}").items()}


def _names(session: Session) -> dict[uuid.UUID, str]:
    """Workers and areas by id, also by the organisation's id of one this laptop knows by its own."""
    names = {w.id: w.name for w in session.exec(select(Worker))}
    names.update({a.id: a.name for a in session.exec(select(Area))})
    for hub_id, mine in _aliases(session).items():
        if mine in names:
            names[hub_id] = names[mine]
    return names


def _shown(value: Any, names: dict[uuid.UUID, str]) -> Any:
    """A value as a person reads it: a name for an id, a Dutch date for a date."""
    if isinstance(value, str):
        try:
            return names.get(uuid.UUID(value), value) if len(value) in (32, 36) else _as_date(value)
        except ValueError:
            return _as_date(value)
    return value


def _as_date(value: str) -> str:
    try:
        if "T" in value:
            return format_date(datetime.fromisoformat(value).astimezone(LOCAL_ZONE).date())
        if len(value) == 10:
            return format_date(date.fromisoformat(value))
    except ValueError:
        pass
    return value


def _whose(session: Session, conflict: HubConflict) -> str:
    model = SYNCED.get(conflict.table_name)
    if model is None:
        return conflict.table_name
    resident_id: uuid.UUID | None = conflict.row_id
    if conflict.table_name == "orgsetting":
        here = _aliases(session).get(conflict.row_id, conflict.row_id)  # this laptop's own row of that key
        setting = session.exec(select(OrgSetting).where(col(OrgSetting.id) == here)).first()
        key = setting.key if setting is not None else ""
        return f"instelling: {SETTING_WORDS.get(key, key)}"
    if conflict.table_name != "resident":
        row = session.exec(select(model).where(col(model.id) == conflict.row_id)).first()
        resident_id = getattr(row, "resident_id", None) if row is not None else None
    if resident_id is None:
        return conflict.table_name
    resident = session.exec(select(Resident).where(col(Resident.id) == resident_id)).first()
    if resident is None:
        return "onbekende inwoner"
    return full_name(resident.given_name, resident.family_prefix, resident.family_name) or "(geanonimiseerd)"


def open_for(db: Database, worker_id: uuid.UUID | None) -> list[ConflictView]:
    """The open conflicts this worker may decide: all for a coordinator, else his own."""
    with db.reading() as session:
        me = viewer(session, worker_id)
        names = _names(session)
        shown = []
        for c in session.exec(select(HubConflict).where(col(HubConflict.resolved_at).is_(None))):
            if me.role != "coordinator" and worker_id not in (c.hub_worker, c.their_worker):
                continue
            shown.append(
                ConflictView(
                    c.id,
                    _whose(session, c),
                    FIELD_WORDS.get(c.field, c.field),
                    _shown(json.loads(c.hub_value), names),
                    names.get(c.hub_worker, "onbekend") if c.hub_worker else "onbekend",
                    c.hub_hlc,
                    _shown(json.loads(c.their_value), names),
                    names.get(c.their_worker, "onbekend") if c.their_worker else "onbekend",
                    c.their_hlc,
                )
            )
        return shown


def choose(db: Database, actor: uuid.UUID | None, conflict_id: uuid.UUID, take_other: bool) -> None:
    """Decide a conflict: the chosen value on this laptop now, and on every laptop after the sync."""
    with db.transaction() as session:
        conflict = session.get(HubConflict, conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            raise NotFound("Dit conflict is al opgelost.")
        me = viewer(session, actor)
        if me.role != "coordinator" and actor not in (conflict.hub_worker, conflict.their_worker):
            raise NotFound("Dit conflict is al opgelost.")
        model = SYNCED.get(conflict.table_name)
        here = _aliases(session).get(conflict.row_id, conflict.row_id)  # an area or setting both laptops made
        row: Any = session.exec(select(model).where(col(model.id) == here)).first() if model else None
        if row is None:
            raise NotFound("Dit conflict is al opgelost.")
        try:
            value = decode(
                conflict.table_name,
                conflict.field,
                json.loads(conflict.their_value if take_other else conflict.hub_value),
            )
        except (CodecError, ValueError):
            raise NotFound("Dit conflict is al opgelost.") from None
        capture.skip_rows(session, {row.id})  # travels as the decision, not as an edit
        here = _aliases(session).get(value, value) if isinstance(value, uuid.UUID) else value
        setattr(row, conflict.field, here)  # this laptop's own id of the area or worker
        session.add(row)
        fields = {conflict.field: encode(value), CONFLICT_KEY: str(conflict.id)}
        capture.record(session, db, [capture.Change(conflict.table_name, row.id, "resolve", fields)])
        conflict.resolved_at = db.now()
        conflict.resolved_by = actor
        session.add(conflict)
        resident_id = row.id if conflict.table_name == "resident" else getattr(row, "resident_id", None)
        audit.record(session, db, actor, "conflict.resolve", resident_id, conflict.field)


def count_open(db: Database) -> int:
    with db.reading() as session:
        return len(list(session.exec(select(HubConflict.id).where(col(HubConflict.resolved_at).is_(None)))))
