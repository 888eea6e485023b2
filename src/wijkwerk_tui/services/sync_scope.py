"""A laptop with areas (hub.scope) takes in the residents that came into them, whole, and
drops those that left, then tells the hub: after every sync's pull, and through a USB
bundle (services.bundles: the confirmation travels in the next bundle).

Taking in is idempotent (a row it has is overwritten with the hub's), and so is dropping: a
confirmation lost on the way only makes the hub ask again. A drop waits while anything waits
to be pushed for that resident (db.scope_drop).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from wijkwerk_tui.db import capture, scope_drop
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.sync_codec import read_uuid
from wijkwerk_tui.services.sync_apply import FOLD_PENDING, SCOPED, apply_page
from wijkwerk_tui.store import audit, settings

DROP_PAGE = 5000  # residents per message (as hub.scope.DROP_PAGE)
MAX_ROUNDS = 1000  # (a hub that keeps saying "more" must not hold the sync forever)
CONFIRM = "hub.scope_confirm"  # setting: what the next USB bundle confirms (JSON)
# Setting: restored or copied, this laptop goes on as a new device: it tells the hub which
# residents it holds, all of them, before anything else (what the hub knew was another state's).
RECONCILE = "hub.scope_reconcile"


def take(db: Database, call: Any) -> tuple[int, list[uuid.UUID]]:
    """`call(method, path, **kwargs)` speaks to the hub. Returns how many residents were taken
    in, and those dropped."""
    taken, dropped = 0, list[uuid.UUID]()
    if settings.get(db, RECONCILE):
        _tell_what_it_holds(db, call)
    for _round in range(MAX_ROUNDS):
        answer = call("GET", "/v1/scope")
        confirm, gone, held = take_answer(db, answer)
        if confirm["erbij"] or confirm["eraf"]:
            call("POST", "/v1/scope", json=confirm)
        taken, dropped = taken + len(confirm["erbij"]), dropped + held
        if not answer.get("gebieden") or not answer.get("more") or len(confirm["eraf"]) < gone:
            break
    return taken, dropped


def _tell_what_it_holds(db: Database, call: Any) -> None:
    """Every resident this database holds, in pages; the first replaces what the hub knew. Cut
    off half-way, the mark stays and the next sync starts again."""
    with db.reading() as session:
        held = sorted(str(i) for i in scope_drop.held(session))
    pages = [held[start : start + DROP_PAGE] for start in range(0, len(held), DROP_PAGE)] or [[]]
    for n, page in enumerate(pages):
        call("POST", "/v1/scope", json={"bezit": page, "opnieuw": n == 0})
    with db.transaction(bookkeeping=True) as session:
        settings.put(session, RECONCILE, "")


def take_answer(db: Database, answer: Any) -> tuple[dict[str, list[str]], int, list[uuid.UUID]]:
    """One answer of the hub's: what to confirm, how many it asked to drop, those dropped."""
    answer = answer if isinstance(answer, dict) else {}
    scoped = bool(answer.get("gebieden"))
    if scoped != bool(settings.get(db, SCOPED)):
        with db.transaction(bookkeeping=True) as session:
            settings.put(session, SCOPED, "1" if scoped else "")
    confirm: dict[str, list[str]] = {"erbij": [], "eraf": []}
    if not scoped:
        return confirm, 0, []
    rows = list(answer.get("rijen") or [])
    grown = [str(read_uuid(i)) for i in answer.get("erbij") or []]
    gone = [read_uuid(i) for i in answer.get("eraf") or []]
    if rows:
        apply_page(db, rows)
    confirm["erbij"] = grown
    held: list[uuid.UUID] = []
    if gone:
        with db.transaction() as session:
            session.info[capture.CAPTURE] = None  # (the hub keeps them: nothing to send)
            waiting = scope_drop.waiting_for(session, gone)
            now = [i for i in gone if i not in waiting]
            dropped = scope_drop.drop(session, now)
            confirm["eraf"] = [str(i) for i in now]
            if dropped:
                settings.put(session, FOLD_PENDING, "1")  # (sync.finish_erasures folds the WAL)
                audit.record(session, db, db.actor, "hub.scope_dropped", detail=str(len(dropped)))
            held = dropped
    return confirm, len(gone), held


def keep_for_bundle(db: Database, confirm: dict[str, list[str]]) -> None:
    with db.transaction(bookkeeping=True) as session:
        settings.put(session, CONFIRM, json.dumps(confirm) if confirm["erbij"] or confirm["eraf"] else "")


def for_bundle(db: Database) -> dict[str, list[str]]:
    try:
        said = json.loads(settings.get(db, CONFIRM) or "{}")
        return {"erbij": [str(i) for i in said.get("erbij", [])], "eraf": [str(i) for i in said.get("eraf", [])]}
    except (ValueError, AttributeError, TypeError):
        return {"erbij": [], "eraf": []}
