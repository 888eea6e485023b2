"""Laptops joining the organisation: one-time codes, device tokens, epochs, revocation.

Only hashes of codes and tokens are stored: a copy of the hub's database lets no one in.

Every sync starts by taking a new epoch (`next_epoch`), which the laptop stores and shows on
each request after it; the first use makes it the device's epoch. A laptop that shows an
older one went back in time (restored from a backup) or is one of two copies of a disk: it
is refused before anything it sends is applied (`Rewound`), and goes on as a new device of
its own (`rejoin`), so the hub's history of one device id is always one line.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, or_, select, update

from wijkwerk_tui.db.sync_tables import HubDevice, HubInvite, HubScope, core
from wijkwerk_tui.domain import revocation
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.text import visible_line
from wijkwerk_tui.hub import scope

INVITE_VALID = timedelta(hours=24)
REJOIN_WITHIN = timedelta(hours=1)  # after the hub saw it show an older epoch
COPIES_PER_DAY, COPY_WINDOW = 5, timedelta(hours=24)  # new devices one device's token may make
_INVITE = core(HubInvite)
_DEVICE = core(HubDevice)
_SCOPE = core(HubScope)
# Letters and digits that cannot be read as one another (no 0/O, 1/I/L).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


class NotAllowed(DomainError):
    """A code or token the hub does not accept. Message is Dutch."""


class Revoked(NotAllowed):
    """This laptop was revoked: the answer carries the proof it checks before it wipes itself."""

    def __init__(self, device_id: str, wipe_key: str) -> None:
        super().__init__(
            "Deze laptop is ontkoppeld door een coördinator. Zijn gegevens worden gewist; vraag een "
            "coördinator om een nieuwe koppelcode."
        )
        self.proof = revocation.proof(wipe_key, device_id) if wipe_key else ""


class Rewound(DomainError):
    """This laptop's database is older than what the hub saw of it, or a copy synced since."""

    def __init__(self) -> None:
        super().__init__("Deze laptop is teruggezet uit een back-up of gekopieerd; hij gaat verder als nieuw apparaat.")


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    areas: str = ""  # hub.scope: "" holds the whole organisation


_hash = revocation.secret_hash


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in _ALPHABET)


def make_invite(engine: Engine, label: str, now: datetime, areas: str = "") -> str:
    """A code for one laptop to join with, valid for a day; shown once, stored as a hash.
    `areas`: the area ids it will serve (hub.scope), "" for the whole organisation."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    with engine.begin() as connection:
        connection.execute(
            _INVITE.insert().values(
                code_hash=_hash(code), label=label[:120], made_at=now, expires_at=now + INVITE_VALID, areas=areas
            )
        )
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _secret() -> str:
    return secrets.token_urlsafe(32)


def join(engine: Engine, code: str, device_id: str, name: str, now: datetime) -> tuple[str, str, str]:
    """Use a code: the laptop's token (shown to it once), first epoch and wipe key (its
    revocation's proof, `domain.revocation`). A used or expired code is refused, and so is the
    id of a laptop that is joined (a coordinator revokes it first)."""
    try:
        device_id = str(uuid.UUID(device_id))
    except ValueError:
        raise NotAllowed("Deze laptop kan zich zo niet aanmelden.") from None
    name = visible_line(name)[:120]
    code_hash = _hash(normalise_code(code))
    token, epoch, wipe_key = _secret(), _secret(), _secret()
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
        values = {
            "name": name[:120],
            "token_hash": _hash(token),
            "joined_at": now,
            "revoked_at": None,
            "epoch": _hash(epoch),
            "epoch_next": None,
            "wipe_key": wipe_key,
            "areas": invite.areas,
        }
        if known:
            connection.execute(delete(_SCOPE).where(_SCOPE.c.device_id == device_id))  # (holds nothing yet)
            connection.execute(update(_DEVICE).where(_DEVICE.c.id == device_id).values(**values))
        else:
            connection.execute(_DEVICE.insert().values(id=device_id, **values))
    return token, epoch, wipe_key


def _device_row(connection: Connection, token: str) -> Any:
    # The row lock: two copies of one laptop checking their epochs take turns.
    shown = _hash(token)
    row = connection.execute(
        select(_DEVICE).where(or_(_DEVICE.c.token_hash == shown, _DEVICE.c.token_next == shown)).with_for_update()
    ).first()
    if row is None:
        raise NotAllowed("Deze laptop is niet gekoppeld aan de hub van de organisatie.")
    if row.revoked_at is not None:
        raise Revoked(row.id, row.wipe_key)
    if row.token_next is not None and hmac.compare_digest(shown, row.token_next):
        # The laptop kept its new token: from now on only that one opens the hub.
        connection.execute(update(_DEVICE).where(_DEVICE.c.id == row.id).values(token_hash=shown, token_next=None))
        row = connection.execute(select(_DEVICE).where(_DEVICE.c.id == row.id)).one()
    return row


def rotate_token(engine: Engine, device: Device) -> str:
    """A new token for this laptop. The old one keeps working until the laptop shows the new
    one (an answer lost on the way leaves it the old), then never again: so a copy of the old
    token, read out of the laptop's database by a worker since switched off, opens nothing."""
    token = _secret()
    with engine.begin() as connection:
        connection.execute(update(_DEVICE).where(_DEVICE.c.id == device.id).values(token_next=_hash(token)))
    return token


