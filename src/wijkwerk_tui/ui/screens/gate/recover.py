"""Forgotten passphrase: the recovery code from the office safe sets a new one."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from wijkwerk_tui.domain.accounts import MIN_PASSPHRASE
from wijkwerk_tui.security import vault
from wijkwerk_tui.ui.dialogs.form import Write
from wijkwerk_tui.ui.screens.gate.gate_base import GateScreen


class RecoverScreen(GateScreen):
    form_title = "Nieuw wachtwoord met de herstelcode"
    hint = "Enter volgend veld · Ctrl+S verder · Esc terug"

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose_fields(self) -> ComposeResult:
        note = Text("De herstelcode staat op het papier uit de kluis (6 groepen van 4 tekens).")
        yield Static(note, id="gate-note")
        yield self.field("Herstelcode", Input(id="code", compact=True), "code")
        yield self.field("Naam", Input(id="name", compact=True), "name")
        passphrase = Input(
            password=True, placeholder=f"minstens {MIN_PASSPHRASE} tekens", id="passphrase", compact=True
        )
        yield self.field("Nieuw wachtwoord", passphrase, "passphrase")
        yield self.field("Nog een keer", Input(password=True, id="repeat", compact=True), "repeat")

    def save(self) -> Write:
        path, clock = self.db_path, self.app.clock
        code, name = self.value_of("code"), self.value_of("name")
        passphrase, repeat = self.value_of("passphrase"), self.value_of("repeat")

        def write() -> str:
            self._session = vault.recover(path, code, name, passphrase, repeat, clock)
            return "Nieuw wachtwoord ingesteld."

        return write

    def after_save(self, message: str) -> None:
        self.app.notify(message)
        self.app.signed_in(self._session)

    def action_cancel(self) -> None:
        self.dismiss(False)
