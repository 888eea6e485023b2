"""Change one's own passphrase (the current one is asked first)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from wijkwerk_tui.domain.accounts import MIN_PASSPHRASE
from wijkwerk_tui.security import vault
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write


class PassphraseForm(FormScreen):
    form_title = "Eigen wachtwoord wijzigen"

    def compose_fields(self) -> ComposeResult:
        yield self.field("Huidig wachtwoord", Input(password=True, id="current", compact=True), "current")
        yield self.field(
            "Nieuw wachtwoord",
            Input(password=True, placeholder=f"minstens {MIN_PASSPHRASE} tekens", id="passphrase", compact=True),
            "passphrase",
        )
        yield self.field("Nog een keer", Input(password=True, id="repeat", compact=True), "repeat")

    def save(self) -> Write:
        session = self.app.session
        assert session is not None
        passphrase, repeat, current = self.value_of("passphrase"), self.value_of("repeat"), self.value_of("current")

        def write() -> str:
            vault.set_passphrase(session, session.worker_id, passphrase, repeat, current=current)
            return "Uw wachtwoord is gewijzigd."

        return write
