"""The retention period, applied once for the whole organisation, at the hub.

A laptop sees only the contacts made or synced there: its own sweep would anonymise a resident
who still comes to another village hall. The hub holds every contact; what it anonymises goes
to every laptop as an erasure, like one made on a laptop (`erase.erase_at_hub`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import col

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.sync_tables import HubChange, HubDevice, HubField, core
from wijkwerk_tui.db.tables import OrgSetting, Resident, Worker
from wijkwerk_tui.domain import retention
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.hub import erase, push_turn
from wijkwerk_tui.queries.retention import expired_query
from wijkwerk_tui.store import settings

# A laptop not seen for this long may hold contacts the hub has never seen: the sweep waits.
STALE_AFTER = timedelta(days=14)
_CHANGE, _DEVICE, _FIELD = core(HubChange), core(HubDevice), core(HubField)


@dataclass(frozen=True)
class SetBy:
    """Who last set the retention period, as the hub received it (for the operator to check)."""

    worker: str
    laptop: str
    received_at: datetime


def period_set_by(db: Database) -> SetBy | None:
    """The last change of the value that applied (its field's stamp), else the row's insert;
    not a laptop's value that met the hub's in a conflict (logged, but it did not apply)."""
    with db.engine.connect() as connection:
        row_id = connection.execute(
            select(col(OrgSetting.id)).where(col(OrgSetting.key) == settings.RETENTION_KEY)
        ).scalar()
        if row_id is None:
            return None
        of_row = select(_CHANGE.c.worker_id, _CHANGE.c.device_id, _CHANGE.c.received_at).where(
            _CHANGE.c.row_id == row_id
        )
        stamp = connection.execute(
            select(_FIELD.c.hlc).where(
                _FIELD.c.table_name == "orgsetting", _FIELD.c.row_id == row_id, _FIELD.c.field == "value"
            )
        ).scalar()
        which = _CHANGE.c.hlc == stamp if stamp else _CHANGE.c.kind == "insert"
        last = connection.execute(of_row.where(which).order_by(_CHANGE.c.seq.desc()).limit(1)).first()
        if last is None:
            return None
        worker = connection.execute(select(col(Worker.name)).where(col(Worker.id) == last.worker_id)).scalar()
        laptop = connection.execute(select(_DEVICE.c.name).where(_DEVICE.c.id == last.device_id)).scalar()
    return SetBy(worker or "onbekend", laptop or last.device_id, last.received_at)


def stale_laptops(db: Database, now: datetime) -> list[HubDevice]:
    """Joined laptops (not revoked) the hub has not heard from lately, or never."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(_DEVICE).where(
                _DEVICE.c.revoked_at.is_(None),
                (_DEVICE.c.last_seen_at.is_(None)) | (_DEVICE.c.last_seen_at < now - STALE_AFTER),
            )
        )
        return [HubDevice.model_validate(row._mapping) for row in rows]


def expired(db: Database, now: datetime) -> list[uuid.UUID]:
    """Residents past the organisation's term, by every laptop's contacts, without open work."""
    cutoff = retention.expiry_cutoff(now.astimezone(LOCAL_ZONE).date(), settings.retention_years(db))
    with db.engine.connect() as connection:
        query = expired_query(cutoff, last_from_contacts=True).with_only_columns(col(Resident.id))
        return list(connection.execute(query).scalars())


def sweep(db: Database, coordinator: Worker, now: datetime, years: int) -> int:
    """Anonymise them at the hub, in one transaction that takes turns with the laptops' pushes;
    each laptop takes the erasures in at its next sync. `years`: the term the operator
    confirmed; a push that changed it meanwhile stops the sweep."""
    cutoff = retention.expiry_cutoff(now.astimezone(LOCAL_ZONE).date(), years)
    with db.engine.begin() as connection:
        push_turn.take(connection)
        if settings.retention_years(db) != years:  # (read after the lock: no push is half-way)
            raise DomainError("De bewaartermijn is net veranderd. Kijk opnieuw (zonder --yes) wat er zou gebeuren.")
        query = expired_query(cutoff, last_from_contacts=True)
        rows = list(connection.execute(query))  # plain rows: `erase.erase` reads id, version, anonymised_at
        for resident in rows:
            erase.erase_at_hub(connection, resident, coordinator.id, now)
    return len(rows)
