"""A damaged database at login: offer the newest good backup instead of a traceback."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import vault
from wijkwerk_tui.ui.dialogs.form import Write
from wijkwerk_tui.ui.screens.gate.gate_base import GateScreen
from wijkwerk_tui.ui.text import day


class RestoreOffer(GateScreen):
    form_title = "De database is beschadigd of onleesbaar"
    hint = "Ctrl+S terugzetten · Esc niet nu"

    def __init__(self, db_path: Path, backup_path: Path | None, name: str) -> None:
        super().__init__()
        self.db_path = db_path
        self.backup_path = backup_path
        self.name_ = name

    def compose_fields(self) -> ComposeResult:
        if self.backup_path is None:
            message = (
                "Er is geen goede back-up gevonden. Neem contact op met uw coördinator of "
                "beheerder; het beschadigde bestand blijft staan zoals het is."
            )
            yield Static(Text(message), id="gate-note")
            return
        when = backup.taken_at(self.backup_path)
        stamp = f"{day(when.date())} {when:%H:%M}" if when else self.backup_path.name
        message = (
            f"De nieuwste goede back-up is van {stamp}. Wat daarna is vastgelegd, gaat verloren. "
            "Het beschadigde bestand wordt bewaard naast de database. Een coördinator kan de "
            "back-up nu terugzetten."
        )
        yield Static(Text(message), id="gate-note")
        yield self.field("Naam", Input(self.name_, id="name", compact=True), "name")
        yield self.field("Wachtwoord", Input(password=True, id="passphrase", compact=True), "passphrase")

    def save(self) -> Write:
        path, found, clock = self.db_path, self.backup_path, self.app.clock
        if found is None:
            return lambda: ""
        name, passphrase = self.value_of("name"), self.value_of("passphrase")

        def write() -> str:
            self._session = vault.restore(path, found, name, passphrase, clock)
            return "Back-up teruggezet."

        return write

    def after_save(self, message: str) -> None:
        if self.backup_path is None:
            self.dismiss(False)
            return
        self.app.notify(message)
        self.app.signed_in(self._session)

    def action_cancel(self) -> None:
        self.dismiss(False)
