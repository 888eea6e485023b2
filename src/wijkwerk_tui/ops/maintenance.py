"""The integrity check: SQLite's own, the schema revision and the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from wijkwerk_tui.db import migrate
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.store import audit


@dataclass(frozen=True)
class CheckReport:
    integrity: str
    revision: str | None
    audit_events: int
    audit_broken_at: int | None

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.revision == migrate.HEAD and self.audit_broken_at is None


def check(db: Database) -> CheckReport:
    """SQLite's own integrity check, the schema revision, and the audit chain."""
    with db.reading() as session:
        integrity = str(session.execute(text("PRAGMA integrity_check")).scalar())
    chain = audit.verify_chain(db)
    return CheckReport(integrity, migrate.current_revision(db.engine), chain.events, chain.broken_at)
