"""Organisation settings (coordinators): name, auto-lock minutes, retention term."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Static

from wijkwerk_tui.config import export_dir as default_export_dir
from wijkwerk_tui.domain.accounts import check_lock_minutes
from wijkwerk_tui.domain.text import check_folder
from wijkwerk_tui.store import audit, settings
from wijkwerk_tui.store.audit import format_head
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database


@dataclass(frozen=True)
class Current:
    organisation: str
    lock_minutes: int
    retention_years: int
    export_folder: str
    audit_head: str  # to note on paper: `wijkwerk check --head` tells whether the chain still holds it
    remove_backups: bool  # at a new database key (security.rekey): removed rather than copied


class SettingsForm(FormScreen):
    form_title = "Instellingen"

    def __init__(self, current: Current) -> None:
        super().__init__()
        self.current = current

    @staticmethod
    def load(db: Database) -> Current:
        return Current(
            settings.get(db, settings.ORGANISATION_KEY),
            settings.lock_minutes(db),
            settings.retention_years(db),
            settings.get(db, settings.EXPORT_FOLDER_KEY),
            format_head(head) if (head := audit.head(db)) else "",
            settings.get(db, settings.REKEY_BACKUPS_KEY) == settings.REMOVE_BACKUPS,
        )

    def compose_fields(self) -> ComposeResult:
        now = self.current
        organisation = Input(now.organisation, id="organisation", compact=True)
        yield self.field("Organisatie", organisation, "organisation")
        minutes = Input(str(now.lock_minutes), id="lock_minutes", compact=True, max_length=2)
        yield self.field("Vergrendelen na", minutes, "lock_minutes")
        years = Input(str(now.retention_years), id="retention_years", compact=True, max_length=2)
        yield self.field("Bewaartermijn jaren", years, "retention_years")
        folder = Input(now.export_folder, placeholder=str(default_export_dir()), id="export_folder", compact=True)
        yield self.field("Exportmap", folder, "export_folder")
        remove = Checkbox(
            "verwijderen bij een nieuwe sleutel",
            now.remove_backups,
            id="remove_backups",
            compact=True,
        )
        yield self.field("Oude back-ups", remove, "remove_backups")
        if now.audit_head:
            note = Text("Kop van de audit-keten: ")
            note.append(now.audit_head, style="bold")
            note.append("  (noteer op papier; `wijkwerk check --head` vergelijkt later)")
            yield Static(note, id="audit-head", classes="field-note")

    def save(self) -> Write:
        db, worker = self.app.db, self.app.worker_id
        organisation, retention = self.value_of("organisation"), self.value_of("retention_years")
        minutes = check_lock_minutes(self.value_of("lock_minutes"))
        folder = check_folder(self.value_of("export_folder"), "export_folder")
        remove = bool(self.value_of("remove_backups"))

        def write() -> str:
            settings.save_organisation_settings(
                db,
                worker,
                organisation=organisation,
                lock_minutes=minutes,
                retention_years=retention,
                export_folder=folder,
                remove_backups=remove,
            )
            return "Instellingen opgeslagen."

        self._minutes, self._folder = minutes, folder
        return write

    def after_save(self, message: str) -> None:
        self.app.lock_minutes = self._minutes  # the idle lock follows at once, and so do exports
        self.app.export_folder = self._folder
        super().after_save(message)
