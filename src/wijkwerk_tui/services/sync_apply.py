"""Taking in what the hub sends: one page of its change log, in one transaction with the cursor.

Nothing taken in goes back into the outbox. A field this laptop changed and has not pushed
yet is left as it is here: it goes up with the next push and the hub decides. Derived columns
(search keys, ladder caches, last contact) are recomputed for the residents touched.
An area or worker the hub already knew under another id is kept under this laptop's id
(`aliases`), so references in either direction land on the same row.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from wijkwerk_tui.db import capture, erasure
from wijkwerk_tui.db.engine import HUB_CLOCK, Database
from wijkwerk_tui.db.sync_codec import SYNCED, UNIQUE_NAMES, CodecError, decode_fields
from wijkwerk_tui.db.sync_tables import HubConflict, Outbox, SyncBase
from wijkwerk_tui.db.tables import Area, Resident
from wijkwerk_tui.domain import hlc
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData, phonetic_key, search_key
from wijkwerk_tui.store import contacts, erased, ladders, settings

CURSOR = "hub.cursor"  # setting: the last change of the hub's log this laptop took in
ALIASES = settings.HUB_ALIASES_KEY
_REFERENCES = {"area_id", "from_area_id", "to_area_id", "worker_id", "created_by"}


def _waiting_fields(session: Session, row_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    waiting: dict[uuid.UUID, set[str]] = {}
    for start in range(0, len(row_ids), capture.CHUNK):
        query = select(Outbox.row_id, Outbox.kind, Outbox.fields).where(
            col(Outbox.row_id).in_(row_ids[start : start + capture.CHUNK]), col(Outbox.pushed_at).is_(None)
        )
        for row_id, kind, fields in session.exec(query):
            names = set(json.loads(fields)) if kind != "erase" else {"*"}
            waiting.setdefault(row_id, set()).update(names)
    return waiting


def apply_page(db: Database, changes: list[dict[str, Any]]) -> int:
    """Take in one page; returns the new cursor."""
    cursor = int(settings.get(db, CURSOR, "0") or 0)
    if not changes:
        return cursor
    with db.transaction() as session:
        session.info[capture.CAPTURE] = None  # what the hub sent is not sent back
        aliases = {uuid.UUID(k): uuid.UUID(v) for k, v in json.loads(settings.get(db, ALIASES, "{}")).items()}
        waiting = _waiting_fields(session, list({uuid.UUID(c["row"]) for c in changes}))
        touched: set[uuid.UUID] = set()
        latest = None
        for change in changes:
            _apply_one(session, db, change, aliases, waiting, touched)
            latest = change["hlc"]
            cursor = max(cursor, int(change["seq"]))
        session.flush()
        _recompute(session, db, touched)
        settings.put(session, CURSOR, str(cursor))
        settings.put(session, ALIASES, json.dumps({str(k): str(v) for k, v in aliases.items()}))
        if latest:
            db.hlc.seen(hlc.parse(latest), db.now())
            settings.put(session, HUB_CLOCK, latest)
    return cursor


def _apply_one(
    session: Session,
    db: Database,
    change: dict[str, Any],
    aliases: dict[uuid.UUID, uuid.UUID],
    waiting: dict[uuid.UUID, set[str]],
    touched: set[uuid.UUID],
) -> None:
    name, kind = change["table"], change["kind"]
    row_id = uuid.UUID(change["row"])
    if kind == "alias":
        # The hub already had this area (or worker) from another laptop: ours is the same one.
        hub_id = uuid.UUID(change["fields"]["to"])
        if session.get(SYNCED[name], _key(session, name, row_id)) is not None:
            aliases[hub_id] = row_id
        return
    if kind == "lost" or name not in SYNCED:
        return
    model = SYNCED[name]
    local_id = aliases.get(row_id, row_id)
    row = _load(session, name, local_id)
    if kind == "erase":
        if row is not None:
            _erase_here(session, db, row)
        _set_base(session, row_id, int(change["version"]))
        return
    fields = decode_fields(name, change["fields"])
    fields = {k: (aliases.get(v, v) if k in _REFERENCES and isinstance(v, uuid.UUID) else v) for k, v in fields.items()}
    mine = waiting.get(local_id, set())
    if row is None:
        same = _same_name(session, name, fields)
        if same is not None:
            aliases[row_id] = same  # a worker or area this laptop made under the same name
            return
        fields.pop("id", None)
        row = model(id=row_id, **fields)
        session.add(row)
    else:
        if "*" in mine:
            return
        for field, value in fields.items():
            if field != "id" and field not in mine:
                setattr(row, field, value)
        session.add(row)
    _set_base(session, row_id, int(change["version"]))
    resident_id = row.id if name == "resident" else getattr(row, "resident_id", None)
    if resident_id is not None:
        touched.add(resident_id)


def _key(session: Session, name: str, row_id: uuid.UUID) -> Any:
    if name == "resident":
        return session.exec(select(Resident.pk).where(Resident.id == row_id)).first()
    return row_id


def _load(session: Session, name: str, row_id: uuid.UUID) -> Any:
    key = _key(session, name, row_id)
    return session.get(SYNCED[name], key) if key is not None else None


def _same_name(session: Session, name: str, fields: dict[str, Any]) -> uuid.UUID | None:
    column = UNIQUE_NAMES.get(name)
    if column is None or column not in fields:
        return None
    model = SYNCED[name]
    found: uuid.UUID | None = session.exec(select(model.id).where(getattr(model, column) == fields[column])).first()  # type: ignore[attr-defined]
    return found


def _set_base(session: Session, row_id: uuid.UUID, version: int) -> None:
    base = session.get(SyncBase, row_id)
    if base is None:
        session.add(SyncBase(row_id=row_id, version=version))
    elif version > base.version:
        base.version = version
        session.add(base)


def _erase_here(session: Session, db: Database, resident: Resident) -> None:
    if resident.anonymised_at is None:
        for field, value in erasure.RESIDENT_WIPE.items():
            setattr(resident, field, value)
        resident.anonymised_at = db.now()
        session.add(resident)
        session.flush()
        erasure.wipe_children(session, resident.id, db.now())
    # Waiting changes of this laptop about him would bring text back up: the hub drops them too.
    if db.path.exists():
        erased.add(db.path, resident.id)


def _recompute(session: Session, db: Database, touched: set[uuid.UUID]) -> None:
    if not touched:
        return
    live = list(
        session.exec(select(Resident).where(col(Resident.id).in_(list(touched)), col(Resident.deleted_at).is_(None)))
    )
    areas = {a.id: a.name for a in session.exec(select(Area))}
    for resident in live:
        if resident.anonymised_at is None:
            data = PersonalData(**{f: getattr(resident, f) for f in PersonalData.__dataclass_fields__})
            resident.search_key = search_key(data, areas.get(resident.area_id, "") if resident.area_id else "")
            resident.name_key = phonetic_key(resident.family_name)
            session.add(resident)
    ids = {r.id for r in live}
    ladders.refresh_many(session, db, {(rid, ladder) for rid in ids for ladder in Ladder})
    contacts.refresh_last_contacts(session, db, ids)


def mirror_conflicts(db: Database, conflicts: list[dict[str, Any]]) -> None:
    """The hub's open conflicts, as this laptop's copy: decided ones (anywhere) drop off."""
    rows = []
    for item in conflicts:
        try:
            rows.append(
                HubConflict(
                    **{
                        **item,
                        "id": uuid.UUID(item["id"]),
                        "row_id": uuid.UUID(item["row_id"]),
                        "change_id": uuid.UUID(item["change_id"]),
                        "hub_worker": uuid.UUID(item["hub_worker"]) if item.get("hub_worker") else None,
                        "their_worker": uuid.UUID(item["their_worker"]) if item.get("their_worker") else None,
                        "made_at": datetime.fromisoformat(item["made_at"]),
                        "resolved_at": None,
                        "resolved_by": None,
                    }
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise CodecError("conflict") from error
    with db.transaction() as session:
        session.execute(HubConflict.__table__.delete())  # type: ignore[attr-defined]
        session.add_all(rows)
