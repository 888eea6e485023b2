"""Log in: pick your name (type-ahead) and enter your passphrase."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from wijkwerk_tui.security.keyfile import KeyFile
from wijkwerk_tui.ui.screens.gate_base import GateScreen


class LoginScreen(GateScreen):
    form_title = "Inloggen"
    BINDINGS = [Binding("ctrl+r", "recover", "Wachtwoord vergeten", id="login.recover")]
    hint = "Enter verder · Ctrl+R wachtwoord vergeten · Ctrl+Q stoppen"

    def __init__(self, db_path: Path, keyfile: KeyFile) -> None:
        super().__init__()
        self.db_path = db_path
        self.keyfile = keyfile

    def compose_fields(self) -> ComposeResult:
        if self.keyfile.is_demo:
            yield Static(
                Text(
                    f"DEMO — oefendatabase met verzonnen inwoners. Wachtwoord voor iedereen: "
                    f"{self.keyfile.demo_passphrase}   (bijv. {self.keyfile.demo_user})"
                ),
                id="gate-banner",
            )
        names = self.keyfile.names()
        yield self.field(
            "Naam",
            Input(
                placeholder="begin te typen…",
                id="name",
                compact=True,
                suggester=SuggestFromList(names, case_sensitive=False),
            ),
            "name",
        )
        yield self.field("Wachtwoord", Input(password=True, id="passphrase", compact=True), "passphrase")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Runs before GateScreen's handler (Textual calls each class's handler in MRO order).
        if event.input.id == "name" and event.input._suggestion:  # accept the type-ahead with Enter
            event.input.value = event.input._suggestion

    def save(self) -> str:
        from wijkwerk_tui.security import vault

        name = self.query_one("#name", Input).value
        try:
            self._session = vault.login(self.db_path, name, self.value_of("passphrase"), self.app.clock)  # type: ignore[attr-defined]
        except vault.DamagedDatabase as damaged:
            self.query_one("#passphrase", Input).value = ""
            self._offer_backup(damaged, name)
            raise
        except vault.LoginError:
            self.query_one("#passphrase", Input).value = ""
            raise
        return "Ingelogd."

    def _offer_backup(self, damaged: object, name: str) -> None:
        from wijkwerk_tui.ui.screens.restore_offer import RestoreOffer

        self._pending_passphrase_for = name
        self.app.push_screen(RestoreOffer(self.db_path, damaged.backup_path, name))  # type: ignore[attr-defined]

    def after_save(self, message: str) -> None:
        self.app.signed_in(self._session)  # type: ignore[attr-defined]

    def action_recover(self) -> None:
        from wijkwerk_tui.ui.screens.recover import RecoverScreen

        self.app.push_screen(RecoverScreen(self.db_path))
