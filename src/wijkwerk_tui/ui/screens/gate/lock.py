"""The lock screen: hides everything; the same worker returns to where they were."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from wijkwerk_tui.security import vault
from wijkwerk_tui.store import workers
from wijkwerk_tui.ui.dialogs.form import Write
from wijkwerk_tui.ui.screens.gate.gate_base import GateScreen
from wijkwerk_tui.ui.screens.gate.login import complete_name


class LockScreen(GateScreen):
    form_title = "Vergrendeld"
    hint = "Enter ontgrendelen · andere naam: andere medewerker · Ctrl+Q stoppen"

    def compose_fields(self) -> ComposeResult:
        note = Text("Wijkwerk is vergrendeld. Typ uw wachtwoord om verder te gaan waar u was.")
        yield Static(note, id="gate-note")
        yield self.field("Naam", Input(self.app.worker_name, id="name", compact=True), "name")
        yield self.field("Wachtwoord", Input(password=True, id="passphrase", compact=True), "passphrase")

    def prepare(self) -> None:
        self.query_one("#passphrase", Input).focus()
        self.load_names()

    @work(thread=True, exclusive=True, group="lock-names", exit_on_error=False, description="lock-names")
    def load_names(self) -> None:
        """Other workers' names for the type-ahead (the lock itself never waits for this)."""
        names = [w.name for w in workers.list_workers(self.app.db)]
        self.app.call_from_thread(self._suggest, names)

    def _suggest(self, names: list[str]) -> None:
        self._names = names
        self.query_one("#name", Input).suggester = SuggestFromList(names, case_sensitive=False)

    def completed(self, field: Input) -> None:
        if field.id == "name":  # Enter accepts the name the type-ahead shows, as at the login
            field.value = complete_name(field.value, getattr(self, "_names", []))

    def save(self) -> Write:
        session = self.app.session
        assert session is not None
        name, passphrase = self.value_of("name"), self.value_of("passphrase")
        self.query_one("#passphrase", Input).value = ""

        def write() -> str:
            self._same = vault.unlock(session, name, passphrase)
            return ""

        return write

    def after_save(self, message: str) -> None:
        self.app.unlocked(same_worker=self._same)
