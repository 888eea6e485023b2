"""The organisation's public key at the hub (crypto.org_key): the first a coordinator gives is
kept and never replaced through the API, and every laptop pins it when it joins. The hub holds
no private half it can use: only the maker's copy wrapped by his passphrase."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db.sync_tables import HubTrust, core
from wijkwerk_tui.domain.accounts import account_record
from wijkwerk_tui.hub import coordinators

_TRUST = core(HubTrust)
MAX_WRAPPED = 2000


def public_key(connection: Connection) -> str:
    return str(connection.execute(select(_TRUST.c.public_key)).scalar() or "")


def signed(public: str, name: str, role: str, active: bool, signature: str) -> bool:
    return bool(public) and org_key.verify(public, account_record(name, role, active), signature)


def account_fields(connection: Connection, row: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """What of an edit to an account the hub takes. Its role and whether it is active only
    travel signed: with the signature sent, the row as it would then stand must verify under
    the organisation's key (before `hub init` they never travel). So a token holder cannot
    make himself coordinator, or switch someone else off, everywhere. The name never changes
    (one per organisation); a wrapped copy of the key must name the organisation's key."""
    public = public_key(connection)
    taken = {k: v for k, v in fields.items() if k not in ("role", "active", "name", "signature", "org_key")}
    role, active = fields.get("role", row.role), fields.get("active", row.active)
    signature = fields.get("signature", row.signature)
    if signed(public, row.name, role, active, signature):
        taken.update({k: fields[k] for k in ("role", "active", "signature") if k in fields})
    if "org_key" in fields and public and org_key.wrapped_public(str(fields["org_key"])) == public:
        taken["org_key"] = fields["org_key"]
    return taken


def current(engine: Engine) -> str:
    with engine.connect() as connection:
        return public_key(connection)


def publish(engine: Engine, worker_id: uuid.UUID, public: str, wrapped: str, now: datetime) -> dict[str, str]:
    """Keep `public` unless the hub has a key already; the answer names the key it holds, and
    gives the wrapped copy back only to the coordinator who made it (to finish his init)."""
    if not org_key.is_public_key(public) or len(wrapped) > MAX_WRAPPED or org_key.wrapped_public(wrapped) != public:
        raise coordinators.NotForYou("De hub kon deze sleutel niet lezen.")
    with engine.begin() as connection:
        # (not `signed`: a coordinator whose init was cut off before his laptop signed him
        # comes back for his copy; the key held is never replaced whoever asks)
        organisation_id, _name = coordinators.coordinator(
            connection, worker_id, "Alleen een coördinator mag de sleutel van de organisatie maken.", signed=False
        )
        connection.execute(
            pg_insert(_TRUST)
            .values(id=1, public_key=public, made_by=organisation_id, wrapped=wrapped, made_at=now)
            .on_conflict_do_nothing()
        )
        held = connection.execute(select(_TRUST)).one()
    return {"public_key": held.public_key, "wrapped": held.wrapped if held.made_by == organisation_id else ""}
