"""Tables of the sync (DESIGN.md §7), in every database so one Alembic history serves both
sides: the laptop's outbox and base versions, and the hub's devices, invitations, change
log, field versions and conflicts. A laptop leaves the hub's tables empty and vice versa.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Integer, Table, Text, text
from sqlmodel import Field, SQLModel

from wijkwerk_tui.db.types import UTCDateTime, new_id

_WAITING = text("pushed_at IS NULL")
# (a literal: a generic plan of a prepared statement can use the partial index only so)
ALIAS = text("kind = 'alias'")
_BIGINT = BigInteger().with_variant(Integer, "sqlite")  # SQLite counts only an INTEGER key itself


class Outbox(SQLModel, table=True):
    """A change made on this laptop, written in the same transaction as the change itself,
    waiting to go to the hub (`pushed_at` empty) or gone."""

    __table_args__ = (
        # What waits, per row: a pull leaves those fields alone (they go up with the next push).
        Index("ix_outbox_waiting", "row_id", sqlite_where=_WAITING, postgresql_where=_WAITING),
    )

    seq: int | None = Field(default=None, primary_key=True)
    change_id: uuid.UUID = Field(default_factory=new_id, unique=True)
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID
    kind: str = Field(max_length=10)  # insert, update, erase
    fields: str = Field(default="{}", sa_type=Text)  # JSON: column -> new value
    base_version: int = 0  # the hub's version of the row this change was made on; 0: new
    hlc: str = Field(max_length=80)
    device_id: str = Field(max_length=36)
    worker_id: uuid.UUID | None = None
    pushed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SyncBase(SQLModel, table=True):
    """The hub's version of each row as this laptop last received it: the base of a change."""

    row_id: uuid.UUID = Field(primary_key=True)
    version: int


class HubDevice(SQLModel, table=True):
    """A laptop that joined the organisation. Only a hash of its token is kept."""

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(default="", max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    # A rotated token (a worker was switched off: a copy of the old one he may have read must
    # stop working), valid beside the old one until the laptop first shows it (hub.devices).
    token_next: str | None = Field(default=None, max_length=64, unique=True)
    joined_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Which state of the laptop may talk: a new one is handed out at every sync, so a laptop
    # that shows an older one was restored from a backup or copied (hub.devices).
    epoch: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    epoch_next: str | None = Field(default=None, max_length=64)
    copied_from: str | None = Field(default=None, max_length=36)  # the device it went on from
    # Handed to the laptop once (join, rejoin) and never sent again: keys the proof that makes a
    # revoked laptop wipe itself (domain.revocation). "" for laptops joined before 0019: no wipe.
    wipe_key: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    # When it last showed an older epoch: only then may its token make a new device (`rejoin`),
    # so that a chain rebuilt by hand cannot pass for a restore (hub.audit_anchor).
    rewound_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The areas this laptop serves (area ids, space-separated): it holds only their residents
    # and those it recorded something for (hub.scope). "": the whole organisation.
    areas: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    # Its own caseload counts from here (the log's place when it was given areas): what it
    # uploaded or imported for the whole organisation before does not make everyone its own.
    areas_from: int = Field(default=0, sa_column=Column(_BIGINT, nullable=False, server_default="0"))


class HubScope(SQLModel, table=True):
    """The residents a laptop with areas holds, as far as the hub knows: what the laptop took in
    and confirmed (hub.scope). The feed sends it changes of these residents only."""

    device_id: str = Field(primary_key=True, max_length=36)
    resident_id: uuid.UUID = Field(primary_key=True)


class HubInvite(SQLModel, table=True):
    """A one-time code a coordinator made for one laptop to join with."""

    code_hash: str = Field(primary_key=True, max_length=64)
    label: str = Field(default="", max_length=120)
    made_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by: str | None = Field(default=None, max_length=36)
    areas: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})  # for the laptop


