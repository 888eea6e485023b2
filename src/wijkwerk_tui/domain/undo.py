"""Taking back a save: only one's own, and only right after it (a slip noticed at once)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from wijkwerk_tui.domain.errors import DomainError

UNDO_MINUTES = 5
WINDOW = timedelta(minutes=UNDO_MINUTES)
TOO_LATE = f"Ongedaan maken kan tot {UNDO_MINUTES} minuten na het opslaan. Pas het dossier zelf aan."
NOT_YOURS = "Alleen wie iets opsloeg kan dat ongedaan maken."
CHANGED = "Dit is intussen gewijzigd of al verwijderd; pas het dossier zelf aan."


def within(saved_at: datetime, now: datetime) -> bool:
    """A clock set back (now before the save) counts as too late, not as for ever."""
    return saved_at <= now <= saved_at + WINDOW


def check(saved_by: uuid.UUID | None, actor: uuid.UUID | None, saved_at: datetime, now: datetime) -> None:
    if saved_by is None or saved_by != actor:
        raise DomainError(NOT_YOURS)
    if not within(saved_at, now):
        raise DomainError(TOO_LATE)
