"""Change a goal's status after its review."""

from __future__ import annotations

from textual.app import ComposeResult

from wijkwerk_tui.db.tables import Goal
from wijkwerk_tui.domain.activities import GOAL_STATUSES
from wijkwerk_tui.domain.edits import Base, EditConflict
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.store import goals
from wijkwerk_tui.ui.dialogs.conflict import show_conflict
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.field import FormField


class GoalStatusDialog(FormScreen):
    def __init__(self, goal: Goal) -> None:
        super().__init__()
        self.goal = goal
        self.form_title = f"Doel: {goal.description}"
        self.base = Base(goal.version, {"status": goal.status})

    def compose_fields(self) -> ComposeResult:
        yield self.field("Status", select(GOAL_STATUSES, self.goal.status, id="status", allow_blank=False), "status")

    def save(self) -> Write:
        db, worker, goal_id, status = self.app.db, self.app.worker_id, self.goal.id, self.value_of("status")
        base = self.base

        def write() -> str:
            goals.set_status(db, worker, goal_id, status, base=base)
            return f"Doel: {GOAL_STATUSES[status]}."

        return write

    def refused(self, error: DomainError) -> None:
        if isinstance(error, EditConflict):
            self.base = self.base.seen(error.theirs)
            show_conflict(list(self.query(FormField)), error, lambda _f, v: GOAL_STATUSES.get(v, str(v)))
            return
        super().refused(error)