class HubChange(SQLModel, table=True):
    """Every change the hub applied, in the order it applied them: what laptops pull."""

    __table_args__ = (
        # The few aliases (hub.aliases), read at every push, out of millions of changes.
        Index("ix_hubchange_alias", "row_id", sqlite_where=ALIAS, postgresql_where=ALIAS),
    )

    seq: int | None = Field(default=None, sa_column=Column(_BIGINT, primary_key=True, autoincrement=True))
    change_id: uuid.UUID = Field(unique=True)
    device_id: str = Field(max_length=36, index=True)  # (a laptop's own caseload: hub.scope)
    worker_id: uuid.UUID | None = None
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID = Field(index=True)
    kind: str = Field(max_length=10)
    fields: str = Field(default="{}", sa_type=Text)  # JSON: what was applied (no conflicting fields)
    version: int  # the row's version at the hub after this change
    hlc: str = Field(max_length=80)
    received_at: datetime = Field(sa_type=UTCDateTime)


class HubField(SQLModel, table=True):
    """The hub's version at which each field of a row last changed, and by which device: a
    change made on an older base conflicts only on the fields someone else changed since."""

    table_name: str = Field(primary_key=True, max_length=40)
    row_id: uuid.UUID = Field(primary_key=True)
    field: str = Field(primary_key=True, max_length=60)
    version: int
    device_id: str = Field(max_length=36)
    worker_id: uuid.UUID | None = None
    hlc: str = Field(max_length=80)


class HubConflict(SQLModel, table=True):
    """Two changes to one field made without seeing each other: both kept until a person chooses."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID = Field(index=True)
    field: str = Field(max_length=60)
    hub_value: str = Field(default="null", sa_type=Text)  # JSON: the value the hub kept
    hub_device: str = Field(default="", max_length=36)
    hub_worker: uuid.UUID | None = None
    hub_hlc: str = Field(default="", max_length=80)
    their_value: str = Field(default="null", sa_type=Text)  # JSON: the value that came in
    their_device: str = Field(max_length=36)
    their_worker: uuid.UUID | None = None
    their_hlc: str = Field(max_length=80)
    change_id: uuid.UUID
    made_at: datetime = Field(sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_by: uuid.UUID | None = None


def core(model: type[SQLModel]) -> Table:
    """A model's table, for Core statements the type checker follows."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


class HubAuditAlert(SQLModel, table=True):
    """An audit chain that did not go on from what the hub held of it (hub.audit_anchor): flagged,
    never refused. `kind`: "teruggezet" (a restored or copied laptop went on from an older
    entry), "ingekort" (its own laptop wrote again over entries the hub has: deleted, or the
    chain rebuilt), "gat" (entries the hub never got), "breuk" (a link to an entry it does not
    hold as such), "gewijzigd" (an entry whose hash its own columns do not make), "geweigerd"
    (entries a laptop may not send: not taken)."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    chain: str = Field(max_length=36, index=True)  # the device whose chain it is
    sender: str = Field(max_length=36)  # the device that sent the entry
    kind: str = Field(max_length=20)
    device_seq: int  # the entry's number in that chain
    made_at: datetime = Field(sa_type=UTCDateTime)
    # A coordinator marked it handled (from a laptop): no longer sent to laptops, and the next
    # such break of that chain makes a new alert.
    seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    seen_by: str = Field(default="", max_length=120)  # his name at the hub
    seen_device: str = Field(default="", max_length=36)  # the laptop he (it says) was at


class HubTrust(SQLModel, table=True):
    """Keys offered as the organisation's (crypto.org_key) by `wijkwerk hub init`, each with its
    maker's copy wrapped by his passphrase (to take back at his next run). One at most is
    accepted, by the hub's operator typing its fingerprint (`wijkwerk hub accept-key`), and it
    is never replaced: laptops pin it when they join or at their next sync."""

    public_key: str = Field(primary_key=True, max_length=100)
    made_by: uuid.UUID = Field(unique=True)  # one offer per coordinator: his latest
    wrapped: str = Field(default="", sa_type=Text)
    made_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
