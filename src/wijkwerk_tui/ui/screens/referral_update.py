"""Move a referral on (verstuurd, aangenomen, ...) and record the partner's feedback with its date."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from wijkwerk_tui.db.tables import Referral
from wijkwerk_tui.domain import referrals as rules
from wijkwerk_tui.domain.dates import format_date, parse_date
from wijkwerk_tui.store import referrals
from wijkwerk_tui.ui.screens.form_base import FormScreen
from wijkwerk_tui.ui.widgets.choices import select


class ReferralUpdateDialog(FormScreen):
    def __init__(self, referral: Referral, partner: str) -> None:
        super().__init__()
        self.referral = referral
        self.form_title = f"Doorverwijzing naar {partner}"

    def compose_fields(self) -> ComposeResult:
        today = self.app.db.today()  # type: ignore[attr-defined]
        allowed = [self.referral.status, *sorted(rules.TRANSITIONS[self.referral.status])]
        options = [(Text(rules.STATUSES[c]), c) for c in allowed]
        yield self.field("Status", select(options, self.referral.status, id="status", allow_blank=False), "status")
        area = TextArea(self.referral.feedback, id="feedback", soft_wrap=True, tab_behavior="focus")
        yield self.field("Terugkoppeling", area, "feedback")
        yield self.field(
            "Datum terugkoppeling",
            Input(format_date(self.referral.feedback_on or today), id="feedback_on", compact=True),
            "feedback_on",
        )

    def prepare(self) -> None:
        self.query_one("#feedback", TextArea).styles.height = 4

    def save(self) -> str:
        db = self.app.db  # type: ignore[attr-defined]
        status = self.value_of("status")
        feedback = self.value_of("feedback").strip()
        if feedback and feedback != self.referral.feedback.strip():
            on = parse_date(self.value_of("feedback_on"), db.today(), "feedback_on")
            referrals.record_feedback(db, self.app.worker_id, self.referral.id, feedback, on, status)  # type: ignore[attr-defined]
            return "Terugkoppeling opgeslagen."
        if status != self.referral.status:
            referrals.change_status(db, self.app.worker_id, self.referral.id, status)  # type: ignore[attr-defined]
            return f"Doorverwijzing: {rules.STATUSES[status]}."
        return "Niets gewijzigd."
