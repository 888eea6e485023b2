"""Who may do what: the logged-in worker's role, read from the database, checked per action.

Screens hide what a role may not do; these checks run again inside the store's own
transaction, so a screen that forgets cannot let an action through.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.accounts import WORKER, Viewer, require
from wijkwerk_tui.store import trust


def viewer(session: Session, actor: uuid.UUID | None) -> Viewer:
    """The actor's role, read from the database (never from the key file or the screen); a
    record the organisation's key did not sign counts as a worker's (store.trust)."""
    worker = session.get(Worker, actor) if actor is not None else None
    honoured = worker is not None and worker.active and trust.trusted(worker, trust.pinned(session))
    role = worker.role if worker is not None and honoured else WORKER
    return Viewer(actor, role)


def viewer_of(db: Database, actor: uuid.UUID | None) -> Viewer:
    with db.reading() as session:
        return viewer(session, actor)


def require_role(session: Session, actor: uuid.UUID | None, action: str) -> None:
    """Raise PermissionDenied (a Dutch DomainError) unless the actor's role allows `action`."""
    require(viewer(session, actor).role, action)
