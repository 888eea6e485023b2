"""Log in: pick your name (type-ahead) and enter your passphrase."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.security.keyfile import KeyFile
from wijkwerk_tui.ui.dialogs.form import Write
from wijkwerk_tui.ui.screens.gate.gate_base import GateScreen


def complete_name(typed: str, names: list[str]) -> str:
    """The name the type-ahead shows for `typed` (as SuggestFromList does), else `typed`."""
    wanted = typed.casefold()
    if not wanted:
        return typed
    return next((name for name in names if name.casefold().startswith(wanted)), typed)


class LoginScreen(GateScreen):
    form_title = "Inloggen"
    BINDINGS = [Binding("ctrl+r", "recover", "Wachtwoord vergeten", id="login.recover")]
    hint = "Enter verder · Ctrl+R wachtwoord vergeten · Ctrl+Q stoppen"

    def __init__(self, db_path: Path, keyfile: KeyFile) -> None:
        super().__init__()
        self.db_path = db_path
        self.keyfile = keyfile
        self.names = keyfile.names()

    def compose_fields(self) -> ComposeResult:
        if self.keyfile.is_demo:
            yield Static(
                Text(
                    f"DEMO — oefendatabase met verzonnen inwoners. Wachtwoord voor iedereen: "
                    f"{self.keyfile.demo_passphrase}   (bijv. {self.keyfile.demo_user})"
                ),
                id="gate-banner",
            )
        suggester = SuggestFromList(self.names, case_sensitive=False)
        name = Input(placeholder="begin te typen…", id="name", compact=True, suggester=suggester)
        yield self.field("Naam", name, "name")
        yield self.field("Wachtwoord", Input(password=True, id="passphrase", compact=True), "passphrase")

    def completed(self, field: Input) -> None:
        if field.id == "name":  # Enter accepts the name the type-ahead shows
            field.value = complete_name(field.value, self.names)

    def save(self) -> Write:
        from wijkwerk_tui.security import vault

        path, clock = self.db_path, self.app.clock
        name, passphrase = self.query_one("#name", Input).value, self.value_of("passphrase")

        def write() -> str:
            self._session = vault.login(path, name, passphrase, clock)
            return "Ingelogd."

        return write

    def refused(self, error: DomainError) -> None:
        from wijkwerk_tui.security import vault

        self.query_one("#passphrase", Input).value = ""
        super().refused(error)
        if isinstance(error, vault.DamagedDatabase):
            from wijkwerk_tui.ui.screens.gate.restore_offer import RestoreOffer

            self.app.push_screen(RestoreOffer(self.db_path, error.backup_path, self.query_one("#name", Input).value))

    def after_save(self, message: str) -> None:
        self.app.signed_in(self._session)

    def action_recover(self) -> None:
        from wijkwerk_tui.ui.screens.gate.recover import RecoverScreen

        self.app.push_screen(RecoverScreen(self.db_path))
