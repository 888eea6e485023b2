"""The integrity check: SQLite's own, the schema revision and the audit chain, the chain
measured against heads kept outside the database (a noted one, the newest backup's)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from wijkwerk_tui.db import migrate
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.ops import backup
from wijkwerk_tui.store import audit
from wijkwerk_tui.store.audit import Head


@dataclass(frozen=True)
class CheckReport:
    integrity: str
    revision: str | None
    audit_events: int
    audit_broken_at: int | None
    audit_head: Head | None = None  # the newest entry now: to note on paper
    extends_noted: bool | None = None  # None: no head was given
    extends_backup: bool | None = None  # against the newest backup's manifest; None: none there
    backup_name: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and self.revision == migrate.HEAD
            and self.audit_broken_at is None
            and self.extends_noted is not False
            and self.extends_backup is not False
        )


def check(db: Database, noted: Head | None = None) -> CheckReport:
    """SQLite's own integrity check, the schema revision, and the audit chain: whole, and still
    extending the head `noted` (on paper) and the one in the newest backup's manifest."""
    with db.reading() as session:
        integrity = str(session.execute(text("PRAGMA integrity_check")).scalar())
    chain = audit.verify_chain(db)
    extends_backup, backup_name = None, ""
    anchor = backup.anchor_manifest(db.path)
    if anchor is not None:
        made, manifest = anchor
        head = manifest["audit_head"]
        extends_backup, backup_name = audit.extends(db, (int(head["seq"]), str(head["hash"]))), made.name
    return CheckReport(
        integrity,
        migrate.current_revision(db.engine),
        chain.events,
        chain.broken_at,
        audit.head(db),
        audit.extends(db, noted) if noted else None,
        extends_backup,
        backup_name,
    )
