"""Organisation settings (coordinators): name, auto-lock minutes, retention term."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from wijkwerk_tui.store import settings
from wijkwerk_tui.ui.screens.form_base import FormScreen


class SettingsForm(FormScreen):
    form_title = "Instellingen"

    def compose_fields(self) -> ComposeResult:
        app = self.app
        db = app.db  # type: ignore[attr-defined]
        yield self.field(
            "Organisatie", Input(settings.get(db, "organisation"), id="organisation", compact=True), "organisation"
        )
        yield self.field(
            "Vergrendelen na",
            Input(
                str(int(app.lock_after().total_seconds() // 60)),  # type: ignore[attr-defined]
                id="lock_minutes",
                compact=True,
                max_length=2,
            ),
            "lock_minutes",
        )
        yield self.field(
            "Bewaartermijn (jaar)",
            Input(str(settings.retention_years(db)), id="retention_years", compact=True, max_length=2),
            "retention_years",
        )

    def save(self) -> str:
        settings.save_organisation_settings(
            self.app.db,
            self.app.worker_id,  # type: ignore[attr-defined]
            organisation=self.value_of("organisation"),
            lock_minutes=self.value_of("lock_minutes"),
            retention_years=self.value_of("retention_years"),
        )
        return "Instellingen opgeslagen."
