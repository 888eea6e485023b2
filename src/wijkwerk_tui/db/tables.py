"""The tables. Every row: a UUID identity, UTC stamps, its author, its device, a tombstone.

Histories (ladder steps, signals, referrals, contacts) are append-mostly; the current
state is derived from the latest row by date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Column, Index, Text, event, text
from sqlmodel import Field, SQLModel

from wijkwerk_tui.db.types import UTCDateTime, new_id, utcnow


def _stamp() -> datetime:
    return utcnow()


class Stamped(SQLModel):
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime, nullable=False)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="worker.id")
    device_id: str = Field(default="", max_length=36)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Raised by every change to the row (`_raise_version`): an edit form compares it with the
    # one it opened, so a stale form cannot overwrite someone else's change unseen; sync sends
    # it as the base version of a change.
    version: int = Field(default=1, nullable=False)


class Row(Stamped):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)


class Setting(SQLModel, table=True):
    """This laptop's own key/value settings (device id, hub, last area used): never synced."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="", sa_type=Text)


class OrgSetting(Row, table=True):
    """A setting of the whole organisation (its name, the lock time, the retention period, the
    ladders' labels): synced, changed by coordinators (store.settings routes the keys)."""

    key: str = Field(max_length=100, unique=True)
    value: str = Field(default="", sa_type=Text)


class Area(Row, table=True):
    name: str = Field(max_length=80, unique=True)
    sort_order: int = 0
    active: bool = True


class Worker(Row, table=True):
    name: str = Field(max_length=120, unique=True)
    role: str = Field(default="worker", max_length=20)
    active: bool = True
    # Argon2id (argon2-cffi) encoded hash; checked when the screen is unlocked. Never synced.
    passphrase_hash: str = Field(default="", max_length=200)
    # The organisation key's signature over this record (domain.accounts.account_record):
    # once a laptop has pinned that key, an account whose record does not verify is refused.
    signature: str = Field(default="", max_length=200)
    # A coordinator's copy of the organisation's private key, wrapped by his passphrase
    # (crypto.org_key.wrap); synced, so he signs on every laptop where that passphrase opens it.
    org_key: str = Field(default="", max_length=1000)
    # His own key pair (crypto.worker_key): the public half, in his signed record, is what every
    # laptop seals its database key to; the private halves travel wrapped by his passphrase.
    public_key: str = Field(default="", max_length=100)
    wrapped_key: str = Field(default="", max_length=1000)


class Resident(Stamped, table=True):
    # Integer rowid key: the full-text index follows it, and VACUUM keeps it stable.
    pk: int | None = Field(default=None, primary_key=True)
    id: uuid.UUID = Field(default_factory=new_id, unique=True, index=True)
    given_name: str = Field(default="", max_length=80)
    family_prefix: str = Field(default="", max_length=30)  # tussenvoegsel
    family_name: str = Field(default="", max_length=120)
    birth_year: int | None = None
    birth_date: date | None = None
    area_id: uuid.UUID | None = Field(default=None, foreign_key="area.id", index=True)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=120)
    consent_register: bool | None = None
    consent_on: date | None = None
    # Folded "given prefix family year area" for search; empty once anonymised.
    search_key: str = Field(default="", max_length=400)
    # Spelling-tolerant family-name key (Jansen = Janssen) for duplicate detection.
    name_key: str = Field(default="", max_length=120, index=True)
    # Caches of the latest ladder placements, kept by store.ladders for list filters.
    participation_step: int | None = Field(default=None, index=True)
    support_step: int | None = Field(default=None, index=True)
    last_contact_on: date | None = None
    anonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Samenvoegen: the resident this one was merged into (this one is then soft-deleted).
    merged_into: uuid.UUID | None = None

    __table_args__ = (
        # Reports map residents to areas without reading (and decrypting) the rows themselves.
        Index(
            "ix_resident_live_area",
            "id",
            "area_id",
            "birth_year",
            "birth_date",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # ...and leave the few soft-deleted ones out without reading the whole table.
        Index(
            "ix_resident_deleted",
            "id",
            sqlite_where=text("deleted_at IS NOT NULL"),
            postgresql_where=text("deleted_at IS NOT NULL"),
        ),
        # The few merged into another (Samenvoegen): found from the one kept, e.g. as his file
        # opens (it says an erasure takes them too), without reading the whole table.
        Index(
            "ix_resident_merged",
            "merged_into",
            sqlite_where=text("merged_into IS NOT NULL"),
            postgresql_where=text("merged_into IS NOT NULL"),
        ),
        # The residents list reads its pages in this order (queries.search).
        Index(
            "ix_resident_order",
            "family_name",
            "given_name",
            "pk",
            sqlite_where=text("deleted_at IS NULL AND anonymised_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL AND anonymised_at IS NULL"),
        ),
        # ...and its spelling-tolerant matches by the sound of the family name (migration 0010).
        Index(
            "ix_resident_sound",
            "name_key",
            "family_name",
            "given_name",
            "pk",
            "birth_year",
            sqlite_where=text("deleted_at IS NULL AND anonymised_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL AND anonymised_at IS NULL"),
        ),
    )


_LIVE = text("deleted_at IS NULL")


class LadderStep(Row, table=True):
    # What the report reads depends on the database: on SQLite a per-resident summary kept by
    # triggers (migration 0007), elsewhere an index in history order (migration 0005).
    __table_args__ = (Index("ix_ladderstep_resident_ladder_date", "resident_id", "ladder", "measured_on"),)

    resident_id: uuid.UUID = Field(foreign_key="resident.id")
    ladder: str = Field(max_length=20)
    step: int
    potential: int | None = None  # groeipotentieel
    measured_on: date
    worker_id: uuid.UUID | None = Field(default=None, foreign_key="worker.id")
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Partner(Row, table=True):
    name: str = Field(max_length=120)
    kind: str = Field(default="", max_length=80)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=120)
    website: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=200)
    support_step: int | None = None
    active: bool = True


