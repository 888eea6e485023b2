"""Laptops joining the organisation: one-time codes, device tokens, revocation.

Only hashes of codes and tokens are stored: a copy of the hub's database lets no one in.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from wijkwerk_tui.db.sync_tables import HubDevice, HubInvite, core
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.text import visible_line

INVITE_VALID = timedelta(hours=24)
_INVITE = core(HubInvite)
_DEVICE = core(HubDevice)
# Letters and digits that cannot be read as one another (no 0/O, 1/I/L).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


class NotAllowed(DomainError):
    """A code or token the hub does not accept. Message is Dutch."""


@dataclass(frozen=True)
class Device:
    id: str
    name: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in _ALPHABET)


def make_invite(engine: Engine, label: str, now: datetime) -> str:
    """A code for one laptop to join with, valid for a day; shown once, stored as a hash."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    with engine.begin() as connection:
        connection.execute(
            _INVITE.insert().values(
                code_hash=_hash(code), label=label[:120], made_at=now, expires_at=now + INVITE_VALID
            )
        )
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def join(engine: Engine, code: str, device_id: str, name: str, now: datetime) -> str:
    """Use a code: the laptop's token (shown to it once). A used or expired code is refused,
    and so is the id of a laptop that is joined (a coordinator revokes it first)."""
    try:
        device_id = str(uuid.UUID(device_id))
    except ValueError:
        raise NotAllowed("Deze laptop kan zich zo niet aanmelden.") from None
    name = visible_line(name)[:120]
    code_hash = _hash(normalise_code(code))
    token = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        # The row lock makes two laptops racing for one code take turns: one wins.
        invite = connection.execute(select(_INVITE).where(_INVITE.c.code_hash == code_hash).with_for_update()).first()
        if invite is None or invite.used_at is not None or invite.expires_at < now:
            raise NotAllowed(
                "Deze koppelcode is onbekend, al gebruikt of verlopen. Vraag een coördinator om een nieuwe."
            )
        connection.execute(
            update(_INVITE).where(_INVITE.c.code_hash == code_hash).values(used_at=now, used_by=device_id)
        )
        known = connection.execute(select(_DEVICE.c.revoked_at).where(_DEVICE.c.id == device_id)).first()
        if known is not None and known.revoked_at is None:
            raise NotAllowed(
                "Een laptop met deze id is al gekoppeld. Is deze laptop gekopieerd of teruggezet? Een "
                "coördinator ontkoppelt de oude eerst (wijkwerk hub revoke)."
            )
        values = {"name": name[:120], "token_hash": _hash(token), "joined_at": now, "revoked_at": None}
        if known:
            connection.execute(update(_DEVICE).where(_DEVICE.c.id == device_id).values(**values))
        else:
            connection.execute(_DEVICE.insert().values(id=device_id, **values))
    return token


def authenticate(engine: Engine, token: str, now: datetime) -> Device:
    with engine.begin() as connection:
        row = connection.execute(select(_DEVICE).where(_DEVICE.c.token_hash == _hash(token))).first()
        if row is None:
            raise NotAllowed("Deze laptop is niet gekoppeld aan de hub van de organisatie.")
        if row.revoked_at is not None:
            raise NotAllowed("Deze laptop is ontkoppeld door een coördinator. Vraag een nieuwe koppelcode.")
        connection.execute(update(_DEVICE).where(_DEVICE.c.id == row.id).values(last_seen_at=now))
    return Device(row.id, row.name)


def revoke(engine: Engine, device_id: str, now: datetime) -> bool:
    with engine.begin() as connection:
        done = connection.execute(
            update(_DEVICE).where(_DEVICE.c.id == device_id, _DEVICE.c.revoked_at.is_(None)).values(revoked_at=now)
        )
    return bool(done.rowcount)


def devices(engine: Engine) -> list[HubDevice]:
    with engine.connect() as connection:
        return [
            HubDevice.model_validate(row._mapping)
            for row in connection.execute(select(_DEVICE).order_by(_DEVICE.c.joined_at))
        ]
