"""Every worker flow by keys only, then checked on screen and in the database."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input

from tests.conftest import FROZEN_NOW
from tests.ui.helpers import cells, open_resident_by_search, screen_text, settle, type_text
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.store import ladders, partners, referrals, residents, signals, workers
from wijkwerk_tui.store.partners import PartnerData
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.screens.lists.residents import ResidentsScreen
from wijkwerk_tui.ui.screens.resident.ladder_dialog import LadderDialog
from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen
from wijkwerk_tui.ui.widgets.row_list import RowList


@pytest.fixture
def office(db: Database):
    """A small office: one worker, two areas, three residents, two partners."""
    from wijkwerk_tui.store import areas

    worker = workers.add_worker(db, None, "Sanne Kuiper", "coordinator")
    ruinen = areas.add_area(db, worker.id, "Ruinen")
    areas.add_area(db, worker.id, "Echten")
    people = {
        "ozdemir": residents.add_resident(db, worker.id, PersonalData("Ayşe", "", "Özdemir", 1948), ruinen.id, True),
        "jansen": residents.add_resident(db, worker.id, PersonalData("Jan", "", "Jansen", 1951), ruinen.id, True),
        "vries": residents.add_resident(db, worker.id, PersonalData("Anna", "de", "Vries", 1960), ruinen.id, True),
    }
    partners.add_partner(db, worker.id, PartnerData("Schuldhulpverlening De Wolden", "Schulden", support_step=4))
    partners.add_partner(db, worker.id, PartnerData("Taalhuis Zuidwolde", "Taal", support_step=3))
    return db, worker, people


def _app(db: Database):
    return make_app(db=db, now=FROZEN_NOW)


async def test_find_resident_by_partial_accent_free_name(office) -> None:
    db, _, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentsScreen)
        await type_text(pilot, "ozde")
        await settle(pilot)
        rows = cells(pilot.app.screen.query_one("#results", RowList))
        assert [r[0] for r in rows] == ["Özdemir, Ayşe"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        assert pilot.app.screen.resident_id == people["ozdemir"].id
        head = str(pilot.app.screen.query_one("#resident-head").render())
        assert "Ayşe Özdemir" in head and "78 jaar" in head and "Ruinen" in head


async def test_enter_typed_before_the_results_came_opens_the_one_found(office, monkeypatch) -> None:
    """A quick typist: the name and Enter before the search of what was typed has answered (a
    busy laptop). The Enter waits for those results instead of being lost; typing on after it
    cancels it."""
    import asyncio
    import threading

    from wijkwerk_tui.ui.screens.lists import residents as screen_module

    db, _, people = office
    real, gate = screen_module.search_residents, threading.Event()

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        if args[1] == "ozde":
            gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(screen_module, "search_residents", slow)
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "ozde")
        await pilot.press("enter")  # the search for "ozde" has not answered
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResidentsScreen)
        gate.set()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        assert pilot.app.screen.resident_id == people["ozdemir"].id
        await pilot.press("escape")
        await settle(pilot)
        gate.clear()
        if not isinstance(pilot.app.screen, ResidentsScreen):
            await pilot.press("slash")
            await settle(pilot)
        await pilot.press("ctrl+f")  # (back in the search field)
        pilot.app.screen.query_one("#search", Input).value = ""
        await settle(pilot)
        await type_text(pilot, "ozde")
        await pilot.press("enter")
        await type_text(pilot, "m")  # typed on: that Enter was not for "ozdem"
        await asyncio.to_thread(gate.set)
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentsScreen)


async def test_search_filters_by_area(office) -> None:
    db, _, _ = office
    async with _app(db).run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        screen = pilot.app.screen
        assert len(cells(screen.query_one("#results", RowList))) == 3
        await pilot.press("tab", "enter")  # area filter
        await settle(pilot)
        await type_text(pilot, "ech")
        await pilot.press("enter")
        await settle(pilot)
        assert cells(screen.query_one("#results", RowList)) == []
        assert "Geen inwoners gevonden" in str(screen.query_one("#result-status").render())


@pytest.mark.parametrize(("key", "ladder", "digit"), [("p", Ladder.PARTICIPATION, "4"), ("v", Ladder.SUPPORT, "2")])
async def test_record_a_step_on_each_ladder(office, key: str, ladder: Ladder, digit: str) -> None:
    db, worker, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "jansen")
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(pilot.app.screen, LadderDialog)
        await pilot.press(digit)  # the step; the date (today) is next
        await pilot.press("ctrl+u")
        await type_text(pilot, "gisteren")
        await pilot.press("tab")
        await type_text(pilot, "5" if ladder is Ladder.PARTICIPATION else "1")
        await pilot.press("tab")
        await type_text(pilot, "na gesprek")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        history = ladders.history(db, people["jansen"].id, ladder)
        assert [(h.step, h.measured_on, h.note, h.worker_id) for h in history] == [
            (int(digit), db.today() - timedelta(days=1), "na gesprek", worker.id)
        ]
        table = pilot.app.screen.query_one(f"#history-{ladder.value}", RowList)
        assert cells(table)[0][:2] == [(db.today() - timedelta(days=1)).strftime("%d-%m-%Y"), f"{digit} •"]
        drawing = screen_text(pilot.app)
        assert f"▶ nu {digit} " in drawing and "◇" in drawing


async def test_hardening_19_a_date_typed_into_the_step_list_is_not_read_as_steps(office) -> None:
    """A digit picks the step and moves on to the date (as in the intake): '31-02-2026' typed
    by mistake gives step 3 and the rest in the date field, not step 6 for today."""
    db, _, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "jansen")
        await pilot.press("p")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LadderDialog)
        await type_text(pilot, "31-02-2026")
        assert dialog.query_one("#step-list").highlighted == dialog._index(3)
        assert pilot.app.focused is dialog.query_one("#measured_on", Input)
        assert dialog.query_one("#measured_on", Input).value == "1-02-2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [
            (h.step, h.measured_on.isoformat()) for h in ladders.history(db, people["jansen"].id, Ladder.PARTICIPATION)
        ] == [(3, "2026-02-01")]


def _burst(pilot, text: str, then: str) -> None:
    """Keys as a terminal hands them over when typed fast (or sent by tmux): all queued before
    the first is handled, unlike `pilot.press`, which waits for each."""
    from textual import events

    for char in text:
        pilot.app.post_message(events.Key("minus" if char == "-" else char, char))
    pilot.app.post_message(events.Key(then, None))


@pytest.mark.parametrize(
    ("typed", "saved", "error"), [("221-11-2026", [(2, "2026-11-21")], ""), ("231-13-2026", [], "maand")]
)
async def test_a_step_date_and_ctrl_s_typed_fast_are_read_in_order(office, typed: str, saved, error: str) -> None:
    """Found in tmux: "2", a date and Ctrl+S sent at once saved the current step with today's
    date (the keys after the digit still went to the step list, and Ctrl+S ran ahead of them)."""
    db, _, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "jansen")
        await pilot.press("p")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LadderDialog)
        _burst(pilot, typed, "ctrl+s")
        await settle(pilot)
        history = ladders.history(db, people["jansen"].id, Ladder.PARTICIPATION)
        assert [(h.step, h.measured_on.isoformat()) for h in history] == saved
        if error:
            assert pilot.app.screen is dialog
            assert dialog.query_one("#step-list").highlighted == dialog._index(2)
            assert dialog.query_one("#measured_on", Input).value == typed[1:]
            assert error in dialog.query_one("#field-measured_on").error


async def test_hardening_19_a_key_that_is_no_step_gets_a_message(office) -> None:
    db, _, _people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "jansen")
        await pilot.press("v")  # the verantwoordelijkheidsladder has five steps
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LadderDialog)
        await pilot.press("9")
        assert "1 tot en met 5" in dialog.query_one("#field-step").error
        assert dialog.query_one("#step-list").highlighted is None
        assert pilot.app.focused is dialog.query_one("#step-list")
        await pilot.press("2")
        assert dialog.query_one("#field-step").error == ""
        assert dialog.query_one("#step-list").highlighted == dialog._index(2)


async def test_ladder_dialog_rejects_a_bad_date_and_keeps_input(office) -> None:
    db, _, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "jansen")
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("3", "ctrl+u")  # the step moves on to the date
        await type_text(pilot, "31-02-2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LadderDialog)
        error = dialog.query_one("#field-measured_on")
        assert "bestaat niet" in error.error
        assert dialog.query_one("#measured_on", Input).value == "31-02-2026"
        assert ladders.history(db, people["jansen"].id, Ladder.PARTICIPATION) == []
        # Escape on a changed form asks first; "n" keeps the form.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert pilot.app.screen is dialog
        await pilot.press("escape", "j")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)


async def test_add_and_close_a_signal(office) -> None:
    db, worker, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "vries")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")  # open the category list
        await type_text(pilot, "schul")
        await pilot.press("enter")
        await pilot.press("tab", "enter")  # urgency
        await type_text(pilot, "hoog")
        await pilot.press("enter", "tab", "tab")  # past source, into the description
        await type_text(pilot, "Rekeningen stapelen zich op")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        saved = signals.for_resident(db, worker.id, people["vries"].id)
        assert [(s.category, s.urgency, s.status, s.description) for s in saved] == [
            ("debts", "high", "open", "Rekeningen stapelen zich op")
        ]
        assert saved[0].follow_up_on == db.today() + timedelta(days=14)
        table = pilot.app.screen.query_one("#signals", RowList)
        assert cells(table)[0][1:4] == ["Schulden / armoede", "hoog", "open"]
        # Close it: Enter on the row, status 'afgesloten' with a reason.
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, "afg")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert "Geef een reden" in pilot.app.screen.query_one("#field-close_reason").error
        await pilot.press("enter")
        await type_text(pilot, "opge")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        closed = signals.for_resident(db, worker.id, people["vries"].id)[0]
        assert (closed.status, closed.close_reason, closed.closed_on) == ("closed", "resolved", db.today())
        assert cells(pilot.app.screen.query_one("#signals", RowList))[0][3] == "afgesloten"


async def test_violence_signal_shows_meldcode_checklist(office) -> None:
    db, worker, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "jansen")
        await pilot.press("s")
        await settle(pilot)
        form = pilot.app.screen
        assert not form.query_one("#meldcode").has_class("-shown")
        await pilot.press("enter")
        await type_text(pilot, "huis")
        await pilot.press("enter")
        await settle(pilot)
        assert form.query_one("#meldcode").has_class("-shown")
        form.query_one("#meldcode-check-2").focus()
        await pilot.press("space", "tab")
        await type_text(pilot, "gisteren")
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = signals.for_resident(db, worker.id, people["jansen"].id)[0]
        assert saved.category == "domestic_violence"
        steps = signals.meldcode_steps(db, worker.id, saved.id)
        assert [(m.step, m.done_on) for m in steps] == [(2, db.today() - timedelta(days=1))]


async def test_referral_and_its_feedback(office) -> None:
    db, _, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "ozdem")
        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "schuld")  # partner type-ahead
        await pilot.press("tab", "tab")  # past the list, to the reason
        await type_text(pilot, "Hulp bij betalingsregeling")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "toestemming" in pilot.app.screen.query_one("#field-consent").error
        await pilot.press("enter")
        await type_text(pilot, "ja")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        [saved] = referrals.for_resident(db, people["ozdemir"].id)
        partner = {p.id: p.name for p in partners.list_partners(db)}[saved.partner_id]
        assert partner == "Schuldhulpverlening De Wolden"
        assert (saved.consent_share, saved.status, saved.feedback_due_on) == (
            True,
            "proposed",
            db.today() + timedelta(days=14),
        )
        # Feedback: Enter on the referral row, status and the partner's answer.
        table = pilot.app.screen.query_one("#referrals", RowList)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await type_text(pilot, "vers")
        await pilot.press("enter", "tab")
        await type_text(pilot, "Intake gepland op 1 december")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [updated] = referrals.for_resident(db, people["ozdemir"].id)
        assert (updated.status, updated.feedback, updated.feedback_on) == (
            "sent",
            "Intake gepland op 1 december",
            db.today(),
        )
        assert cells(pilot.app.screen.query_one("#referrals", RowList))[0][4] == "ontvangen"


async def test_add_a_partner(office) -> None:
    db, _, _ = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Buurtbemiddeling")
        await pilot.press("tab")
        await type_text(pilot, "Buren")
        await pilot.press("tab")
        await type_text(pilot, "0528-123456")
        await pilot.press("ctrl+s")
        await settle(pilot)
        names = [r[0] for r in cells(pilot.app.screen.query_one("#partner-table", DataTable))]
        assert "Buurtbemiddeling" in names
        assert any(p.name == "Buurtbemiddeling" and p.phone == "0528-123456" for p in partners.list_partners(db))
        # Deactivate it with x: it leaves the referral picker but stays on the map.
        table = pilot.app.screen.query_one("#partner-table", DataTable)
        table.move_cursor(row=names.index("Buurtbemiddeling"))
        await pilot.press("x")
        await settle(pilot)
        assert "Buurtbemiddeling" not in [p.name for p in partners.list_partners(db)]


async def test_contact_goal_and_personal_data(office) -> None:
    db, _, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "jansen")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("tab", "tab")
        await type_text(pilot, "20")
        await pilot.press("tab")
        await type_text(pilot, "Koffie gedronken")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await type_text(pilot, "Wekelijks naar de soos")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("tab", "tab", "ctrl+u")
        await type_text(pilot, "Janssen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = pilot.app.screen
        assert cells(screen.query_one("#contacts", RowList))[0][1:] == ["inloop", "20", "Koffie gedronken"]
        assert cells(screen.query_one("#goals", RowList))[0][0] == "Wekelijks naar de soos"
        assert "Jan Janssen" in str(screen.query_one("#resident-head").render())
        assert residents.get_resident(db, None, people["jansen"].id).family_name == "Janssen"


async def test_typed_markup_is_shown_literally_and_does_nothing(office) -> None:
    db, worker, _ = office
    residents.add_resident(db, worker.id, PersonalData("[b]Piet[/b]", "", "[@click=app.quit]", 1970), None, True)
    app = _app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "piet")
        await settle(pilot)
        rows = cells(pilot.app.screen.query_one("#results", RowList))
        assert rows[0][0] == "[@click=app.quit], [b]Piet[/b]"
        await pilot.press("enter")
        await settle(pilot)
        head = pilot.app.screen.query_one("#resident-head")
        assert "[b]Piet[/b] [@click=app.quit]" in str(head.render())
        await pilot.click(head)  # a click on the name must not run the embedded action
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ResidentScreen)


async def test_overviews_acute_first_and_filter(office) -> None:
    db, worker, people = office
    from wijkwerk_tui.store.signals import SignalData

    signals.add_signal(
        db, worker.id, people["jansen"].id, SignalData("debts", "normal", noticed_on=db.today() - timedelta(days=9))
    )
    signals.add_signal(db, worker.id, people["vries"].id, SignalData("domestic_violence", "acute"))
    async with _app(db).run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await settle(pilot)
        rows = cells(pilot.app.screen.query_one("#open-signals", DataTable))
        assert [r[0] for r in rows] == ["acuut", "normaal"]
        assert rows[0][2] == "Anna de Vries"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        assert pilot.app.screen.resident_id == people["vries"].id


async def test_help_on_resident_screen_lists_its_keys(office) -> None:
    db, _, _ = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await open_resident_by_search(pilot, "jansen")
        await pilot.press("question_mark")
        await settle(pilot)
        keys = {row[0] for row in cells(pilot.app.screen.query_one("#help-keys", DataTable))}
        assert {"p", "v", "s", "d", "c", "g", "e", "Esc", "F1"} <= keys


async def test_palette_jumps_to_a_resident_by_name(office) -> None:
    db, _, people = office
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "vries")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        assert pilot.app.screen.resident_id == people["vries"].id


async def test_start_screen_lines_open_their_resident(office) -> None:
    db, worker, people = office
    from wijkwerk_tui.store.signals import SignalData

    signals.add_signal(
        db,
        worker.id,
        people["ozdemir"].id,
        SignalData(
            "loneliness", noticed_on=db.today() - timedelta(days=30), follow_up_on=db.today() - timedelta(days=2)
        ),
    )
    async with _app(db).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = cells(pilot.app.screen.query_one("#agenda", DataTable))
        assert rows[0][0] == "Signaal opvolgen" and rows[0][2] == "Ayşe Özdemir"
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen.resident_id == people["ozdemir"].id
        await pilot.press("escape")
        await settle(pilot)
        rows = cells(pilot.app.screen.query_one("#agenda", DataTable))
        assert ["Recent geopend", "", "Ayşe Özdemir", ""] in rows


async def test_opening_a_resident_that_is_gone_says_so_and_stays(office) -> None:
    db, worker, people = office
    residents.delete_resident(db, worker.id, people["vries"].id)
    app = _app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.screen
        for gone in (people["vries"].id, uuid.uuid4()):  # deleted meanwhile; never existed
            app.open_resident(gone)
            await settle(pilot)
            assert app.screen is before and not isinstance(app.screen, ResidentScreen)
        assert [n.message for n in app._notifications] == ["Inwoner niet gevonden."] * 2
