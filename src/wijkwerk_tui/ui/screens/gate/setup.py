"""First run: the organisation, its areas, the first coordinator. No default passwords."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from wijkwerk_tui.domain.accounts import MIN_PASSPHRASE
from wijkwerk_tui.security import vault
from wijkwerk_tui.ui.dialogs.form import Write
from wijkwerk_tui.ui.screens.gate.gate_base import GateScreen


class SetupScreen(GateScreen):
    form_title = "Wijkwerk inrichten"

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose_fields(self) -> ComposeResult:
        yield Static(
            Text(
                "Eerste start op dit apparaat. De gegevens worden versleuteld opgeslagen; "
                "alleen wie een account heeft, kan ze openen."
            ),
            id="gate-note",
        )
        yield self.field("Organisatie", Input(id="organisation", compact=True), "organisation")
        areas = Input(placeholder="bijv. Ruinen, Zuidwolde, De Wijk", id="areas", compact=True)
        yield self.field("Gebieden", areas, "areas")
        yield self.field("Uw naam", Input(id="name", compact=True), "name")
        passphrase = Input(
            password=True, placeholder=f"minstens {MIN_PASSPHRASE} tekens", id="passphrase", compact=True
        )
        yield self.field("Wachtwoord", passphrase, "passphrase")
        yield self.field("Nog een keer", Input(password=True, id="repeat", compact=True), "repeat")

    def save(self) -> Write:
        path, clock = self.db_path, self.app.clock
        organisation, name = self.value_of("organisation"), self.value_of("name")
        areas = [a.strip() for a in str(self.value_of("areas")).split(",")]
        passphrase, repeat = self.value_of("passphrase"), self.value_of("repeat")

        def write() -> str:
            self._session, self._code = vault.setup(path, organisation, areas, name, passphrase, repeat, clock)
            return "Ingericht."

        return write

    def after_save(self, message: str) -> None:
        from wijkwerk_tui.ui.screens.gate.recovery_code import RecoveryCodeScreen

        session = self._session
        self.app.push_screen(RecoveryCodeScreen(self._code, lambda: self.app.signed_in(session)))
