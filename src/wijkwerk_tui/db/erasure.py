"""What erasure wipes, in one place for the laptop (services.privacy) and the hub (hub.merge).

The person's name, birth, contact details and every free text about them go; the dated
facts stay, so past reports stay true.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlmodel import Session, col

from wijkwerk_tui.db.sync_codec import encode
from wijkwerk_tui.db.sync_tables import HubConflict, Outbox, core
from wijkwerk_tui.db.tables import Contact, Goal, LadderStep, MeldcodeStep, Referral, Signal

RESIDENT_WIPE: dict[str, Any] = {
    "given_name": "",
    "family_prefix": "",
    "family_name": "",
    "birth_year": None,
    "birth_date": None,
    "phone": "",
    "email": "",
    "search_key": "",
    "name_key": "",
}
# Per table about a resident: its free texts, and what they become.
CHILD_WIPE: dict[str, dict[str, Any]] = {
    "ladderstep": {"note": ""},
    "contact": {"note": "", "story": "", "is_story": False},
    "signal": {"description": "", "subject": ""},
    "referral": {"reason": "", "feedback": "", "no_consent_reason": ""},
    "goal": {"description": "(geanonimiseerd)"},
}
MELDCODE_WIPE: dict[str, Any] = {"note": ""}
_CHILDREN = (LadderStep, Contact, Signal, Referral, Goal)


def wipe_children(session: Session | Connection, resident_id: uuid.UUID, now: datetime) -> None:
    """Every free text about the resident, in bulk (one statement per table)."""
    for table in _CHILDREN:
        fields = CHILD_WIPE[core(table).name]
        session.execute(
            update(table)
            .where(col(table.resident_id) == resident_id)
            .values(**fields, updated_at=now, version=col(table.version) + 1)
        )
    signal_ids = select(col(Signal.id)).where(col(Signal.resident_id) == resident_id)
    session.execute(
        update(MeldcodeStep)
        .where(col(MeldcodeStep.signal_id).in_(signal_ids))
        .values(**MELDCODE_WIPE, updated_at=now, version=col(MeldcodeStep.version) + 1)
    )


def wipe_waiting(session: Session, resident_id: uuid.UUID) -> int:
    """Changes about the resident that wait to be sent hold what they changed (a name, a note):
    those values are wiped in the outbox too, and this laptop's copies of conflicts about him
    go. The changes still go up, before the erasure, and the hub wipes what it took. Returns
    how many were rewritten."""
    wipes: dict[uuid.UUID, dict[str, Any]] = {resident_id: RESIDENT_WIPE}
    for table in _CHILDREN:
        for row_id in session.execute(select(col(table.id)).where(col(table.resident_id) == resident_id)).scalars():
            wipes[row_id] = CHILD_WIPE[core(table).name]
    signal_ids = select(col(Signal.id)).where(col(Signal.resident_id) == resident_id)
    for row_id in session.execute(
        select(col(MeldcodeStep.id)).where(col(MeldcodeStep.signal_id).in_(signal_ids))
    ).scalars():
        wipes[row_id] = MELDCODE_WIPE
    waiting = select(col(Outbox.seq), col(Outbox.row_id), col(Outbox.fields)).where(
        col(Outbox.pushed_at).is_(None), col(Outbox.row_id).in_(list(wipes))
    )
    # This laptop's copy of the hub's conflicts about him holds both values: gone (the hub
    # closes its own when the erasure arrives, and the next pull mirrors what stays open).
    session.execute(delete(HubConflict).where(col(HubConflict.row_id).in_(list(wipes))))
    rewritten = 0
    for seq, row_id, fields in session.execute(waiting).all():
        old = json.loads(fields)
        wipe = wipes[row_id]
        new = {k: (encode(wipe[k]) if k in wipe else v) for k, v in old.items()}
        if new != old:
            text = json.dumps(new, ensure_ascii=False, sort_keys=True)
            session.execute(update(Outbox).where(col(Outbox.seq) == seq).values(fields=text))
            rewritten += 1
    return rewritten
