"""Taking in what the hub sends: one page of its change log, in one transaction with the cursor.

Nothing taken in goes back into the outbox. A field this laptop changed and has not pushed
yet is left as it is here: it goes up with the next push and the hub decides. Derived columns
(search keys, ladder caches, last contact) are recomputed for the residents touched.
An area or worker the hub already knew under another id is kept under this laptop's id
(`aliases`), so references in either direction land on the same row.
"""

from __future__ import annotations

import functools
import itertools
import json
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, delete, type_coerce, update
from sqlmodel import Session, col, select

from wijkwerk_tui.crypto import org_key, worker_key
from wijkwerk_tui.db import bulk_load, capture, erasure, resident_rows
from wijkwerk_tui.db.bulk import insert_many, present
from wijkwerk_tui.db.engine import HUB_CLOCK, Database
from wijkwerk_tui.db.sync_codec import APPEND_ONLY, SYNCED, UNIQUE_NAMES, CodecError, decode_fields, read_uuid
from wijkwerk_tui.db.sync_tables import HubConflict, Outbox, SyncBase, core
from wijkwerk_tui.db.tables import Area, Resident, Worker
from wijkwerk_tui.domain import hlc
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData, phonetic_key, search_key
from wijkwerk_tui.store import contacts, erased, ladders, settings

CURSOR = "hub.cursor"  # setting: the last change of the hub's log this laptop took in
# Setting: a joining laptop takes the whole organisation in, a child table after its residents:
# their derived columns are worked out once at the end (`recompute_all`) instead of once per
# page that touches them (a resident a dozen times). Kept until that pass completes.
RECOMPUTE_ALL = "hub.recompute_all"
# Setting: an erasure was taken in and the search index not merged since (`sync.finish_erasures`
# at the end of the pull; a sync cut off before it leaves the mark for the next one).
FOLD_PENDING = "hub.fold_pending"
ALIASES = settings.HUB_ALIASES_KEY
SCOPED = "hub.scoped"  # setting: this laptop holds only its areas' residents (services.sync_scope)
_REFERENCES = {"area_id", "from_area_id", "to_area_id", "worker_id", "created_by"}
# Rows per statement. sqlcipher3 holds the GIL for a whole statement, and the app's search
# (another thread) waits for it: short statements keep typing fast while a sync runs.
WRITE_CHUNK = 250
GIVE_WAY_EVERY = 40  # changes: a save made during a sync waits for about this many
PAUSE_S = 0.002  # after giving way: the writer that waited takes its turn


def _in_chunks(session: Session, statement: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), WRITE_CHUNK):
        session.execute(statement, rows[start : start + WRITE_CHUNK])


