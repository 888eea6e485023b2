"""Goals and agreements (doelen / afspraken) with a review date."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, stamp_new, touch
from wijkwerk_tui.db.tables import Goal, Resident
from wijkwerk_tui.domain.activities import GOAL_CONTRIBUTORS, GOAL_STATUSES
from wijkwerk_tui.domain.edits import Base, changes
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line
from wijkwerk_tui.domain.vocab import check_code
from wijkwerk_tui.store import audit


@dataclass(frozen=True)
class GoalData:
    description: str
    contributor: str = "resident"
    review_on: date | None = None
    status: str = "open"


def add_goal(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, data: GoalData) -> Goal:
    description = clean_line(data.description, "description", max_len=400, required=True, what="het doel")
    contributor = check_code(GOAL_CONTRIBUTORS, data.contributor, "contributor", "bijdrager")
    status = check_code(GOAL_STATUSES, data.status, "status", "status")
    today = db.today()
    if data.review_on is not None and data.review_on < today:
        raise ValidationError("review_on", "De evaluatiedatum ligt in het verleden.")
    with db.transaction() as session:
        get_live(session, Resident, resident_id, "Inwoner")
        goal = stamp_new(
            db,
            actor,
            Goal(
                resident_id=resident_id,
                description=description,
                contributor=contributor,
                set_on=today,
                review_on=data.review_on,
                status=status,
                worker_id=actor,
            ),
        )
        session.add(goal)
        session.flush()
        audit.record(session, db, actor, "goal.create", resident_id)
        return goal


def set_status(
    db: Database, actor: uuid.UUID | None, goal_id: uuid.UUID, status: str, *, base: Base | None = None
) -> Goal:
    status = check_code(GOAL_STATUSES, status, "status", "status")
    with db.transaction() as session:
        goal = get_live(session, Goal, goal_id, "Doel")
        if not changes(base, {"status": status}, {"status": goal.status}, goal.version):
            return goal
        goal.status = status
        session.add(touch(db, goal))
        audit.record(session, db, actor, "goal.status", goal.resident_id, status)
        return goal


def for_resident(db: Database, resident_id: uuid.UUID) -> list[Goal]:
    with db.reading() as session:
        return list(
            session.exec(
                select(Goal)
                .where(Goal.resident_id == resident_id, col(Goal.deleted_at).is_(None))
                .order_by(col(Goal.set_on).desc())
            )
        )
