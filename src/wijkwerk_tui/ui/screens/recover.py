"""Forgotten passphrase: the recovery code from the office safe sets a new one."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from wijkwerk_tui.domain.accounts import MIN_PASSPHRASE
from wijkwerk_tui.security import vault
from wijkwerk_tui.ui.screens.gate_base import GateScreen


class RecoverScreen(GateScreen):
    form_title = "Nieuw wachtwoord met de herstelcode"
    hint = "Enter volgend veld · Ctrl+S verder · Esc terug"

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose_fields(self) -> ComposeResult:
        yield Static(Text("De herstelcode staat op het papier uit de kluis (6 groepen van 4 tekens)."), id="gate-note")
        yield self.field("Herstelcode", Input(id="code", compact=True), "code")
        yield self.field("Naam", Input(id="name", compact=True), "name")
        yield self.field(
            "Nieuw wachtwoord",
            Input(password=True, placeholder=f"minstens {MIN_PASSPHRASE} tekens", id="passphrase", compact=True),
            "passphrase",
        )
        yield self.field("Nog een keer", Input(password=True, id="repeat", compact=True), "repeat")

    def save(self) -> str:
        self._session = vault.recover(
            self.db_path,
            self.value_of("code"),
            self.value_of("name"),
            self.value_of("passphrase"),
            self.value_of("repeat"),
            self.app.clock,
        )  # type: ignore[attr-defined]
        return "Nieuw wachtwoord ingesteld."

    def after_save(self, message: str) -> None:
        self.app.notify(message)
        self.app.signed_in(self._session)  # type: ignore[attr-defined]

    def action_cancel(self) -> None:
        self.dismiss(False)
