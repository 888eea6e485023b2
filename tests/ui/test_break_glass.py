"""Need-to-know in the app (issue 18): a worker searching finds a resident outside his areas
marked "met reden"; opening the file asks for a reason (a short one is refused at the field,
Escape opens nothing), and the opening is audited with it. A coordinator sets a worker's
areas on the Medewerkers screen."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, SelectionList, Static

from tests.conftest import PASS
from tests.store.test_scope import PIET, PIET_PASS
from tests.ui.helpers import cells, screen_text, settle, type_text
from wijkwerk_tui.db.tables import AuditEvent
from wijkwerk_tui.domain.accounts import WORKER
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.security import vault
from wijkwerk_tui.services import resident_file
from wijkwerk_tui.store import areas, residents, scope
from wijkwerk_tui.ui.app import WijkwerkApp
from wijkwerk_tui.ui.dialogs.reason import ReasonDialog
from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen
from wijkwerk_tui.ui.widgets.row_list import RowList


@pytest.fixture
def piet_in_ruinen(setup_db, clock):  # type: ignore[no-untyped-def]
    session, _code, path = setup_db
    piet = vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    by_name = {a.name: a.id for a in areas.list_areas(session.db)}
    wil = residents.add_resident(
        session.db, session.worker_id, PersonalData("Wil", "", "Zonderland", 1944), by_name["Zuidwolde"]
    )
    scope.set_areas(session.db, session.worker_id, piet.id, {by_name["Ruinen"]})
    session.db.close()
    return vault.login(path, PIET, PIET_PASS, clock), wil.id


async def test_a_file_outside_his_areas_opens_only_with_a_reason_which_is_audited(piet_in_ruinen, clock) -> None:
    session, wil = piet_in_ruinen
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "Zonderland")
        await settle(pilot)
        assert "met reden" in screen_text(app)  # (the search says so before it is opened)
        app.open_resident(wil)
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("escape")  # not opened after all
        await settle(pilot)
        assert not isinstance(app.screen, (ReasonDialog, ResidentScreen))
        app.open_resident(wil)
        await settle(pilot)
        await type_text(pilot, "even")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        assert "minstens 10" in str(app.screen.query_one("#reason-error", Static).render())
        app.screen.query_one("#reason", Input).value = ""
        await type_text(pilot, "belde namens de huisarts")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResidentScreen)
        assert "Zonderland" in screen_text(app)
        with session.db.reading() as s:
            events = list(s.exec(select(AuditEvent).where(AuditEvent.resident_id == wil)))
        assert [(e.action, e.detail) for e in events if e.worker_id == session.worker_id] == [
            ("resident.breakglass", "belde namens de huisarts")
        ]


async def test_a_coordinator_sets_a_worker_s_areas(setup_db, clock) -> None:
    from wijkwerk_tui.ui.screens.admin.accounts import AccountsScreen

    session, _code, _path = setup_db
    piet = vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_accounts()
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
        table = app.screen.query_one("#accounts", DataTable)
        table.move_cursor(row=[r[0] for r in cells(table)].index(PIET))
        await pilot.press("b")
        await settle(pilot)
        picker = app.screen.query_one("#areas", SelectionList)
        ruinen = [i for i in range(picker.option_count) if str(picker.get_option_at_index(i).prompt) == "Ruinen"]
        picker.highlighted = ruinen[0]
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
        assert [PIET, "medewerker", "ja", "Ruinen"] in cells(app.screen.query_one("#accounts", DataTable))
        ruinen_id = {a.name: a.id for a in areas.list_areas(session.db)}["Ruinen"]
        assert scope.worker_areas(session.db, piet.id) == frozenset({ruinen_id})


async def test_a_coordinator_sees_the_opening_in_ongebruikelijk_inzien(piet_in_ruinen, clock) -> None:
    from wijkwerk_tui.ui.screens.lists.unusual_views import UnusualViewsScreen

    piet, wil = piet_in_ruinen
    resident_file.record_view(piet.db, piet.worker_id, wil, "belde namens de huisarts")
    path = piet.db.path
    piet.db.close()
    sanne = vault.login(path, "Sanne Kuiper", PASS, clock)
    app = WijkwerkApp(sanne, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_unusual_views()
        await settle(pilot)
        assert isinstance(app.screen, UnusualViewsScreen)
        rows = cells(app.screen.query_one("#unusual", RowList))
        assert [r[1:] for r in rows] == [[PIET, "met reden", "Wil Zonderland", "belde namens de huisarts"]]
        await pilot.press("left_square_bracket")  # the month before: nothing
        await settle(pilot)
        assert cells(app.screen.query_one("#unusual", RowList)) == []
        assert "Niets ongebruikelijks" in screen_text(app)
