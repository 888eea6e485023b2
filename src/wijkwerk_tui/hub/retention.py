"""The retention period, applied once for the whole organisation, at the hub.

A laptop sees only the contacts made or synced there: its own sweep would anonymise a resident
who still comes to another village hall. The hub holds every contact; what it anonymises goes
to every laptop as an erasure, like one made on a laptop (`merge.erase_at_hub`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text
from sqlmodel import col

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Resident, Worker
from wijkwerk_tui.domain import retention
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.hub import merge
from wijkwerk_tui.queries.retention import expired_query
from wijkwerk_tui.store import settings


def expired(db: Database, now: datetime) -> list[uuid.UUID]:
    """Residents past the organisation's term, by every laptop's contacts, without open work."""
    cutoff = retention.expiry_cutoff(now.astimezone(LOCAL_ZONE).date(), settings.retention_years(db))
    with db.engine.connect() as connection:
        query = expired_query(cutoff, last_from_contacts=True).with_only_columns(col(Resident.id))
        return list(connection.execute(query).scalars())


def sweep(db: Database, coordinator: Worker, now: datetime) -> int:
    """Anonymise them at the hub, in one transaction that takes turns with the laptops' pushes;
    each laptop takes the erasures in at its next sync."""
    cutoff = retention.expiry_cutoff(now.astimezone(LOCAL_ZONE).date(), settings.retention_years(db))
    with db.engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": merge.PUSH_LOCK})
        query = expired_query(cutoff, last_from_contacts=True)
        rows = list(connection.execute(query))  # plain rows: `_erase` reads id, version, anonymised_at
        for resident in rows:
            merge.erase_at_hub(connection, resident, coordinator.id, now)
    return len(rows)