def authenticate(engine: Engine, token: str, epoch: str, now: datetime) -> Device:
    """The device of this token, if the laptop shows its current epoch (or the one handed out
    last, which then becomes current)."""
    shown = _hash(epoch)
    with engine.begin() as connection:
        row = _device_row(connection, token)
        values: dict[str, Any] = {"last_seen_at": now}
        if row.epoch_next is not None and hmac.compare_digest(shown, row.epoch_next):
            values.update(epoch=shown, epoch_next=None)
        elif row.epoch and not hmac.compare_digest(shown, row.epoch):
            # (A laptop joined before epochs existed has none yet: its first sync gives it one.)
            values["rewound_at"] = now  # (noted: its token may now make a new device, `rejoin`)
        connection.execute(update(_DEVICE).where(_DEVICE.c.id == row.id).values(**values))
    if "rewound_at" in values:
        raise Rewound()
    return Device(row.id, row.name, row.areas)


def next_epoch(engine: Engine, device: Device) -> str:
    """A new epoch for this sync (replacing one handed out before and never used)."""
    epoch = _secret()
    with engine.begin() as connection:
        connection.execute(update(_DEVICE).where(_DEVICE.c.id == device.id).values(epoch_next=_hash(epoch)))
    return epoch


def rejoin(engine: Engine, token: str, new_id: str, now: datetime) -> tuple[str, str, str]:
    """A laptop told it was restored or copied goes on under a new id of its own, with its old
    token (no code: it was let in before). The old device stays as it is: another copy may
    still be using it, and a coordinator can revoke either."""
    try:
        new_id = str(uuid.UUID(new_id))
    except ValueError:
        raise NotAllowed("Deze laptop kan zich zo niet aanmelden.") from None
    token_new, epoch, wipe_key = _secret(), _secret(), _secret()
    with engine.begin() as connection:
        row = _device_row(connection, token)
        if connection.execute(select(_DEVICE.c.id).where(_DEVICE.c.id == new_id)).first() is not None:
            raise NotAllowed("Deze laptop kan zich zo niet aanmelden.")
        if row.rewound_at is None or now - row.rewound_at > REJOIN_WITHIN:
            # Only a laptop the hub saw going back in time: else a worker with Python could make
            # his rebuilt audit trail pass for a restore's (hub.audit_anchor).
            raise NotAllowed("Deze laptop is niet teruggezet of gekopieerd; hij gaat verder als zichzelf.")
        if _copies_lately(connection, row.id, now) >= COPIES_PER_DAY:
            # A restore or a copy is rare; a token used to make device after device is not.
            raise NotAllowed(
                "Deze laptop is vandaag al te vaak als nieuw apparaat aangemeld. Vraag een coördinator om een "
                "nieuwe koppelcode."
            )
        connection.execute(
            _DEVICE.insert().values(
                id=new_id,
                name=row.name,
                token_hash=_hash(token_new),
                joined_at=now,
                last_seen_at=now,
                epoch=_hash(epoch),
                copied_from=row.id,
                wipe_key=wipe_key,
                areas=row.areas,
                areas_from=row.areas_from,
            )
        )
    return token_new, epoch, wipe_key


def _root(connection: Connection, device_id: str) -> str:
    """The device this one is (through restores and copies) a copy of, first joined with a code."""
    return scope.line(connection, device_id)[-1]


def _copies_lately(connection: Connection, device_id: str, now: datetime) -> int:
    """New devices made from this one's line (its root and every copy of it) in the last day: a
    copy's own token must not make five more, and so on."""
    root = _root(connection, device_id)
    recent = connection.execute(
        select(_DEVICE.c.id).where(_DEVICE.c.copied_from.is_not(None), _DEVICE.c.joined_at > now - COPY_WINDOW)
    ).scalars()
    return sum(1 for copy in recent if _root(connection, copy) == root)


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
