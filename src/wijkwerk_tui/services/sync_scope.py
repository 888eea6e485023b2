"""A laptop with areas (hub.scope) takes in the residents that came into them, whole, and
drops those that left, then tells the hub; run by every sync between push and pull.

Taking in is idempotent (a row it has is overwritten with the hub's), and so is dropping: a
confirmation lost on the way only makes the hub ask again. A drop waits while anything waits
to be pushed (db.scope_drop).
"""

from __future__ import annotations

from typing import Any

from wijkwerk_tui.db import capture, scope_drop
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.sync_codec import read_uuid
from wijkwerk_tui.services.sync_apply import FOLD_PENDING, SCOPED, apply_page
from wijkwerk_tui.store import audit, settings

MAX_ROUNDS = 1000  # (a hub that keeps saying "more" must not hold the sync forever)


def take(db: Database, call: Any) -> tuple[int, int]:
    """`call(method, path, **kwargs)` speaks to the hub. Returns residents taken in and dropped."""
    taken = dropped = 0
    for _round in range(MAX_ROUNDS):
        answer = call("GET", "/v1/scope")
        scoped = bool(answer.get("gebieden"))
        if scoped != bool(settings.get(db, SCOPED)):
            with db.transaction(bookkeeping=True) as session:
                settings.put(session, SCOPED, "1" if scoped else "")
        if not scoped:
            return taken, dropped
        rows = list(answer.get("rijen") or [])
        grown = [str(read_uuid(i)) for i in answer.get("erbij") or []]
        gone = [read_uuid(i) for i in answer.get("eraf") or []]
        if rows:
            apply_page(db, rows)
        left: list[str] = []
        if gone:
            with db.transaction() as session:
                session.info[capture.CAPTURE] = None  # (the hub keeps them: nothing to send)
                if not scope_drop.anything_waiting(session):
                    held = scope_drop.drop(session, gone)
                    left = [str(i) for i in gone]
                    if held:
                        settings.put(session, FOLD_PENDING, "1")  # (sync.finish_erasures folds the WAL)
                        audit.record(session, db, db.actor, "hub.scope_dropped", detail=str(len(held)))
                    dropped += len(held)
        if grown or left:
            call("POST", "/v1/scope", json={"erbij": grown, "eraf": left})
        taken += len(grown)
        if not answer.get("more") or (gone and not left):
            return taken, dropped
    return taken, dropped
