"""The hub as the audit's anchor (issue 18).

Every laptop pushes its own audit entries, and each entry's hash covers the previous one of
its chain. Whoever holds a laptop's key can delete its newest entries or rebuild its whole
chain, but not what the hub already holds: an entry that does not go on from the hub's copy
of its chain is flagged (never refused, so nothing of the laptop's work is lost), as a Dutch
alert for coordinators (`alerts`, `wijkwerk check --hub`, and on every laptop after a sync):

- teruggezet: an entry numbered like one the hub holds, sent by a restore or copy of that
  laptop (hub.devices noticed it): a legitimate restore, shown as one;
- ingekort: the same, sent by that laptop itself: its newest entries were deleted, or the
  chain rebuilt, and it writes again over numbers the hub has;
- gat: the entry before it never reached the hub (deleted before it was sent);
- breuk: it names as its previous an entry the hub does not hold as such;
- gewijzigd: its hash is not the one its own columns make (changed after it was written);
- geweigerd: a laptop sent entries it may not (another's chain, a swapped worker): not taken.

`verify` checks the hub's own copy of every chain, as `wijkwerk check` does on a laptop.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select
from sqlmodel import Session

from wijkwerk_tui.db.sync_tables import HubAuditAlert, HubDevice, core
from wijkwerk_tui.db.tables import AuditEvent
from wijkwerk_tui.domain.sync_words import audit_alert_said
from wijkwerk_tui.hub import push_turn
from wijkwerk_tui.hub.changes import Incoming
from wijkwerk_tui.hub.coordinators import coordinator
from wijkwerk_tui.store import audit

_ALERT, _AUDIT, _DEVICE = core(HubAuditAlert), core(AuditEvent), core(HubDevice)
SEEN_AT_ONCE = 100  # alerts marked handled in one request (a laptop keeps as many)


def check(connection: Connection, sender: str, entries: list[Incoming], now: datetime) -> int:
    """Flag each chain whose entries in this push do not go on from the hub's copy (before they
    are applied). Returns how many alerts it made."""
    if not entries:
        return 0
    # Where the hub holds any of these ids already: the same entry sent again is nothing new; an
    # id it holds at another place is dropped when applied, so what links to it has a hole.
    ids = [e.row_id for e in entries]
    placed = {
        row.id: (row.device_id, row.device_seq)
        for row in connection.execute(
            select(_AUDIT.c.id, _AUDIT.c.device_id, _AUDIT.c.device_seq).where(_AUDIT.c.id.in_(ids))
        )
    }
    by_chain: dict[str, list[Incoming]] = defaultdict(list)
    for entry in entries:
        by_chain[str(entry.values.get("device_id"))].append(entry)
    made = 0
    for chain, items in by_chain.items():
        items.sort(key=_number)  # (a laptop joined before 0018 may send its old trail after a new entry)
        numbers = {_number(e) for e in items}
        wanted = numbers | {n - 1 for n in numbers}
        held: dict[int, dict[uuid.UUID, str]] = defaultdict(dict)
        query = select(_AUDIT.c.device_seq, _AUDIT.c.id, _AUDIT.c.hash).where(
            _AUDIT.c.device_id == chain, _AUDIT.c.device_seq.in_(wanted)
        )
        for number, entry_id, entry_hash in connection.execute(query):
            held[number][entry_id] = entry_hash
        kinds: dict[str, int] = {}
        for entry in items:
            number, prev = _number(entry), str(entry.values.get("prev_hash") or "")
            if placed.get(entry.row_id) == (chain, number):
                continue  # sent before (a laptop sending its trail once more)
            if number < 1 or entry.row_id in placed:
                kinds.setdefault("breuk", number)
                continue
            if not _hash_right(entry):
                kinds.setdefault("gewijzigd", number)  # (and read on: what follows links to its hash)
            kind = _kind(chain, sender, number, prev, held)
            if kind:
                kinds.setdefault(kind, number)
            held[number][entry.row_id] = str(entry.values.get("hash") or "")
            placed[entry.row_id] = (chain, number)  # (twice in one push: the second is dropped)
        for kind, number in kinds.items():
            made += _flag(connection, chain, sender, kind, number, now)
    return made


def flag_refused(connection: Connection, sender: str, entries: list[Incoming], now: datetime) -> int:
    """Entries a laptop may not send (another device's chain, or a worker swapped beside the
    one the hash covers) are not taken (hub.merge): flagged too, once per chain, so that what
    a worker with Python tried shows. Returns how many alerts it made."""
    first: dict[str, int] = {}
    for entry in entries:
        chain = str(entry.values.get("device_id") or "")[:36]
        first[chain] = min(first.get(chain, _number(entry)), _number(entry))
    return sum(_flag(connection, chain, sender, "geweigerd", number, now) for chain, number in first.items())


def _number(entry: Incoming) -> int:
    try:
        return int(entry.values.get("device_seq") or 0)
    except (TypeError, ValueError):
        return 0


def _hash_right(entry: Incoming) -> bool:
    """Whether the entry's hash is the one its own columns make (`store.audit.digest`), as the
    laptop wrote it: one changed after it was written, or made up, is not."""
    values = entry.values
    try:
        made = audit.Entry(
            device_seq=_number(entry),
            digest=int(values.get("digest") or 2),
            id=entry.row_id,
            at=values["at"],
            worker_id=values.get("worker_id"),
            action=str(values.get("action") or ""),
            resident_id=values.get("resident_id"),
            detail=str(values.get("detail") or ""),
            device_id=str(values.get("device_id") or ""),
            prev_hash=str(values.get("prev_hash") or ""),
            origin_worker=values.get("origin_worker"),
        )
        return audit.digest(made) == str(values.get("hash") or "")
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def _kind(chain: str, sender: str, number: int, prev: str, held: dict[int, dict[uuid.UUID, str]]) -> str:
    if held[number]:
        return "teruggezet" if sender != chain else "ingekort"
    if number == 1:
        return "" if prev == "" else "breuk"
    below = set(held[number - 1].values())
    if not below:
        return "gat"
    return "" if prev in below else "breuk"


def _flag(connection: Connection, chain: str, sender: str, kind: str, number: int, now: datetime) -> int:
    """One alert per chain, sender and kind (a rebuilt chain would flag every entry after) until
    a coordinator marks it handled: the next break after that is a new alert."""
    same = select(_ALERT.c.id).where(
        _ALERT.c.chain == chain, _ALERT.c.sender == sender, _ALERT.c.kind == kind, _ALERT.c.seen_at.is_(None)
    )
    if connection.execute(same.limit(1)).first() is not None:
        return 0
    connection.execute(
        _ALERT.insert().values(id=uuid.uuid4(), chain=chain, sender=sender, kind=kind, device_seq=number, made_at=now)
    )
    return 1


@dataclass(frozen=True)
class Alert:
    id: uuid.UUID
    chain: str
    chain_name: str
    sender_name: str
    kind: str
    device_seq: int
    made_at: datetime
    seen_at: datetime | None = None
    seen_by: str = ""
    seen_device: str = ""  # the laptop's name

    @property
    def said(self) -> str:
        """Dutch, for a coordinator (laptop names are the organisation's own, no personal data)."""
        return audit_alert_said(self.chain_name, self.sender_name, self.kind, self.device_seq)


def alerts(engine: Engine) -> list[Alert]:
    """Every alert, oldest first."""
    with engine.connect() as connection:
        names = {row.id: row.name for row in connection.execute(select(_DEVICE.c.id, _DEVICE.c.name))}
        rows = connection.execute(select(_ALERT).order_by(_ALERT.c.made_at, _ALERT.c.device_seq)).all()
    return [
        Alert(
            r.id,
            r.chain,
            names.get(r.chain) or r.chain,
            names.get(r.sender) or r.sender,
            r.kind,
            r.device_seq,
            r.made_at,
            r.seen_at,
            r.seen_by,
            names.get(r.seen_device) or r.seen_device,
        )
        for r in rows
    ]


def for_laptops(engine: Engine) -> list[dict[str, str]]:
    """What every laptop's coordinators are shown (`wijkwerk check`, after a sync): the alerts
    nobody marked handled yet."""
    return [{"id": str(a.id), "at": a.made_at.isoformat(), "said": a.said} for a in alerts(engine) if a.seen_at is None]


def mark_seen(engine: Engine, device: str, worker_id: uuid.UUID, ids: list[uuid.UUID], now: datetime) -> int:
    """A coordinator (at laptop `device`, as it says) marks these alerts handled. How many were
    still open. Between pushes (their lock): a break a push is flagging is not marked unseen."""
    with engine.begin() as connection:
        push_turn.take(connection)
        _worker, name = coordinator(connection, worker_id, "Alleen een coördinator mag meldingen afhandelen.")
        done = connection.execute(
            _ALERT.update()
            .where(_ALERT.c.id.in_(ids), _ALERT.c.seen_at.is_(None))
            .values(seen_at=now, seen_by=name[:120], seen_device=device[:36])
        )
        return int(done.rowcount or 0)


def verify(engine: Engine) -> audit.ChainReport:
    """The hub's copy of every laptop's chain: each entry's hash right, each linked to the one
    before it (`store.audit.verify_events`)."""
    with Session(engine) as session:
        return audit.verify_events(session.exec(audit.chain_order()), own_device=None)
