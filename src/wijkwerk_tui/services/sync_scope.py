"""A laptop with areas (hub.scope) takes in the residents that came into them, whole, and
drops those that left, then tells the hub: at every sync (a restored laptop's report before
the pull, the rest after it), and through a USB bundle (services.bundles).

What it took in and dropped is kept (`CONFIRM`) in the transaction that did it, and sent until
the hub has it: a confirmation lost on the way is sent again, never lost. The hub answers a
confirmation with the residents it does not let this laptop hold (not, or no longer, in its
areas): those are dropped at once. Taking in is idempotent (a row it has is overwritten with
the hub's), and so is dropping. A drop waits while a change of that resident waits to be
pushed (db.scope_drop).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel import Session

from wijkwerk_tui.db import capture, scope_drop
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.sync_codec import read_uuid
from wijkwerk_tui.db.tables import Setting
from wijkwerk_tui.services.sync_apply import FOLD_PENDING, SCOPED, apply_page
from wijkwerk_tui.store import audit, settings

DROP_PAGE = 5000  # residents per message (as hub.scope.DROP_PAGE)
MAX_ROUNDS = 1000  # (a hub that keeps saying "more" must not hold the sync forever)
CONFIRM = "hub.scope_confirm"  # setting: what the hub has not heard yet (JSON: erbij, eraf)
# Setting: restored or copied, this laptop goes on as a new device: it tells the hub which
# residents it holds, all of them, before its pull (what the hub knew was another state's).
RECONCILE = "hub.scope_reconcile"

Confirm = dict[str, list[str]]


def scoped(db: Database) -> bool:
    return bool(settings.get(db, SCOPED))


def reconcile(db: Database, call: Any) -> list[uuid.UUID]:
    """After a restore, before the pull: every resident this database holds, in pages (the
    first replaces what the hub knew; cut off half-way, the mark stays and the next sync starts
    again); those the hub names as outside its areas are dropped. Returns those dropped."""
    if not settings.get(db, RECONCILE):
        return []
    dropped: list[uuid.UUID] = []
    if scoped(db):
        with db.reading() as session:
            held = sorted(str(i) for i in scope_drop.held(session))
        pages = [held[start : start + DROP_PAGE] for start in range(0, len(held), DROP_PAGE)] or [[]]
        for n, page in enumerate(pages):
            said = call("POST", "/v1/scope", json={"bezit": page, "opnieuw": n == 0})
            dropped += drop(db, _ids(said.get("eraf") if isinstance(said, dict) else None))
    with db.transaction(bookkeeping=True) as session:
        settings.put(session, RECONCILE, "")
    return dropped


def take(db: Database, call: Any) -> tuple[int, list[uuid.UUID]]:
    """`call(method, path, **kwargs)` speaks to the hub. Returns how many residents were taken
    in, and those dropped."""
    taken, dropped = 0, list[uuid.UUID]()
    dropped += _send_confirm(db, call)
    for _round in range(MAX_ROUNDS):
        answer = call("GET", "/v1/scope")
        gone, held, came = take_answer(db, answer)
        dropped += held + _send_confirm(db, call)
        taken += came
        if not answer.get("gebieden") or not answer.get("more") or len(held) < gone:
            break
    return taken, dropped


def _send_confirm(db: Database, call: Any) -> list[uuid.UUID]:
    confirm = pending(db)
    if not confirm["erbij"] and not confirm["eraf"]:
        return []
    said = call("POST", "/v1/scope", json=confirm)
    with db.transaction(bookkeeping=True) as session:
        settings.put(session, CONFIRM, "")  # (one sync at a time: nothing came in meanwhile)
    return drop(db, _ids(said.get("eraf") if isinstance(said, dict) else None))


def take_answer(db: Database, answer: Any) -> tuple[int, list[uuid.UUID], int]:
    """One answer of the hub's: how many it asked to drop, those dropped, how many taken in."""
    answer = answer if isinstance(answer, dict) else {}
    is_scoped = bool(answer.get("gebieden"))
    if is_scoped != scoped(db):
        with db.transaction(bookkeeping=True) as session:
            settings.put(session, SCOPED, "1" if is_scoped else "")
    if not is_scoped:
        return 0, [], 0
    rows = list(answer.get("rijen") or [])
    grown = [str(read_uuid(i)) for i in answer.get("erbij") or []]
    gone = _ids(answer.get("eraf"))
    if rows:
        apply_page(db, rows)
    if grown:
        with db.transaction(bookkeeping=True) as session:
            _remember(session, db, {"erbij": grown, "eraf": []})
    return len(gone), drop(db, gone), len(grown)


def drop(db: Database, gone: list[uuid.UUID]) -> list[uuid.UUID]:
    """Remove these residents from this laptop (not those with a change waiting), noting it for
    the hub in the same transaction. Returns those this laptop held."""
    if not gone:
        return []
    with db.transaction() as session:
        session.info[capture.CAPTURE] = None  # (the hub keeps them: nothing to send)
        waiting = scope_drop.waiting_for(session, gone)
        now = [i for i in gone if i not in waiting]
        dropped = scope_drop.drop(session, now)
        _remember(session, db, {"erbij": [], "eraf": [str(i) for i in now]})
        if dropped:
            settings.put(session, FOLD_PENDING, "1")  # (sync.finish_erasures folds the WAL)
            audit.record(session, db, db.actor, "hub.scope_dropped", detail=str(len(dropped)))
    return dropped


def _remember(session: Session, db: Database, new: Confirm) -> None:
    """Added to what the hub has not heard yet; a resident's latest word counts."""
    row = session.get(Setting, CONFIRM)  # (in this transaction)
    old = _parse(row.value if row is not None else "")
    erbij = (set(old["erbij"]) - set(new["eraf"])) | set(new["erbij"])
    eraf = (set(old["eraf"]) - set(new["erbij"])) | set(new["eraf"])
    settings.put(session, CONFIRM, json.dumps({"erbij": sorted(erbij), "eraf": sorted(eraf)}))


def pending(db: Database) -> Confirm:
    """What the hub has not heard yet (also what a USB bundle carries)."""
    return _parse(settings.get(db, CONFIRM))


def _parse(text: str) -> Confirm:
    try:
        said = json.loads(text or "{}")
        return {"erbij": [str(i) for i in said.get("erbij", [])], "eraf": [str(i) for i in said.get("eraf", [])]}
    except (ValueError, AttributeError, TypeError):
        return {"erbij": [], "eraf": []}


def _ids(raw: Any) -> list[uuid.UUID]:
    return [read_uuid(i) for i in raw] if isinstance(raw, list) else []