def _waiting_fields(session: Session, row_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    waiting: dict[uuid.UUID, set[str]] = {}
    if session.exec(select(Outbox.seq).where(col(Outbox.pushed_at).is_(None)).limit(1)).first() is None:
        return waiting  # (nothing waits: the common case after the push)
    for start in range(0, len(row_ids), capture.CHUNK):
        query = select(Outbox.row_id, Outbox.kind, Outbox.fields).where(
            col(Outbox.row_id).in_(row_ids[start : start + capture.CHUNK]), col(Outbox.pushed_at).is_(None)
        )
        for row_id, kind, fields in session.exec(query):
            names = set(json.loads(fields)) if kind != "erase" else {"*"}
            waiting.setdefault(row_id, set()).update(names)
    return waiting


# Columns this side keeps for itself, for a row written without the ORM (`_Page.flush_new`).
_LOCAL_DEFAULTS = {"version": 1, "search_key": "", "name_key": "", "passphrase_hash": ""}


@functools.cache
def _local_defaults(name: str) -> dict[str, Any]:
    columns = core(SYNCED[name]).c
    return {k: v for k, v in _LOCAL_DEFAULTS.items() if k in columns}


def apply_page(
    db: Database, changes: list[dict[str, Any]], derive: bool = True, give_way: Callable[[], bool] | None = None
) -> int:
    """Take in one page, in one transaction; returns how many of its changes it took in (the
    cursor moves past them). `derive`: recompute the derived columns of the residents it
    touched (else `recompute_all` does, after the last page). `give_way`, asked every
    GIVE_WAY_EVERY changes: when it says yes, the changes taken in so far are committed and
    the rest is left for the next call (another writer waits)."""
    cursor = int(settings.get(db, CURSOR, "0") or 0)
    if not changes:
        return 0
    taken = len(changes)
    with db.transaction() as session:
        session.info[capture.CAPTURE] = None  # what the hub sent is not sent back
        aliases = {uuid.UUID(k): uuid.UUID(v) for k, v in json.loads(settings.get(db, ALIASES, "{}")).items()}
        page = _Page(session, db, changes, aliases)
        latest = None
        previous = None
        erasing = False
        for n, change in enumerate(changes):
            if give_way is not None and n and n % GIVE_WAY_EVERY == 0 and give_way():
                taken = n
                break
            if change["table"] != previous:
                # Nothing orders the rows of a flush (no ORM relationships): write a table's run
                # before the next one, so a resident is there before his placements.
                page.flush_new()
                previous = change["table"]
            page.apply(change)
            erasing = erasing or change["kind"] == "erase"
            latest = change["hlc"]
            cursor = max(cursor, int(change["seq"]))
        page.flush_new()
        page.wipe_moved_onto_erased()
        if derive:
            _recompute(session, db, page.touched)
        settings.put(session, CURSOR, str(cursor))
        if erasing:
            settings.put(session, FOLD_PENDING, "1")
        settings.put(session, ALIASES, json.dumps({str(k): str(v) for k, v in aliases.items()}))
        if latest:
            db.hlc.seen(hlc.parse(latest), db.now())
            settings.put(session, HUB_CLOCK, latest)
    return taken


class _Page:
    """One page being taken in. New rows are written with Core inserts, many at a time (a
    laptop joining takes in every row of the organisation); rows it has go through the ORM."""

    def __init__(
        self, session: Session, db: Database, changes: list[dict[str, Any]], aliases: dict[uuid.UUID, uuid.UUID]
    ) -> None:
        self.session, self.db, self.aliases = session, db, aliases
        self.waiting = _waiting_fields(session, list({read_uuid(c["row"]) for c in changes}))
        # This laptop's own new rows coming back: it has them as they were sent (nothing to load).
        self.echoes = _echoes(session, changes, db.device_id)
        # (Its later edits in the same page still need the row: only the inserts are skipped.)
        echoes = self.echoes
        unsent = (
            [c for c in changes if not (c["kind"] == "insert" and read_uuid(c["row"]) in echoes)] if echoes else changes
        )
        self.rows = _preload(session, unsent, aliases)
        self.bases = _bases(session, changes)
        self.touched: set[uuid.UUID] = set()
        self.new_rows: dict[uuid.UUID, tuple[str, dict[str, Any]]] = {}
        self.new_bases: dict[uuid.UUID, int] = {}
        self.written: set[uuid.UUID] = set()  # new rows this page wrote already
        self.based: dict[uuid.UUID, int] = {}  # and their base versions
        self.moved_to: set[uuid.UUID] = set()  # residents that rows were moved onto (a merge)
        self.now = db.now()
        self.scoped = bool(settings.get(db, SCOPED))

    def flush_new(self) -> None:
        runs = itertools.groupby(self.new_rows.values(), key=lambda item: item[0])
        for name, group in runs:
            insert_many(self.session, core(SYNCED[name]), [values for _name, values in group], WRITE_CHUNK)
        if self.new_bases:
            bases = [{"row_id": k, "version": v} for k, v in self.new_bases.items()]
            insert_many(self.session, core(SyncBase), bases, WRITE_CHUNK)
            self.based.update(self.new_bases)
        self.written.update(self.new_rows)
        self.new_rows, self.new_bases = {}, {}
        self.session.flush()

    def _base(self, row_id: uuid.UUID, version: int) -> None:
        base = self.bases.get(row_id)
        if base is not None:
            base.version = max(base.version, version)
            self.session.add(base)
        elif row_id in self.based:
            if version > self.based[row_id]:
                self.based[row_id] = version
                self.session.execute(update(SyncBase).where(col(SyncBase.row_id) == row_id).values(version=version))
        else:
            self.new_bases[row_id] = max(version, self.new_bases.get(row_id, 0))

    def _row(self, row_id: uuid.UUID, name: str) -> Any:
        """The ORM row, writing it first when it is new in this page."""
        if row_id in self.new_rows:
            self.flush_new()
        if row_id in self.written and row_id not in self.rows:
            model = SYNCED[name]
            self.rows[row_id] = self.session.exec(select(model).where(col(model.id) == row_id)).first()
        return self.rows.get(row_id)

    def _take_key_pair(self, local_id: uuid.UUID, fields: dict[str, Any]) -> None:
        """His account as the organisation has it carries his key pair (crypto.worker_key): this
        laptop's own account of that name takes it, so the organisation's signature over it, when
        it comes, verifies here too. Nothing else (his role stays as this laptop has it), and
        nothing is trusted for it: a pair is sealed to only once its record is signed."""
        row = self.session.exec(select(Worker).where(col(Worker.id) == local_id)).first()
        if row is not None:
            row.public_key, row.wrapped_key = str(fields["public_key"]), str(fields.get("wrapped_key", ""))
            self.session.add(row)
            self.rows[local_id] = row

    def _append(self, row_id: uuid.UUID, name: str, sent: dict[str, Any], fields: dict[str, Any]) -> None:
        """An audit entry of another laptop: kept as written (its hash covers it), with the
        worker under this laptop's id and the id its hash names beside it when they differ."""
        if row_id in self.rows or row_id in self.new_rows or row_id in self.written:
            return  # had it already (a restored laptop's own, sent again)
        if fields.get("worker_id") != sent.get("worker_id") and not fields.get("origin_worker"):
            fields["origin_worker"] = sent["worker_id"]
        if fields.get("origin_worker") == fields.get("worker_id"):
            fields["origin_worker"] = None  # (the hub's alias led back to this laptop's own id)
        self.new_rows[row_id] = (name, {**fields, "id": row_id})

    def apply(self, change: dict[str, Any]) -> None:
        name, kind = change["table"], change["kind"]
        row_id = read_uuid(change["row"])
        if kind == "alias":
            # The hub already had this area (or worker) from another laptop: ours is the same one.
            hub_id = uuid.UUID(change["fields"]["to"])
            if self._row(row_id, name) is not None or _exists(self.session, name, row_id):
                self.aliases[hub_id] = row_id
            return
        if kind == "lost" or name not in SYNCED:
            return
        local_id = self.aliases.get(row_id, row_id)
        version = int(change["version"])
        if row_id in self.echoes and kind == "insert":
            if name not in APPEND_ONLY:
                self._base(row_id, version)
            return
        if kind == "erase":
            row = self._row(local_id, name)
            if row is not None:
                moment = decode_fields("resident", change["fields"]).get("anonymised_at")
                _erase_here(self.session, self.db, row, moment or self.now)
            self._base(row_id, version)
            return
        sent = decode_fields(name, change["fields"])
        fields = sent  # (copied only when a reference names an alias: a join reads a million)
        for key in _REFERENCES.intersection(sent):
            value = sent[key]
            if isinstance(value, uuid.UUID) and value in self.aliases:
                fields = dict(fields) if fields is sent else fields
                fields[key] = self.aliases[value]
        if name in APPEND_ONLY:
            self._append(row_id, name, sent, fields)
            return
        if self.scoped and name in resident_rows.BOUND and not self._holds(name, local_id, kind, fields):
            return  # (a laptop with areas: a resident it does not hold, or no longer)
        mine = self.waiting.get(local_id, set())
        if local_id != row_id and local_id not in self.rows and local_id not in self.new_rows:
            # Known as this laptop's own since earlier in this page (an alias): not preloaded.
            model = SYNCED[name]
            found = self.session.exec(select(model).where(col(model.id) == local_id)).first()
            if found is not None:
                self.rows[local_id] = found
        if local_id in self.written:
            self._row(local_id, name)  # written earlier in this page: changed through the ORM now
        if local_id in self.new_rows:
            self.new_rows[local_id][1].update({k: v for k, v in fields.items() if k != "id"})
        elif local_id in self.rows:
            row = self.rows[local_id]
            if "*" in mine:
                return
            if name == "worker":
                fields = not_older(row, fields)
            for field, value in fields.items():
                if field != "id" and field not in mine:
                    setattr(row, field, value)
            self.session.add(row)
        else:
            same = _same_name(self.session, name, fields)
            if same is not None:
                self.aliases[row_id] = same  # a worker or area this laptop made under the same name
                if name == "worker" and fields.get("public_key"):
                    self._take_key_pair(same, fields)
                return
            self.new_rows[row_id] = (name, {**_local_defaults(name), **fields, "id": row_id, "updated_at": self.now})
        self._base(row_id, version)
        if kind == "update" and name != "resident" and fields.get("resident_id") is not None:
            self.moved_to.add(fields["resident_id"])
        resident_id = row_id if name == "resident" else fields.get("resident_id")
        if resident_id is None and local_id in self.rows:
            resident_id = getattr(self.rows[local_id], "resident_id", None)
        if resident_id is not None:
            self.touched.add(resident_id)

    def _has(self, name: str, row_id: uuid.UUID) -> bool:
        return (
            row_id in self.rows
            or row_id in self.new_rows
            or row_id in self.written
            or _exists(self.session, name, row_id)
        )

    def _holds(self, name: str, row_id: uuid.UUID, kind: str, fields: dict[str, Any]) -> bool:
        """Whether a change of a resident's row lands on something this laptop holds: it makes a
        row only from a whole one (an insert) and never points one at a resident it lacks. The
        hub sends nothing else (hub.scope); a confirmation lost on the way could."""
        resident = fields.get("resident_id")
        if resident is not None and not self._has("resident", resident):
            return False
        signal = fields.get("signal_id")
        if signal is not None and not self._has("signal", signal):
            return False
        return kind == "insert" or self._has(name, row_id)

    def wipe_moved_onto_erased(self) -> None:
        """A merge made where he was not erased yet moves rows onto a resident erased here: the
        hub sends only the move, so the text they had here is wiped here."""
        if not self.moved_to:
            return
        self.session.flush()
        erased_here = select(col(Resident.id)).where(
            col(Resident.id).in_(list(self.moved_to)), col(Resident.anonymised_at).is_not(None)
        )
        for resident_id in self.session.exec(erased_here).all():
            erasure.wipe_children(self.session, resident_id, self.now)
            erasure.wipe_waiting(self.session, resident_id)  # (this laptop's unsent edits of them)


def _exists(session: Session, name: str, row_id: uuid.UUID) -> bool:
    model = SYNCED[name]
    return session.exec(select(col(model.id)).where(col(model.id) == row_id)).first() is not None


def _echoes(session: Session, changes: list[dict[str, Any]], device_id: str) -> set[uuid.UUID]:
    """Rows this laptop made itself and still has: their insert comes back from the hub as sent."""
    by_table: dict[str, list[uuid.UUID]] = {}
    for change in changes:
        if change["kind"] == "insert" and change.get("device") == device_id and change["table"] in SYNCED:
            by_table.setdefault(change["table"], []).append(read_uuid(change["row"]))
    found: set[uuid.UUID] = set()
    for name, ids in by_table.items():
        found.update(present(session, core(SYNCED[name]).c.id, ids))
    return found


def _preload(
    session: Session, changes: list[dict[str, Any]], aliases: dict[uuid.UUID, uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """The page's rows this laptop has, and their base versions, in a few queries."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for change in changes:
        if change["table"] in SYNCED:
            row_id = read_uuid(change["row"])
            wanted.setdefault(change["table"], set()).add(aliases.get(row_id, row_id))
    found: dict[uuid.UUID, Any] = {}
    for name, ids in wanted.items():
        model = SYNCED[name]
        chunked = list(present(session, core(model).c.id, ids))  # (a joining laptop has few)
        for start in range(0, len(chunked), capture.CHUNK):
            query = select(model).where(col(model.id).in_(chunked[start : start + capture.CHUNK]))
            rows: list[Any] = list(session.exec(query))
            found.update({row.id: row for row in rows})
    return found


def _bases(session: Session, changes: list[dict[str, Any]]) -> dict[uuid.UUID, SyncBase]:
    """The base versions of the page's rows this laptop has, in a few queries."""
    ids = list(present(session, core(SyncBase).c.row_id, {read_uuid(c["row"]) for c in changes}))
    found: dict[uuid.UUID, SyncBase] = {}
    for start in range(0, len(ids), capture.CHUNK):
        query = select(SyncBase).where(col(SyncBase.row_id).in_(ids[start : start + capture.CHUNK]))
        found.update({base.row_id: base for base in session.exec(query)})
    return found


def not_older(row: Worker, fields: dict[str, Any]) -> dict[str, Any]:
    """An account's fields as the hub sends them, less an older signed record than the one this
    laptop holds (a lower serial: its role, state, signature and key pair) and an older copy of
    the same key pair (a lower number: it would bring an old passphrase back). The hub takes
    neither from a laptop; this stops whoever writes to the hub's database from sending them."""
    kept = dict(fields)
    if "signature" in kept and org_key.signature_serial(str(kept["signature"])) < org_key.signature_serial(
        row.signature
    ):
        for field in ("role", "active", "signature", "public_key"):
            kept.pop(field, None)
    if "org_key" in kept and org_key.copy_counter(str(kept["org_key"])) < org_key.copy_counter(row.org_key):
        del kept["org_key"]
    copy = kept.get("wrapped_key")
    if copy:
        pair = str(kept.get("public_key", row.public_key))
        older = pair == row.public_key and worker_key.counter(str(copy)) < worker_key.counter(row.wrapped_key)
        if older or not worker_key.copy_signed(str(copy), pair, row.name):
            del kept["wrapped_key"]
    return kept


def _same_name(session: Session, name: str, fields: dict[str, Any]) -> uuid.UUID | None:
    column = UNIQUE_NAMES.get(name)
    if column is None or column not in fields:
        return None
    model = SYNCED[name]
    found: uuid.UUID | None = session.exec(
        select(col(model.id)).where(getattr(model, column) == fields[column])
    ).first()
    return found


def _erase_here(session: Session, db: Database, resident: Resident, moment: datetime) -> None:
    if resident.anonymised_at is None:
        for field, value in erasure.RESIDENT_WIPE.items():
            setattr(resident, field, value)
        session.add(resident)
        session.flush()
        erasure.wipe_children(session, resident.id, db.now())
        erasure.wipe_waiting(session, resident.id)  # (this laptop's own unsent edits about him)
    resident.anonymised_at = moment  # the hub's: the same on every laptop
    session.add(resident)
    # Waiting changes of this laptop about him would bring text back up: the hub drops them too.
    if db.path.exists():
        erased.add(db.path, resident.id)


def _recompute(session: Session, db: Database, touched: set[uuid.UUID]) -> None:
    if not touched:
        return
    live = list(
        session.exec(select(Resident).where(col(Resident.id).in_(list(touched)), col(Resident.deleted_at).is_(None)))
    )
    _derive(session, db, live)


def recompute_all(db: Database) -> int:
    """Every live resident's derived columns (search keys, ladder caches, last contact) after a
    join, a part per transaction (each part read and written in one, short write turns for the
    app); the mark (`RECOMPUTE_ALL`) goes with the last part. Plain rows, no ORM: a joining
    laptop has the whole organisation to go through. Returns how many."""
    table = core(Resident)
    personal = [table.c[f] for f in PersonalData.__dataclass_fields__]
    derived = ["search_key", "name_key", *ladders.CACHE_COLUMNS.values(), "last_contact_on"]
    # (as every bulk update here: the row's version goes up, so a form opened before sees it)
    write = (
        update(table)
        .where(table.c.pk == bindparam("_pk"))
        .values(version=table.c.version + 1, **{name: bindparam(f"_{name}") for name in derived})
    )
    after, done = -1, 0
    while True:
        with db.transaction() as session:
            session.info[capture.CAPTURE] = None  # derived columns are not sent
            areas = {a.id: a.name for a in session.exec(select(Area))}
            stored_id = type_coerce(table.c.id, String).label("stored_id")  # (as the file holds it)
            query = (
                select(table.c.pk, stored_id, table.c.area_id, table.c.anonymised_at, *personal)
                .add_columns(*[table.c[name] for name in derived])
                .where(table.c.pk > after, table.c.deleted_at.is_(None))
                .order_by(table.c.pk)
                .limit(RECOMPUTE_PART)
            )
            part = session.execute(query).all()
            # (the part's residents as a query, not thousands of ids bound one by one)
            ids = select(table.c.id).where(table.c.pk > after, table.c.pk <= (part[-1].pk if part else after))
            current, last = ladders.current_steps_stored(session, ids), contacts.last_contact_days_stored(session, ids)
            values = []
            for row in part:
                search, name = row.search_key, row.name_key  # (kept as they are once erased)
                if row.anonymised_at is None:
                    data = PersonalData(**{f: getattr(row, f) for f in PersonalData.__dataclass_fields__})
                    search = search_key(data, areas.get(row.area_id, "") if row.area_id else "")
                    name = phonetic_key(row.family_name)
                steps = [current.get((row.stored_id, code)) for code in ladders.CACHE_COLUMNS]
                new = (search, name, *steps, last.get(row.stored_id))
                if new != tuple(getattr(row, column) for column in derived):
                    values.append({"_pk": row.pk, **{f"_{k}": v for k, v in zip(derived, new, strict=True)}})
            _in_chunks(session, write, values)
            done += len(part)
            if len(part) < RECOMPUTE_PART:
                settings.put(session, RECOMPUTE_ALL, "")
                return done
            after = part[-1].pk
        if db.writers_waiting():
            time.sleep(PAUSE_S)  # (a writer waits: it goes between two parts)


RECOMPUTE_PART = 2000  # residents per transaction in `recompute_all`


def start_bulk(db: Database) -> bool:
    """A joining laptop with no residents takes the organisation in without its secondary
    indexes and triggers (db.bulk_load). Whether it does."""
    with db.transaction() as session:
        if session.execute(select(core(Resident).c.pk).limit(1)).first() is not None:
            return False
        return bulk_load.suspend(session.connection()) > 0


def end_bulk(db: Database, but: str | None = None) -> None:
    """Build what `start_bulk` dropped; with `but`, leave that table's indexes and triggers
    for later."""
    with db.transaction() as session:
        bulk_load.restore(session.connection(), but)


def finish_join(db: Database, bulk: bool) -> None:
    """After a join's last page: the derived columns (`recompute_all`) with the resident's
    indexes still to build, so writing them updates no index."""
    if bulk:
        end_bulk(db, but="resident")
    recompute_all(db)
    if bulk:
        end_bulk(db)


def _derive(session: Session, db: Database, live: list[Resident]) -> None:
    areas = {a.id: a.name for a in session.exec(select(Area))}
    for start in range(0, len(live), WRITE_CHUNK):  # written a part at a time (WRITE_CHUNK)
        part = live[start : start + WRITE_CHUNK]
        for resident in part:
            if resident.anonymised_at is None:
                data = PersonalData(**{f: getattr(resident, f) for f in PersonalData.__dataclass_fields__})
                resident.search_key = search_key(data, areas.get(resident.area_id, "") if resident.area_id else "")
                resident.name_key = phonetic_key(resident.family_name)
                session.add(resident)
        loaded = {r.id: r for r in part}
        ladders.refresh_many(session, db, {(rid, ladder) for rid in loaded for ladder in Ladder}, loaded)
        contacts.refresh_last_contacts(session, db, set(loaded), loaded)
        session.flush()


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
        session.execute(delete(HubConflict))
        session.add_all(rows)
