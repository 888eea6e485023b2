"""A new account, a coordinator's passphrase reset, or reactivating an account."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input

from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.accounts import MIN_PASSPHRASE, check_passphrase
from wijkwerk_tui.domain.activities import ROLES
from wijkwerk_tui.security import vault
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select


class AccountForm(FormScreen):
    def __init__(self, worker: Worker | None = None, reactivate: bool = False) -> None:
        super().__init__()
        self.worker = worker
        self.reactivate = reactivate
        if worker is None:
            self.form_title = "Nieuw account"
        else:
            self.form_title = f"{'Heractiveren' if reactivate else 'Nieuw wachtwoord'}: {worker.name}"

    def compose_fields(self) -> ComposeResult:
        if self.worker is None:
            yield self.field("Naam", Input(id="name", compact=True), "name")
            roles = [(Text(label), code) for code, label in ROLES.items()]
            yield self.field("Rol", select(roles, "worker", id="role"), "role")
        yield self.field(
            "Wachtwoord",
            Input(password=True, placeholder=f"minstens {MIN_PASSPHRASE} tekens", id="passphrase", compact=True),
            "passphrase",
        )
        yield self.field("Nog een keer", Input(password=True, id="repeat", compact=True), "repeat")

    def save(self) -> Write:
        session, worker, reactivate = self.app.session, self.worker, self.reactivate
        assert session is not None
        passphrase, repeat = self.value_of("passphrase"), self.value_of("repeat")
        if worker is None:
            name, role = self.value_of("name"), self.value_of("role") or "worker"

            def add() -> str:
                vault.add_account(session, name, role, passphrase, repeat)
                return "Account aangemaakt. Geef het wachtwoord persoonlijk door."

            return add
        check_passphrase(passphrase, repeat)

        def change() -> str:
            if reactivate:
                vault.set_active(session, worker.id, True, passphrase)
                return "Account weer actief."
            vault.set_passphrase(session, worker.id, passphrase, repeat)
            return "Nieuw wachtwoord ingesteld."

        return change
