"""A goal or agreement: what, who contributes, when to review."""

from __future__ import annotations

import uuid

from dateutil.relativedelta import relativedelta
from textual.app import ComposeResult
from textual.widgets import Input

from wijkwerk_tui.domain.activities import GOAL_CONTRIBUTORS, GOAL_STATUSES
from wijkwerk_tui.domain.dates import format_date, parse_optional_date
from wijkwerk_tui.store import goals
from wijkwerk_tui.store.goals import GoalData
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select


class GoalForm(FormScreen):
    def __init__(self, resident_id: uuid.UUID, resident_name: str) -> None:
        super().__init__()
        self.resident_id = resident_id
        self.form_title = f"Doel of afspraak — {resident_name}"

    def compose_fields(self) -> ComposeResult:
        today = self.app.today()
        yield self.field(
            "Doel", Input(placeholder="concreet en meetbaar", id="description", compact=True), "description"
        )
        yield self.field(
            "Wie draagt bij", select(GOAL_CONTRIBUTORS, "resident", id="contributor", allow_blank=False), "contributor"
        )
        yield self.field(
            "Evalueren op",
            Input(format_date(today + relativedelta(months=3)), id="review_on", compact=True),
            "review_on",
        )
        yield self.field("Status", select(GOAL_STATUSES, "open", id="status", allow_blank=False), "status")

    def save(self) -> Write:
        db, worker, resident_id = self.app.db, self.app.worker_id, self.resident_id
        data = GoalData(
            description=self.value_of("description"),
            contributor=self.value_of("contributor"),
            review_on=parse_optional_date(self.value_of("review_on"), self.app.today(), "review_on"),
            status=self.value_of("status"),
        )

        def write() -> str:
            goals.add_goal(db, worker, resident_id, data)
            return "Doel opgeslagen."

        return write
