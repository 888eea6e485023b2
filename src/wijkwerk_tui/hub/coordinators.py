"""Who may ask the hub for what only coordinators get (the organisation's report, handling its
audit alerts, giving it the organisation's key): the worker a laptop names must be an active
coordinator in the hub's own account records, under the organisation's id of him, and once
the hub has the organisation's key, as that key signed his record."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, select
from sqlmodel import col

from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db.sync_tables import HubTrust, core
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.accounts import COORDINATOR
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.hub.aliases import known_aliases


class NotForYou(DomainError):
    """Only for coordinators of the organisation. Message is Dutch."""


def coordinator(
    connection: Connection, worker_id: uuid.UUID, refused: str, signed: bool = True
) -> tuple[uuid.UUID, str]:
    """(the organisation's id of him, his name); NotForYou(`refused`) when he is not an active
    coordinator at the hub (`signed`: as the organisation's key signed him, once there is one)."""
    worker = known_aliases(connection).get(worker_id, worker_id)
    found = connection.execute(
        select(
            col(Worker.role), col(Worker.active), col(Worker.name), col(Worker.signature), col(Worker.public_key)
        ).where(col(Worker.id) == worker)
    ).first()
    if found is None or found.role != COORDINATOR or not found.active:
        raise NotForYou(refused)
    if signed and not signed_here(connection, found.name, found.role, found.signature, found.public_key):
        raise NotForYou(refused)
    return worker, str(found.name)


def signed_here(connection: Connection, name: str, role: str, signature: str, worker_key: str) -> bool:
    """Whether an active account's record is as the accepted key signed it (True before there
    is one: the hub then believes its records, as every laptop does)."""
    trust = core(HubTrust)
    public = connection.execute(select(trust.c.public_key).where(trust.c.accepted_at.is_not(None))).scalar()
    return not public or org_key.account_signed(public, name, role, True, signature, worker_key)
