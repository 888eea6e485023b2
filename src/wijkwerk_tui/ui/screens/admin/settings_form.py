"""Organisation settings (coordinators): name, auto-lock minutes, retention term."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Input

from wijkwerk_tui.domain.accounts import check_lock_minutes
from wijkwerk_tui.store import settings
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database


@dataclass(frozen=True)
class Current:
    organisation: str
    lock_minutes: int
    retention_years: int


class SettingsForm(FormScreen):
    form_title = "Instellingen"

    def __init__(self, current: Current) -> None:
        super().__init__()
        self.current = current

    @staticmethod
    def load(db: Database) -> Current:
        return Current(
            settings.get(db, settings.ORGANISATION_KEY), settings.lock_minutes(db), settings.retention_years(db)
        )

    def compose_fields(self) -> ComposeResult:
        now = self.current
        organisation = Input(now.organisation, id="organisation", compact=True)
        yield self.field("Organisatie", organisation, "organisation")
        minutes = Input(str(now.lock_minutes), id="lock_minutes", compact=True, max_length=2)
        yield self.field("Vergrendelen na", minutes, "lock_minutes")
        years = Input(str(now.retention_years), id="retention_years", compact=True, max_length=2)
        yield self.field("Bewaartermijn (jaar)", years, "retention_years")

    def save(self) -> Write:
        db, worker = self.app.db, self.app.worker_id
        organisation, retention = self.value_of("organisation"), self.value_of("retention_years")
        minutes = check_lock_minutes(self.value_of("lock_minutes"))

        def write() -> str:
            settings.save_organisation_settings(
                db, worker, organisation=organisation, lock_minutes=minutes, retention_years=retention
            )
            return "Instellingen opgeslagen."

        self._minutes = minutes
        return write

    def after_save(self, message: str) -> None:
        self.app.lock_minutes = self._minutes  # the idle lock follows at once
        super().after_save(message)
