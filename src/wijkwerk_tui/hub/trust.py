"""The organisation's public key at the hub (crypto.org_key).

A coordinator's `hub init` offers one; the hub's operator accepts it by typing the fingerprint
the coordinator reads to him (`wijkwerk hub accept-key`), so a worker who offers a key of his
own with his laptop's token gets nowhere. The accepted key is never replaced, and laptops pin
it. The hub holds no private half it can use: only each maker's copy wrapped by his passphrase.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col

from wijkwerk_tui.crypto import org_key, worker_key
from wijkwerk_tui.db.sync_tables import HubTrust, core
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.accounts import COORDINATOR
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.hub import coordinators

_TRUST = core(HubTrust)
MAX_WRAPPED = 2000
_ACCOUNT = ("role", "active", "signature", "public_key")
# An account's fields that its signature or its copies' own numbers decide: never a conflict
# for a person (hub.merge), since a choice between two signed states could make a third.
DECIDED = frozenset({*_ACCOUNT, "wrapped_key", "org_key"})


class NoSuchKey(DomainError):
    """`hub accept-key` named no key on offer, or one is accepted already. Message is Dutch."""


@dataclass(frozen=True)
class Offered:
    fingerprint: str
    maker: str
    made_at: datetime
    accepted: bool


def public_key(connection: Connection) -> str:
    """The accepted key ("" while there is none)."""
    found = connection.execute(select(_TRUST.c.public_key).where(_TRUST.c.accepted_at.is_not(None))).scalar()
    return str(found or "")


def in_use(connection: Connection) -> str:
    """The accepted key once an active coordinator's record at the hub is signed by it ("" till
    then): what the hub hands laptops to pin. Handed out before its maker's `hub init` signed
    the accounts, it would lock every coordinator out of every laptop that pinned it."""
    public = public_key(connection)
    if not public:
        return ""
    rows = connection.execute(
        select(col(Worker.name), col(Worker.signature), col(Worker.public_key)).where(
            col(Worker.role) == COORDINATOR, col(Worker.active)
        )
    )
    signed = (org_key.account_signed(public, r.name, COORDINATOR, True, r.signature, r.public_key) for r in rows)
    return public if any(signed) else ""


def accepted(engine: Engine) -> str:
    with engine.connect() as connection:
        return public_key(connection)


def current(engine: Engine) -> str:
    with engine.connect() as connection:
        return in_use(connection)


def account_fields(connection: Connection, row: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """What of an edit to an account the hub takes, once it has accepted a key (before, as
    ever: nothing of role, active or name). Its role, whether it is active and the worker's
    public key only travel signed, with a serial above the one the hub holds: the row as it
    would then stand must verify under the accepted key. So a token holder cannot make himself
    coordinator, switch someone else off (nor delete his row), slip in a key pair of his own,
    or send an older signed record again. A wrapped copy of the organisation's key must be one
    a holder of it made for that very account; a wrapped key pair of the worker's own, one he
    made (signed by that pair) and newer than the hub's. Nothing else of an account changes
    through sync (the name is one per organisation)."""
    public = public_key(connection)
    if row is None or not public:
        left_out = ("name", "deleted_at", "org_key", "wrapped_key", *_ACCOUNT)
        taken = {k: v for k, v in fields.items() if k not in left_out}
    else:
        taken = {k: v for k, v in fields.items() if k == "id"}
        role, active = fields.get("role", row.role), fields.get("active", row.active)
        signature, pair = str(fields.get("signature", row.signature)), str(fields.get("public_key", row.public_key))
        newer = org_key.signature_serial(signature) > org_key.signature_serial(row.signature)
        if newer and org_key.account_signed(public, row.name, role, bool(active), signature, pair):
            taken.update({k: fields[k] for k in _ACCOUNT if k in fields})
        copy = str(fields.get("org_key", ""))
        newer_copy = org_key.copy_counter(copy) > org_key.copy_counter(row.org_key)
        if "org_key" in fields and newer_copy and org_key.copy_signed(copy, public, row.name):
            taken["org_key"] = copy  # (an older copy sent back would bring an old passphrase back)
    if row is not None and "wrapped_key" in fields:
        pair = str(taken.get("public_key", row.public_key))
        copy = str(fields["wrapped_key"])
        onward = pair != row.public_key or worker_key.counter(copy) > worker_key.counter(row.wrapped_key)
        if onward and worker_key.copy_signed(copy, pair, row.name):
            taken["wrapped_key"] = copy
    return taken


def new_account(connection: Connection, fields: dict[str, Any]) -> dict[str, Any]:
    """A new account, once the hub has accepted a key: taken as a worker's, unsigned, unless its
    record verifies (a token holder's own "coordinator" is none, at the hub either). A wrapped
    key pair is kept only as the pair's own copy (laptops seal only to a signed pair anyway)."""
    public = public_key(connection)
    name = str(fields.get("name", ""))
    kept = fields
    if not worker_key.copy_signed(str(fields.get("wrapped_key", "")), str(fields.get("public_key", "")), name):
        kept = {**kept, "wrapped_key": ""}
    if not public:
        return kept
    role, active = str(fields.get("role", "")), bool(fields.get("active"))
    signature, pair = str(fields.get("signature", "")), str(fields.get("public_key", ""))
    if not org_key.account_signed(public, name, role, active, signature, pair):
        kept = {**kept, "role": "worker", "signature": ""}
    if not org_key.copy_signed(str(fields.get("org_key", "")), public, name):
        kept = {**kept, "org_key": ""}
    return kept


def publish(engine: Engine, worker_id: uuid.UUID, public: str, wrapped: str, now: datetime) -> dict[str, Any]:
    """Take `public` as this coordinator's offer (in place of an earlier one of his) while no key
    is accepted. The answer names the accepted key, else his offer; with his wrapped copy when
    he made it (a coordinator whose init was cut off after the acceptance takes his key back)."""
    if not org_key.is_public_key(public) or len(wrapped) > MAX_WRAPPED or org_key.wrapped_public(wrapped) != public:
        raise coordinators.NotForYou("De hub kon deze sleutel niet lezen.")
    with engine.begin() as connection:
        # (not `signed`: before a key is accepted nobody is; after it, a coordinator whose init
        # was cut off before his laptop signed him comes back for his copy)
        organisation_id, _name = coordinators.coordinator(
            connection, worker_id, "Alleen een coördinator mag de sleutel van de organisatie maken.", signed=False
        )
        accepted = connection.execute(select(_TRUST).where(_TRUST.c.accepted_at.is_not(None))).first()
        taken = connection.execute(select(_TRUST.c.made_by).where(_TRUST.c.public_key == public)).scalar()
        if taken is not None and taken != organisation_id:
            raise coordinators.NotForYou("Deze sleutel is al door een ander aangeboden.")
        if accepted is None:  # his latest offer stands: the fingerprint he reads out is its
            offer = pg_insert(_TRUST).values(public_key=public, made_by=organisation_id, wrapped=wrapped, made_at=now)
            connection.execute(
                offer.on_conflict_do_update(  # (never the accepted one, even if accepted meanwhile)
                    index_elements=[_TRUST.c.made_by],
                    set_={"public_key": public, "wrapped": wrapped, "made_at": now},
                    where=_TRUST.c.accepted_at.is_(None),
                )
            )
        held = accepted or connection.execute(select(_TRUST).where(_TRUST.c.made_by == organisation_id)).one()
        pairs = connection.execute(
            select(col(Worker.name), col(Worker.public_key)).where(col(Worker.deleted_at).is_(None))
        ).all()
    return {
        "public_key": held.public_key,
        "accepted": held.accepted_at is not None,
        "wrapped": held.wrapped if held.made_by == organisation_id else "",
        # (the accounts' public keys as the hub holds them: the init signs no other pair)
        "pairs": {str(r.name): str(r.public_key) for r in pairs},
    }


def offered(engine: Engine) -> list[Offered]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(_TRUST, col(Worker.name)).join(core(Worker), col(Worker.id) == _TRUST.c.made_by, isouter=True)
        ).all()
    return [
        Offered(org_key.fingerprint(r.public_key), str(r.name or "?"), r.made_at, r.accepted_at is not None)
        for r in sorted(rows, key=lambda r: r.made_at)
    ]


