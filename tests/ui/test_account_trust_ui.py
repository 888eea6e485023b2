"""The organisation's key in the app: the accounts list says which accounts this laptop does
not honour, such an account's login gets a Dutch message at the name, and an account change
without the key is refused with one (keys only)."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from tests.security.test_account_trust import PIET, PIET_PASS, _forge, _init_here
from tests.ui.helpers import cells, settle, type_text
from wijkwerk_tui.domain.accounts import COORDINATOR
from wijkwerk_tui.security import vault
from wijkwerk_tui.store import trust, workers
from wijkwerk_tui.ui.app import WijkwerkApp, make_app
from wijkwerk_tui.ui.screens.admin.accounts import AccountsScreen
from wijkwerk_tui.ui.screens.gate.login import LoginScreen


async def test_the_accounts_list_marks_an_account_changed_without_the_key(setup_db, clock) -> None:
    session, _code, _path = setup_db
    vault.add_account(session, PIET, "worker", PIET_PASS, PIET_PASS)
    _init_here(session)
    _forge(session.db, PIET, role=COORDINATOR)
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_accounts()
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
        rows = cells(app.screen.query_one("#accounts", DataTable))
        assert ["Piet de Boer", "coördinator", "ja", "nee", "alle"] in rows
        assert ["Sanne Kuiper", "coördinator", "ja", "ja", "alle"] in rows
        table = app.screen.query_one("#accounts", DataTable)
        table.move_cursor(row=[r[0] for r in rows].index(PIET))
        await pilot.press("d")  # switching a forged account off signs it, as a worker
        await settle(pilot)
        assert ["Piet de Boer", "medewerker", "nee", "ja", "alle"] in cells(
            app.screen.query_one("#accounts", DataTable)
        )
        session.org_key = None  # now her passphrase here would not open her copy
        table = app.screen.query_one("#accounts", DataTable)
        table.move_cursor(row=[r[0] for r in rows].index(PIET))
        await pilot.press("d")  # reactivating asks for a passphrase first
        await settle(pilot)
        for _ in range(2):
            await type_text(pilot, "een-nieuw-wachtwoord-voor-piet")
            await pilot.press("tab")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert trust.NEEDS_KEY in str(app.screen.query_one("#form-error", Static).render())
        piet = workers.find_by_name(session.db, PIET)
        assert piet is not None and not piet.active


async def test_logging_in_with_an_unsigned_account_says_why_at_the_name(setup_db, clock) -> None:
    session, _code, path = setup_db
    vault.add_account(session, PIET, "worker", PIET_PASS, PIET_PASS)
    _init_here(session)
    _forge(session.db, PIET, role=COORDINATOR)
    session.db.close()
    app = make_app(path, now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await type_text(pilot, PIET)
        await pilot.press("enter")
        await type_text(pilot, PIET_PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "sleutel van de organisatie" in app.screen.query_one("#field-name").error
