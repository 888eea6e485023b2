"""Pushes take turns at the hub (one PostgreSQL advisory lock per transaction), so the change
log's numbers follow commit order; what changes alerts or retention takes the same turn."""

from __future__ import annotations

from sqlalchemy import Connection, text

PUSH_LOCK = 0x77696A6B  # pg_advisory_xact_lock key: one push at a time


def take(connection: Connection) -> None:
    """Wait for the turn; it ends with the transaction."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUSH_LOCK})
