"""Issue 14.12: the worker's own last save taken back within minutes (Ctrl+O or the palette),
never another worker's, and today's own work listed on Vandaag."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from textual.widgets import DataTable, Input

from tests.conftest import FROZEN_NOW
from tests.ui.helpers import cells, settle, switch_worker, type_text
from wijkwerk_tui.domain import undo as undo_rules
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.security import vault
from wijkwerk_tui.services import undo
from wijkwerk_tui.services.intake import IntakeData, save_intake
from wijkwerk_tui.store import areas, ladders, signals, workers
from wijkwerk_tui.ui.app import WijkwerkApp, make_app
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.screens.lists.start import StartScreen
from wijkwerk_tui.ui.screens.resident.intake import IntakeScreen
from wijkwerk_tui.ui.widgets.key_toggles import YesNo

PIET = "groene-piet-op-de-fiets"


def _live(db, table: str) -> int:
    with db.reading() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL")).scalar() or 0)


async def _intake(pilot, name: str = "Wim Mulder") -> None:
    """A new resident with both steps and a signal, from the start screen."""
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, IntakeScreen)
    await type_text(pilot, name)
    await pilot.press("tab", *"1950", "tab", "r", "tab", "tab", "2", "3", "e")
    screen.query_one("#consent", YesNo).focus()
    await pilot.press("j", "ctrl+s")
    await settle(pilot)
    assert screen.query_one("#name", Input).value == ""  # saved: a fresh intake


async def test_issue14_12_ctrl_o_takes_back_the_intake_just_saved(office) -> None:
    db, _worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _intake(pilot)
        assert [_live(db, t) for t in ("resident", "contact", "ladderstep", "signal")] == [1, 1, 2, 1]
        assert "Opgeslagen: Wim Mulder" in str(app.screen.query_one("#form-error").render())
        await pilot.press("ctrl+o")  # also from inside the intake's name field
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "de intake van Wim Mulder" in str(app.screen.query_one("#question").render())
        await pilot.press("j")
        await settle(pilot)
        assert [_live(db, t) for t in ("resident", "contact", "ladderstep", "signal")] == [0, 0, 0, 0]
        assert "Opgeslagen" not in str(app.screen.query_one("#form-error").render())  # the line no longer holds
        assert search_residents(db, "wim mulder") == []
        with db.reading() as session:
            assert session.execute(text("SELECT count(*) FROM auditevent WHERE action = 'save.undo'")).scalar() == 1
        await pilot.press("ctrl+o")  # once: nothing left to take back
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("niets om ongedaan te maken" in str(n.message) for n in app._notifications)


async def test_issue14_12_the_palette_undoes_a_step_and_the_file_shows_the_one_before(office) -> None:
    db, _worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _intake(pilot)
        await pilot.press("escape")
        await settle(pilot)
        [wim] = [r for r in search_residents(db, "wim mulder") if r.name == "Wim Mulder"]
        app.open_resident(wim.id)
        await settle(pilot)
        await pilot.press("p")  # a new participation step: 4
        await settle(pilot)
        await pilot.press("4", "ctrl+s")
        await settle(pilot)
        assert ladders.current(db, wim.id, ladders.Ladder.PARTICIPATION).step == 4
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "ongedaan")
        found = app.screen.query_one("CommandList")
        for _ in range(200):  # the palette searches in the background: wait for its hit
            if found.option_count:
                break
            await pilot.pause(0.02)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("j")
        await settle(pilot)
        assert ladders.current(db, wim.id, ladders.Ladder.PARTICIPATION).step == 2  # the intake's
        [row] = [r for r in search_residents(db, "wim mulder") if r.id == wim.id]
        assert row.participation_step == 2  # the list's copy of the current step too
        head = str(app.screen.query_one("#resident-head").render())
        assert "trede 2" in head and "trede 4" not in head  # the open file was read again


async def test_issue14_12_undo_never_reaches_another_workers_save(setup_db, clock) -> None:
    session, _code, _path = setup_db
    vault.add_account(session, "Piet de Boer", "worker", PIET, PIET)
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _intake(pilot, "Truus Bakker")
        await switch_worker(pilot, "Piet de Boer", PIET)
        assert app.worker_name == "Piet de Boer"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("niets om ongedaan te maken" in str(n.message) for n in app._notifications)
    assert _live(session.db, "resident") == 1 and _live(session.db, "contact") == 1


def test_issue14_12_the_rules_of_an_undo(office) -> None:
    db, worker = office
    other = workers.add_worker(db, worker.id, "Piet de Boer")
    area = areas.list_areas(db)[0]
    visit = IntakeData(name="Ans Dekker", birth_year="1960", area_id=area.id, categories=("debts",), consent=True)
    first = save_intake(db, worker.id, visit).undo
    assert first is not None and {r.table for r in first.rows} == {"resident", "contact", "signal"}
    with pytest.raises(DomainError, match="Alleen wie"):
        undo.undo(db, other.id, first)
    # Someone changed the signal since: nothing is taken back.
    [signal_ref] = [r for r in first.rows if r.table == "signal"]
    signals.update_signal(db, other.id, signal_ref.id, "in_progress")
    with pytest.raises(DomainError, match="intussen gewijzigd"):
        undo.undo(db, worker.id, first)
    assert _live(db, "resident") == 1 and _live(db, "signal") == 1
    # Too late, and a clock set back, both refuse.
    second = save_intake(db, worker.id, visit.__class__(**{**visit.__dict__, "name": "Kees Smit"})).undo
    assert second is not None
    saved_at = second.saved_at
    for moment in (saved_at + undo_rules.WINDOW + timedelta(seconds=1), saved_at - timedelta(minutes=1)):
        db.clock = lambda moment=moment: moment
        with pytest.raises(DomainError, match="tot 5 minuten"):
            undo.undo(db, worker.id, second)
    db.clock = lambda: saved_at + timedelta(minutes=4)
    undo.undo(db, worker.id, second)
    assert _live(db, "resident") == 1


async def test_issue14_12_vandaag_lists_what_was_recorded_today(office) -> None:
    db, _worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _intake(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        rows = cells(app.screen.query_one("#agenda", DataTable))
        done = [row for row in rows if row[0] == "Vastgelegd"]
        assert done == [["Vastgelegd", "10:00", "Wim Mulder", "inloop, 2 treden, Eenzaamheid"]], rows


def test_todays_work_keeps_an_anonymous_visits_signal_categories(office) -> None:
    from wijkwerk_tui.queries import overview

    db, worker = office
    area = areas.list_areas(db)[0]
    save_intake(db, worker.id, IntakeData(area_id=area.id, categories=("loneliness",), consent=False))
    [row] = overview.recorded_today(db, worker.id)
    assert (row.resident_id, row.contact_kinds, row.signal_categories) == (None, ["walk_in"], ["loneliness"])