def accept(engine: Engine, fingerprint: str, now: datetime) -> str:
    """The hub's operator accepts the offered key with this fingerprint (spaces and case do not
    matter). Returns its maker's name; NoSuchKey when none matches or one is accepted."""
    wanted = "".join(fingerprint.split()).lower()
    with engine.begin() as connection:
        rows = connection.execute(select(_TRUST).with_for_update()).all()
        if any(r.accepted_at is not None for r in rows):
            raise NoSuchKey("De hub heeft al een geaccepteerde sleutel; die wordt nooit vervangen.")
        found = [r for r in rows if "".join(org_key.fingerprint(r.public_key).split()) == wanted]
        if len(found) != 1:
            raise NoSuchKey("Geen aangeboden sleutel met deze vingerafdruk (zie `wijkwerk hub devices`).")
        connection.execute(update(_TRUST).where(_TRUST.c.public_key == found[0].public_key).values(accepted_at=now))
        maker = connection.execute(select(col(Worker.name)).where(col(Worker.id) == found[0].made_by)).scalar()
    return str(maker or "?")


def unsigned_accounts(engine: Engine) -> list[tuple[str, str, bool]]:
    """Accounts at the hub whose record the accepted key did not sign (none before there is
    one): made on a laptop before it pinned the key (waiting for `hub sign`), or changed in
    the hub's database. (name, role, active)."""
    with engine.connect() as connection:
        public = public_key(connection)
        if not public:
            return []
        rows = connection.execute(
            select(Worker.name, Worker.role, Worker.active, Worker.signature, Worker.public_key)  # type: ignore[call-overload]
            .where(col(Worker.deleted_at).is_(None))
            .order_by(col(Worker.name))
        ).all()
    return [
        (r.name, r.role, bool(r.active))
        for r in rows
        if not org_key.account_signed(public, r.name, r.role, bool(r.active), r.signature, r.public_key)
    ]
