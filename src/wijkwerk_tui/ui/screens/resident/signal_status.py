"""Change a signal's status (a reason when closing), link it to a referral, tick meldcode steps."""

from __future__ import annotations

import uuid
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, Static

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import MeldcodeStep, Signal
from wijkwerk_tui.domain import signals as rules
from wijkwerk_tui.domain.dates import format_date
from wijkwerk_tui.domain.edits import Base, EditConflict
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.store import signals
from wijkwerk_tui.ui.dialogs.conflict import show_conflict
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.screens.resident.signal_form import MeldcodeChecklist, meldcode_values
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.field import FormField


class SignalStatusDialog(FormScreen):
    def __init__(
        self, signal: Signal, referrals: list[tuple[uuid.UUID, str]], taken: list[MeldcodeStep], description: str = ""
    ) -> None:
        """`taken`: the meldcode steps recorded so far (`load`); `description`: the signal's text
        as this worker may read it (a confidential one is sealed: security.vault.readable)."""
        super().__init__()
        self.signal = signal
        self.description = description
        self.referrals = referrals
        self.taken = taken
        self.form_title = f"Signaal: {rules.CATEGORIES.get(signal.category, signal.category)}"
        self.base = Base(signal.version, {"status": signal.status, "referral_id": signal.referral_id})

    def compose_fields(self) -> ComposeResult:
        if self.description:
            yield Static(Text(self.description), id="signal-description")
        allowed = [self.signal.status, *sorted(rules.TRANSITIONS[self.signal.status])]
        status_options = [(Text(rules.STATUSES[code]), code) for code in allowed]
        yield self.field("Status", select(status_options, self.signal.status, id="status", allow_blank=False), "status")
        yield self.field(
            "Reden afsluiten",
            select(rules.CLOSE_REASONS, id="close_reason", prompt="alleen bij afsluiten"),
            "close_reason",
        )
        referral_options = [(Text(name or "doorverwijzing"), str(rid)) for rid, name in self.referrals]
        current = str(self.signal.referral_id) if self.signal.referral_id else Select.NULL
        yield self.field(
            "Gekoppeld aan", select(referral_options, current, id="referral", prompt="geen doorverwijzing"), "referral"
        )
        if self.signal.category in rules.MELDCODE_CATEGORIES:
            yield MeldcodeChecklist(id="meldcode", classes="-shown")

    @staticmethod
    def load(db: Database, actor: uuid.UUID | None, signal_id: uuid.UUID) -> list[MeldcodeStep]:
        return signals.meldcode_steps(db, actor, signal_id)

    def prepare(self) -> None:
        if self.signal.category in rules.MELDCODE_CATEGORIES:
            for step in self.taken:
                if step.done_on:
                    self.query_one(f"#meldcode-check-{step.step}", Checkbox).value = True
                    self.query_one(f"#meldcode-date-{step.step}", Input).value = format_date(step.done_on)
        self.rebaseline()

    def save(self) -> Write:
        db, worker, signal_id, base = self.app.db, self.app.worker_id, self.signal.id, self.base
        status, reason, referral = self.value_of("status"), self.value_of("close_reason"), self.value_of("referral")
        meldcode = (
            meldcode_values(self, self.app.today()) if self.signal.category in rules.MELDCODE_CATEGORIES else None
        )

        def write() -> str:
            linked = uuid.UUID(referral) if referral else None
            signals.update_signal(db, worker, signal_id, status, reason, linked, meldcode, base=base)
            return f"Signaal bijgewerkt: {rules.STATUSES[status]}."

        return write

    def refused(self, error: DomainError) -> None:
        if isinstance(error, EditConflict):
            self.base = self.base.seen(error.theirs)
            show_conflict(list(self.query(FormField)), error, self._describe, {"referral_id": "referral"})
            return
        super().refused(error)

    def _describe(self, field: str, value: Any) -> str:
        if field == "status":
            return rules.STATUSES.get(value, str(value))
        return next((name or "doorverwijzing" for rid, name in self.referrals if rid == value), "geen doorverwijzing")
