"""Move a referral on (verstuurd, aangenomen, ...) and record the partner's feedback with its date."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from wijkwerk_tui.db.tables import Referral
from wijkwerk_tui.domain import referrals as rules
from wijkwerk_tui.domain.dates import format_date, parse_date
from wijkwerk_tui.domain.edits import Base, EditConflict
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.store import referrals
from wijkwerk_tui.ui.dialogs.conflict import plain_value, show_conflict
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.field import FormField


class ReferralUpdateDialog(FormScreen):
    def __init__(self, referral: Referral, partner: str) -> None:
        super().__init__()
        self.referral = referral
        self.form_title = f"Doorverwijzing naar {partner}"
        values = {"status": referral.status, "feedback": referral.feedback, "feedback_on": referral.feedback_on}
        self.base = Base(referral.version, values)

    def compose_fields(self) -> ComposeResult:
        today = self.app.today()
        allowed = [self.referral.status, *sorted(rules.TRANSITIONS[self.referral.status])]
        options = [(Text(rules.STATUSES[c]), c) for c in allowed]
        yield self.field("Status", select(options, self.referral.status, id="status", allow_blank=False), "status")
        area = TextArea(self.referral.feedback, id="feedback", soft_wrap=True, tab_behavior="focus")
        yield self.field("Terugkoppeling", area, "feedback")
        yield self.field(
            "Teruggekoppeld op",
            Input(format_date(self.referral.feedback_on or today), id="feedback_on", compact=True),
            "feedback_on",
        )

    def prepare(self) -> None:
        self.query_one("#feedback", TextArea).styles.height = 4

    def save(self) -> Write:
        db, worker, referral, base = self.app.db, self.app.worker_id, self.referral, self.base
        status = self.value_of("status")
        feedback = self.value_of("feedback").strip()
        if feedback and feedback != referral.feedback.strip():
            on = parse_date(self.value_of("feedback_on"), self.app.today(), "feedback_on")

            def record() -> str:
                referrals.record_feedback(db, worker, referral.id, feedback, on, status, base=base)
                return "Terugkoppeling opgeslagen."

            return record

        def change() -> str:
            if status == referral.status:
                return "Niets gewijzigd."
            referrals.change_status(db, worker, referral.id, status, base=base)
            return f"Doorverwijzing: {rules.STATUSES[status]}."

        return change

    def refused(self, error: DomainError) -> None:
        if isinstance(error, EditConflict):
            self.base = self.base.seen(error.theirs)
            show_conflict(list(self.query(FormField)), error, self._describe)
            return
        super().refused(error)

    @staticmethod
    def _describe(field: str, value: Any) -> str:
        if field == "status":
            return rules.STATUSES.get(value, str(value))
        if field == "feedback_on":
            return format_date(value) if value else "(leeg)"
        return plain_value(field, value)