class Referral(Row, table=True):
    __table_args__ = (
        Index("ix_referral_status_due", "status", "feedback_due_on"),
        Index("ix_referral_period", "referred_on", sqlite_where=_LIVE, postgresql_where=_LIVE),
    )

    resident_id: uuid.UUID = Field(foreign_key="resident.id", index=True)
    partner_id: uuid.UUID = Field(foreign_key="partner.id", index=True)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    consent_share: bool = False
    consent_on: date | None = None
    no_consent_reason: str = Field(default="", max_length=400)
    status: str = Field(default="proposed", max_length=20)
    referred_on: date
    feedback_due_on: date | None = None
    feedback_on: date | None = None
    feedback: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    worker_id: uuid.UUID | None = Field(default=None, foreign_key="worker.id")
    # Where it was made (the resident's area then), so a later move leaves past reports alone.
    area_id: uuid.UUID | None = Field(default=None, foreign_key="area.id")
    # The day it went to the partner; None: never sent (proposed, perhaps rejected unsent).
    sent_on: date | None = None


class Signal(Row, table=True):
    __table_args__ = (
        Index("ix_signal_status_followup", "status", "follow_up_on"),
        Index(
            "ix_signal_report",
            "noticed_on",
            "area_id",
            "category",
            "closed_on",
            "resident_id",
            "urgency",
            "source",
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )

    resident_id: uuid.UUID | None = Field(default=None, foreign_key="resident.id", index=True)
    # For someone not known by name yet: "oudere dame Kerkstraat".
    subject: str = Field(default="", max_length=200)
    area_id: uuid.UUID | None = Field(default=None, foreign_key="area.id")
    category: str = Field(max_length=40)
    urgency: str = Field(default="normal", max_length=20)
    source: str = Field(default="own", max_length=20)
    status: str = Field(default="open", max_length=20)
    close_reason: str | None = Field(default=None, max_length=40)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    noticed_on: date
    follow_up_on: date | None = None
    closed_on: date | None = None
    confidential: bool = False
    referral_id: uuid.UUID | None = Field(default=None, foreign_key="referral.id")
    worker_id: uuid.UUID | None = Field(default=None, foreign_key="worker.id")


class MeldcodeStep(Row, table=True):
    """One of the five meldcode steps of a signal, with the date it was taken."""

    signal_id: uuid.UUID = Field(foreign_key="signal.id", index=True)
    step: int
    done_on: date | None = None
    note: str = Field(default="", max_length=400)  # e.g. who was consulted


class Contact(Row, table=True):
    __table_args__ = (
        Index("ix_contact_resident_date", "resident_id", "contact_on"),
        Index(
            "ix_contact_period",
            "contact_on",
            "area_id",
            "kind",
            "resident_id",
            "is_story",
            "duration_min",
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
        Index(
            "ix_contact_story",
            "contact_on",
            sqlite_where=text("is_story = 1 AND deleted_at IS NULL"),
            postgresql_where=text("is_story AND deleted_at IS NULL"),
        ),
    )

    resident_id: uuid.UUID | None = Field(default=None, foreign_key="resident.id")  # None: anonymous
    area_id: uuid.UUID | None = Field(default=None, foreign_key="area.id")
    kind: str = Field(default="walk_in", max_length=20)
    contact_on: date = Field(index=True)
    duration_min: int | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    is_story: bool = False
    story: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Signal categories noted at an anonymous visit (no resident, so no signal rows).
    signal_categories: str = Field(default="", max_length=400)
    worker_id: uuid.UUID | None = Field(default=None, foreign_key="worker.id")


class Goal(Row, table=True):
    resident_id: uuid.UUID = Field(foreign_key="resident.id", index=True)
    description: str = Field(max_length=400)
    contributor: str = Field(default="resident", max_length=20)
    set_on: date
    review_on: date | None = Field(default=None, index=True)
    status: str = Field(default="open", max_length=20)
    worker_id: uuid.UUID | None = Field(default=None, foreign_key="worker.id")


class GroupActivity(Row, table=True):
    name: str = Field(max_length=120)
    area_id: uuid.UUID | None = Field(default=None, foreign_key="area.id")
    held_on: date = Field(index=True)
    participants: int = 0
    volunteers: int = 0
    note: str = Field(default="", max_length=400)


class ActivityResident(Row, table=True):
    activity_id: uuid.UUID = Field(foreign_key="groupactivity.id", index=True)
    resident_id: uuid.UUID = Field(foreign_key="resident.id", index=True)
    # "participant", or "volunteer": a resident who helped (the report counts unique volunteers).
    role: str = Field(default="participant", max_length=20)


class ResidentMove(Row, table=True):
    """A resident's area changed: reports of past periods keep counting him where he lived."""

    resident_id: uuid.UUID = Field(foreign_key="resident.id", index=True)
    from_area_id: uuid.UUID | None = Field(default=None, foreign_key="area.id")
    to_area_id: uuid.UUID | None = Field(default=None, foreign_key="area.id")
    moved_on: date = Field(index=True)


class SignalReopening(Row, table=True):
    """A closing undone: the signal was closed from `closed_on` until `reopened_on`."""

    signal_id: uuid.UUID = Field(foreign_key="signal.id", index=True)
    closed_on: date = Field(index=True)
    close_reason: str | None = Field(default=None, max_length=40)
    reopened_on: date


class FrozenReport(Row, table=True):
    """A report as it was sent (vastgesteld): its figures, what each counted, and a hash."""

    start_on: date
    end_on: date
    area_id: uuid.UUID | None = Field(default=None, foreign_key="area.id")
    run_on: date
    organisation: str = Field(default="", max_length=200)
    # JSON (counts only, no names): every figure as computed, and which ones the sent report hid.
    figures: str = Field(default="{}", sa_type=Text)
    hidden: str = Field(default="[]", sa_type=Text)
    digest: str = Field(default="", max_length=64)  # sha256 over both: a changed copy shows


class AuditEvent(SQLModel, table=True):
    """Append-only; each entry's hash covers the previous one of its laptop, so edits show.
    Entries of other laptops arrive through the hub: one chain per device (store.audit)."""

    __table_args__ = (Index("ix_auditevent_device", "device_id", "device_seq"),)

    seq: int | None = Field(default=None, primary_key=True)  # this database's own order
    id: uuid.UUID = Field(default_factory=new_id, unique=True)
    at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime, nullable=False)
    worker_id: uuid.UUID | None = Field(default=None, foreign_key="worker.id")
    action: str = Field(max_length=40)
    resident_id: uuid.UUID | None = Field(default=None, index=True)
    detail: str = Field(default="", max_length=400)  # never personal data
    device_id: str = Field(default="", max_length=36)
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
    digest: int = 2  # which digest made `hash` (store.audit.digest): 1 before migration 0008
    device_seq: int = 0  # its number in its laptop's chain (before 0018: the same as `seq`)
    origin_worker: uuid.UUID | None = None  # the worker's id on the laptop that wrote it, if not ours


class Draft(SQLModel, table=True):
    """Work in progress (an intake being typed), kept per worker so a crash loses nothing."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    worker_id: uuid.UUID | None = Field(default=None, foreign_key="worker.id", index=True)
    kind: str = Field(max_length=20)
    payload: str = Field(default="{}", sa_type=Text)
    updated_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime, nullable=False)


@event.listens_for(Stamped, "before_update", propagate=True)
def _raise_version(_mapper: object, _connection: object, target: Stamped) -> None:
    """Any ORM update of any table, whichever store function makes it. (The few bulk UPDATE
    statements, in services.privacy, raise it themselves.)"""
    target.version = (target.version or 0) + 1


class ImportBatch(Row, table=True):
    """One spreadsheet brought in (`services.importing`): what it added, and whether it was undone."""

    file_name: str = Field(default="", max_length=255)  # shown to coordinators only, never audited
    file_digest: str = Field(default="", max_length=64)  # sha256 of the file's bytes
    rows: int = 0
    counts: str = Field(default="{}", sa_type=Text)  # JSON: new residents, merged, facts by kind
    mapping: str = Field(default="{}", sa_type=Text)  # JSON: header -> target, as confirmed
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    undone_by: uuid.UUID | None = Field(default=None, foreign_key="worker.id")


class ImportRecord(Row, table=True):
    """A row an import made, under a key derived from the sheet's content (`Fact.key`): a
    second import of the same sheet, on this laptop or another, finds it and adds nothing."""

    __table_args__ = (
        # One live record per key: two imports at once cannot both add the same fact.
        Index("ix_importrecord_live_key", "import_key", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
    )

    batch_id: uuid.UUID = Field(foreign_key="importbatch.id", index=True)
    import_key: str = Field(max_length=64)
    table_name: str = Field(max_length=40)
    record_id: uuid.UUID
    record_version: int = 1  # the record's version when imported: undo leaves a changed one be


# The sync's tables share the metadata (and so the migrations) with these.
from wijkwerk_tui.db import sync_tables  # noqa: E402, F401
