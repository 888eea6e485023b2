"""A referral to a partner on the sociale kaart, with consent to share and a feedback date."""

from __future__ import annotations

import uuid
from datetime import timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Partner, Signal
from wijkwerk_tui.domain import referrals as rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.dates import format_date, parse_date, parse_optional_date
from wijkwerk_tui.services import undo
from wijkwerk_tui.services.undo import Done
from wijkwerk_tui.store import partners, referrals
from wijkwerk_tui.store.referrals import ReferralData
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import YES_NO, select
from wijkwerk_tui.ui.widgets.partner_picker import PartnerPicker


class ReferralForm(FormScreen):
    def __init__(
        self, resident_id: uuid.UUID, resident_name: str, partner_list: list[Partner], signal_list: list[Signal]
    ) -> None:
        """`partner_list`: the active partners (`load`); `signal_list`: the resident's signals as shown."""
        super().__init__()
        self.resident_id = resident_id
        self.partner_list = partner_list
        self.signal_list = signal_list
        self.form_title = f"Doorverwijzing — {resident_name}"

    @staticmethod
    def load(db: Database) -> list[Partner]:
        return partners.list_partners(db)

    def compose_fields(self) -> ComposeResult:
        today = self.app.today()
        found = [(p.id, p.name, p.kind) for p in self.partner_list]
        yield self.field("Partner", PartnerPicker(found, id="partner-picker"), "partner")
        yield self.field("Reden", Input(placeholder="wat is de vraag", id="reason", compact=True), "reason")
        yield self.field("Toestemming delen", select(YES_NO, id="consent", prompt="verplicht: kies"), "consent")
        yield self.field(
            "Waarom geen",
            Input(placeholder="alleen bij geen toestemming", id="no_consent_reason", compact=True),
            "no_consent_reason",
        )
        status = [(Text(rules.STATUSES[c]), c) for c in ("proposed", "sent")]
        yield self.field("Status", select(status, "proposed", id="status", allow_blank=False), "status")
        yield self.field("Datum", Input(format_date(today), id="referred_on", compact=True), "referred_on")
        yield self.field(
            "Terugkoppeling vóór",
            Input(format_date(rules.default_feedback_due(today)), id="feedback_due_on", compact=True),
            "feedback_due_on",
        )
        open_signals = [
            (Text(f"{format_date(s.noticed_on)} {signal_rules.CATEGORIES.get(s.category, s.category)}"), str(s.id))
            for s in self.signal_list
            if s.status in signal_rules.OPEN_STATUSES
        ]
        yield self.field("Bij signaal", select(open_signals, id="signal", prompt="geen"), "signal")

    def prepare(self) -> None:
        self.query_one("#partner-search", Input).focus()
        self.rebaseline()

    def save(self) -> Write:
        db, worker, resident_id = self.app.db, self.app.worker_id, self.resident_id
        today = self.app.today()
        consent = self.value_of("consent")
        referred_on = parse_date(self.value_of("referred_on"), today, "referred_on")
        due = parse_optional_date(self.value_of("feedback_due_on"), today, "feedback_due_on")
        signal = self.value_of("signal")
        data = ReferralData(
            partner_id=self.query_one(PartnerPicker).value,
            reason=self.value_of("reason"),
            consent_share=None if consent is None else consent == "yes",
            no_consent_reason=self.value_of("no_consent_reason"),
            referred_on=referred_on,
            feedback_due_on=due or referred_on + timedelta(days=rules.DEFAULT_FEEDBACK_DAYS),
            status=self.value_of("status"),
            signal_id=uuid.UUID(signal) if signal else None,
        )

        def write() -> Done:
            referral = referrals.add_referral(db, worker, resident_id, data)
            last = undo.saved(db, worker, "de doorverwijzing", [referral], resident_id)
            return Done(f"Doorverwijzing opgeslagen ({rules.STATUSES[data.status]}).", last)

        return write
