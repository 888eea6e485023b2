"""Import batches and the rows they made, each under its content-derived key."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import stamp_new
from wijkwerk_tui.db.tables import ImportBatch, ImportRecord, Worker
from wijkwerk_tui.db.types import new_id
from wijkwerk_tui.domain.import_columns import is_target
from wijkwerk_tui.store import audit, settings

MAPPING_KEY = "import.mapping"
_CHUNK = 500  # keys per IN (...): well under SQLite's limit on bound parameters


@dataclass(frozen=True)
class Recorded:
    table: str
    record_id: uuid.UUID


def live_keys(session: Session, keys: Iterable[str]) -> dict[str, Recorded]:
    """Which of these keys an earlier (not undone) import already made, and what it made."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, Recorded] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.exec(
            select(ImportRecord.import_key, ImportRecord.table_name, ImportRecord.record_id).where(
                col(ImportRecord.import_key).in_(wanted[start : start + _CHUNK]),
                col(ImportRecord.deleted_at).is_(None),
            )
        ).all()
        found.update({key: Recorded(table, rid) for key, table, rid in rows})
    return found


def known_keys(db: Database, keys: Iterable[str]) -> dict[str, Recorded]:
    with db.reading() as session:
        return live_keys(session, keys)


def new_batch(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    file_name: str,
    digest: str,
    rows: int,
    mapping: Mapping[str, str],
) -> ImportBatch:
    batch = stamp_new(
        db,
        actor,
        ImportBatch(file_name=file_name[:255], file_digest=digest, rows=rows, mapping=json.dumps(dict(mapping))),
    )
    session.add(batch)
    session.flush()
    return batch


def remember_all(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    batch_id: uuid.UUID,
    made: Sequence[tuple[str, Any]],
) -> None:
    """Note each (key, row) an import made, with the row's version now (an undo compares it).
    Written as plain rows: tens of thousands of them, each only ever read back by key."""
    now = db.now()
    rows = [
        {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "created_by": actor,
            "device_id": db.device_id,
            "deleted_at": None,
            "version": 1,
            "batch_id": batch_id,
            "import_key": key,
            "table_name": str(row.__tablename__),
            "record_id": row.id,
            "record_version": row.version,
        }
        for key, row in made
    ]
    if rows:
        session.connection().execute(insert(ImportRecord), rows)


def records(session: Session, batch_id: uuid.UUID) -> list[ImportRecord]:
    return list(
        session.exec(
            select(ImportRecord).where(ImportRecord.batch_id == batch_id, col(ImportRecord.deleted_at).is_(None))
        )
    )


@dataclass(frozen=True)
class BatchRow:
    id: uuid.UUID
    made_at: datetime
    made_by: str
    file_name: str
    rows: int
    counts: dict[str, int]
    undone_at: datetime | None


def batches(db: Database) -> list[BatchRow]:
    """Every import on this laptop, newest first."""
    with db.reading() as session:
        found = session.exec(
            select(ImportBatch, Worker.name)
            .join(Worker, col(Worker.id) == col(ImportBatch.created_by), isouter=True)
            .order_by(col(ImportBatch.created_at).desc())
        ).all()
        return [
            BatchRow(b.id, b.created_at, name or "", b.file_name, b.rows, json.loads(b.counts), b.undone_at)
            for b, name in found
        ]


def saved_mapping(db: Database) -> dict[str, str]:
    """What coordinators chose for headers before (normalised header -> target)."""
    try:
        value = json.loads(settings.get(db, MAPPING_KEY, "{}"))
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if is_target(str(v))}


def save_mapping(db: Database, chosen: Mapping[str, str], actor: uuid.UUID | None = None) -> None:
    """Remember these headers' meanings for the next file (merged with what was saved)."""
    merged = {**saved_mapping(db), **{k: v for k, v in chosen.items() if is_target(v)}}
    with db.transaction() as session:
        settings.put(session, MAPPING_KEY, json.dumps(merged, sort_keys=True))
        # Which headers, never a value: headers are the organisation's words, not a resident's.
        audit.record(session, db, actor, "import.mapping", None, f"kolommen={len(chosen)}")
