"""Per-database settings (organisation name, ladder labels, last used area)."""

from __future__ import annotations

import json

from sqlmodel import Session

from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.store.engine import Database
from wijkwerk_tui.store.tables import Setting


def get(db: Database, key: str, default: str = "") -> str:
    with db.reading() as session:
        row = session.get(Setting, key)
        return row.value if row else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def set_value(db: Database, key: str, value: str) -> None:
    with db.transaction() as session:
        put(session, key, value)


def ladder_labels(db: Database, ladder: Ladder) -> dict[int, str]:
    """The organisation's own names for the steps of `ladder` (may be empty)."""
    raw = get(db, f"ladder_labels.{ladder.value}")
    try:
        data = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return {}
    return {int(k): str(v) for k, v in data.items() if str(k).isdigit()}


def set_ladder_labels(db: Database, ladder: Ladder, labels: dict[int, str]) -> None:
    set_value(db, f"ladder_labels.{ladder.value}", json.dumps({str(k): v for k, v in labels.items()}))
