"""First run: the organisation, its areas, the first coordinator. No default passwords."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from wijkwerk_tui.domain.accounts import MIN_PASSPHRASE
from wijkwerk_tui.security import vault
from wijkwerk_tui.ui.screens.gate_base import GateScreen


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
        yield self.field(
            "Gebieden", Input(placeholder="bijv. Ruinen, Zuidwolde, De Wijk", id="areas", compact=True), "areas"
        )
        yield self.field("Uw naam", Input(id="name", compact=True), "name")
        yield self.field(
            "Wachtwoord",
            Input(password=True, placeholder=f"minstens {MIN_PASSPHRASE} tekens", id="passphrase", compact=True),
            "passphrase",
        )
        yield self.field("Nog een keer", Input(password=True, id="repeat", compact=True), "repeat")

    def save(self) -> str:
        areas = [a.strip() for a in str(self.value_of("areas")).split(",")]
        session, code = vault.setup(
            self.db_path,
            self.value_of("organisation"),
            areas,
            self.value_of("name"),
            self.value_of("passphrase"),
            self.value_of("repeat"),
            self.app.clock,
        )  # type: ignore[attr-defined]
        self._session, self._code = session, code
        return "Ingericht."

    def after_save(self, message: str) -> None:
        from wijkwerk_tui.ui.screens.recovery_code import RecoveryCodeScreen

        session = self._session
        self.app.push_screen(RecoveryCodeScreen(self._code, lambda: self.app.signed_in(session)))  # type: ignore[attr-defined]
