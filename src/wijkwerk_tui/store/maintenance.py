"""Whole-database jobs: building the demo file, the integrity check."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from wijkwerk_tui.store import audit, migrate
from wijkwerk_tui.store.demo_data import build_demo
from wijkwerk_tui.store.engine import Clock, Database, open_database, system_clock
from wijkwerk_tui.store.residents import count_residents


def ensure_demo(
    path: Path, residents: int, seed: int, clock: Clock = system_clock, key: bytes | None = None,
    before_move: Callable[[Database], None] | None = None,
) -> tuple[Path, bool]:
    """Reuse the demo database at `path`, or build it. Returns (path, built_now).

    It is built under a temporary name and moved into place when complete, so a build
    that is interrupted never leaves a half-filled demo behind. `before_move` runs on
    the finished database (the accounts' passphrases are set there).
    """
    if path.exists():
        db = open_database(path, clock, key)
        try:
            if count_residents(db) > 0:
                return path, False
        finally:
            db.close()
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    db = open_database(partial, clock, key)
    try:
        build_demo(db, residents=residents, seed=seed)
        if before_move:
            before_move(db)
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    return path, True


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
