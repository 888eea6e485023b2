"""Medewerkers (coordinators only): add, reset a passphrase, deactivate or reactivate."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.accounts import COORDINATOR
from wijkwerk_tui.domain.activities import ROLES
from wijkwerk_tui.store import areas as area_store
from wijkwerk_tui.store import scope, workers
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.text import plain
from wijkwerk_tui.ui.widgets.footer import Footer

DEACTIVATED = (
    "Account gedeactiveerd; de sleutel van dit account is verwijderd. De database krijgt een nieuwe "
    "sleutel wanneer Wijkwerk wordt afgesloten: een oude kopie van het sleutelbestand opent haar dan niet meer."
)


class AccountsScreen(AppScreen[None]):
    DEFAULT_CSS = """
    AccountsScreen #accounts-title { height: auto; padding: 0 1; text-style: bold; }
    AccountsScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="accounts.back"),
        Binding("a", "add", "Nieuw account", id="accounts.add"),
        Binding("r", "reset", "Nieuw wachtwoord", id="accounts.reset"),
        Binding("d", "toggle_active", "(De)activeren", id="accounts.toggle"),
        Binding("b", "areas", "Gebieden", id="accounts.areas"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.title = "Medewerkers"
        self.rows: list[Worker] = []

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Medewerkers — een gedeactiveerd account kan de database niet meer openen"), id="accounts-title"
        )
        yield DataTable(id="accounts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="accounts", description="accounts")
    def load(self) -> None:
        rows = workers.list_workers(self.app.db, include_inactive=True)
        # Once the organisation's key is pinned: which accounts this laptop does not honour.
        unsigned = {w.id for w in workers.unsigned(self.app.db)} if workers.key_pinned(self.app.db) else None
        names = {a.id: a.name for a in area_store.list_areas(self.app.db, include_inactive=True)}
        worked = {
            w.id: ", ".join(sorted(names[a] for a in scope.worker_areas(self.app.db, w.id) if a in names)) or "alle"
            for w in rows
        }
        self.app.call_from_thread(self._show, rows, unsigned, worked)

    def _show(self, rows: list[Worker], unsigned: set[object] | None, worked: dict[object, str]) -> None:
        self.rows = rows
        table = self.query_one("#accounts", DataTable)
        at = table.cursor_row  # kept over the reload: the next key acts on the same row
        table.clear(columns=True)
        table.add_columns("Naam", "Rol", "Actief", *(["Ondertekend"] if unsigned is not None else []), "Gebieden")
        for w in rows:
            cells = [plain(w.name), plain(ROLES.get(w.role, w.role)), plain("ja" if w.active else "nee")]
            if unsigned is not None:  # "nee": wijkwerk hub sign (a coordinator with the key)
                cells.append(plain("nee" if w.id in unsigned else "ja"))
            cells.append(plain("alle" if w.role == COORDINATOR else worked.get(w.id, "alle")))
            table.add_row(*cells, key=str(w.id))
        table.move_cursor(row=min(at, len(rows) - 1) if rows else 0)
        table.focus()

    def _selected(self) -> Worker | None:
        table = self.query_one("#accounts", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _reload(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_add(self) -> None:
        from wijkwerk_tui.ui.screens.admin.account_form import AccountForm

        self.app.push_screen(AccountForm(), self._reload)

    def action_reset(self) -> None:
        from wijkwerk_tui.ui.screens.admin.account_form import AccountForm

        worker = self._selected()
        if worker is not None:
            self.app.push_screen(AccountForm(worker), self._reload)

    def action_areas(self) -> None:
        from wijkwerk_tui.ui.screens.admin.worker_areas import WorkerAreasDialog

        worker = self._selected()
        if worker is not None:
            self.app.push_screen(WorkerAreasDialog(worker), self._reload)

    def action_toggle_active(self) -> None:
        from wijkwerk_tui.ui.screens.admin.account_form import AccountForm

        worker = self._selected()
        if worker is None:
            return
        if not worker.active:  # reactivating needs a new passphrase (the old key slot is gone)
            self.app.push_screen(AccountForm(worker, reactivate=True), self._reload)
            return
        self._deactivate(worker)

    @work(thread=True, exclusive=True, exit_on_error=False, group="account-toggle", description="account-toggle")
    def _deactivate(self, worker: Worker) -> None:
        """A refusal ("minstens één actieve coördinator") is the app's Dutch notice."""
        from wijkwerk_tui.security import vault

        session = self.app.session
        assert session is not None
        vault.set_active(session, worker.id, False)
        self.app.call_from_thread(self.app.notify, DEACTIVATED, markup=False, timeout=10)
        self.app.call_from_thread(self.load)
