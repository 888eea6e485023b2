"""What erasure wipes, in one place for the laptop (services.privacy) and the hub (hub.merge).

The person's name, birth, contact details and every free text about them go; the dated
facts stay, so past reports stay true.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlmodel import Session, col

from wijkwerk_tui.db.sync_tables import core
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
