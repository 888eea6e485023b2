"""The lock screen: hides everything; the same worker returns to where they were."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from wijkwerk_tui.security import vault
from wijkwerk_tui.ui.screens.gate_base import GateScreen


class LockScreen(GateScreen):
    form_title = "Vergrendeld"
    hint = "Enter ontgrendelen · een andere naam: als andere medewerker verder · Ctrl+Q stoppen"

    def compose_fields(self) -> ComposeResult:
        yield Static(Text("Wijkwerk is vergrendeld. Typ uw wachtwoord om verder te gaan waar u was."), id="gate-note")
        names = [w.name for w in self.app.worker_list()]  # type: ignore[attr-defined]
        from textual.suggester import SuggestFromList

        yield self.field(
            "Naam",
            Input(
                self.app.worker_name,
                id="name",
                compact=True,  # type: ignore[attr-defined]
                suggester=SuggestFromList(names, case_sensitive=False),
            ),
            "name",
        )
        yield self.field("Wachtwoord", Input(password=True, id="passphrase", compact=True), "passphrase")

    def prepare(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def save(self) -> str:
        try:
            self._same = vault.unlock(self.app.session, self.value_of("name"), self.value_of("passphrase"))  # type: ignore[attr-defined]
        finally:
            self.query_one("#passphrase", Input).value = ""
        return ""

    def after_save(self, message: str) -> None:
        self.app.unlocked(same_worker=self._same)  # type: ignore[attr-defined]
