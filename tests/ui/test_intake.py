"""Quick intake: the reference case within its keystroke budget, duplicates first,
a failed save that keeps every field, and a draft that survives the app stopping."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from textual.widgets import DataTable, Input

from tests.conftest import FROZEN_NOW
from tests.ui.helpers import KeyCounter, cells, draft_kept, settle
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.store import areas, contacts, drafts, ladders, residents, signals
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.screens.resident.intake import IntakeScreen
from wijkwerk_tui.ui.widgets.key_toggles import KeyToggles, YesNo

NAME = "Gerrit Hoekstra"
YEAR = "1951"
NOTE = "Komt voor hulp met DigiD; woont alleen sinds overlijden vrouw"
EXTRA_KEY_BUDGET = 15


async def test_reference_case_within_the_keystroke_budget(office) -> None:
    db, worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = KeyCounter(pilot)
        await keys.key("n")  # from the start screen
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await keys.type(NAME)
        await keys.key("tab")
        await keys.type(YEAR)
        await keys.key("tab")
        await keys.key("r")  # area: the field selects on focus; "r" -> Ruinen, the first area with R
        await keys.key("tab")
        await keys.key("tab")  # contact kind: inloop is the default
        await keys.key("2", "3")  # both ladders; a valid digit moves on by itself
        await keys.key("e", "d")  # signals: eenzaamheid, digitale vaardigheid
        await keys.key("tab")
        await keys.type(NOTE)
        await keys.key("tab")  # to the referral search
        await keys.key("tab")  # no referral, so no sharing question: straight to consent
        await keys.key("j")  # consent to register
        await keys.key("ctrl+s")
        await settle(pilot)
        budget = f"{keys.other} other keys besides {keys.typed} characters"
        assert keys.other <= EXTRA_KEY_BUDGET, budget
        errors = {f.field: f.error for f in app.screen.query("FormField") if f.error}
        assert errors == {}, errors

        [row] = search_residents(db, "gerrit hoekstra")
        assert (row.name, row.birth_year, row.area) == (NAME, 1951, "Ruinen")
        assert ladders.current(db, row.id, Ladder.PARTICIPATION).step == 2
        assert ladders.current(db, row.id, Ladder.SUPPORT).step == 3
        assert {s.category for s in signals.for_resident(db, worker.id, row.id)} == {"loneliness", "digital"}
        [contact] = contacts.for_resident(db, row.id)
        assert (contact.kind, contact.note, contact.contact_on) == ("walk_in", NOTE, date(2026, 11, 23))
        resident = residents.get_resident(db, worker.id, row.id)
        assert resident.consent_register is True and resident.created_by == worker.id
        # One-line confirmation, and a fresh intake with area and kind kept.
        assert isinstance(app.screen, IntakeScreen)
        assert "Gerrit Hoekstra" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#name", Input).value == ""
        assert app.screen.query_one("#area", Input).value.lower() == "r"
        assert "Ruinen" in str(app.screen.query_one("#area-hint").render())
        assert app.screen.value_of("kind") == "walk_in"
        assert drafts.load(db, worker.id, "intake") is None
    print(budget)


async def test_duplicate_found_while_typing_becomes_a_contact(office) -> None:
    db, worker = office
    ruinen = areas.list_areas(db)[1]
    janssen = residents.add_resident(db, worker.id, PersonalData("Jan", "", "Janssen", 1951), ruinen.id, True)
    residents.add_resident(db, worker.id, PersonalData("Piet", "", "Bakker", 1951), ruinen.id, True)
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Jan Jansen")
        await settle(pilot)
        table = app.screen.query_one("#duplicates", DataTable)
        assert [r[0] for r in cells(table)] == ["Jan Janssen"]
        await pilot.press("ctrl+d", "enter")
        await settle(pilot)
        assert "bestaande inwoner: Jan Janssen" in str(app.screen.query_one("#duplicates-title").render())
        await pilot.press("tab", "tab", "3")  # area kept from the field, kind, participation 3
        assert "bekend: ja" in str(app.screen.query_one("#consent", YesNo).render())  # consent on file
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert len(search_residents(db, "jans")) == 1  # no second record
    assert len(contacts.for_resident(db, janssen.id)) == 1
    assert ladders.current(db, janssen.id, Ladder.PARTICIPATION).step == 3


async def test_failed_save_keeps_every_field(office) -> None:
    db, _ = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"Piet Post", "tab", *"1850", "tab", "ctrl+u", *"echt", "tab", "tab", "7")
        screen.query_one("#signals", KeyToggles).focus()
        await pilot.press("s")
        screen.query_one("#consent", YesNo).focus()
        await pilot.press("j", "ctrl+s")
        await settle(pilot)
        errors = {f.field: f.error for f in screen.query("FormField") if f.error}
        assert list(errors) == ["participation"] and "1 tot en met 6" in errors["participation"]
        await pilot.press("ctrl+u", "4", "ctrl+s")
        await settle(pilot)
        errors = {f.field: f.error for f in screen.query("FormField") if f.error}
        assert list(errors) == ["birth_year"] and "1900" in errors["birth_year"]
        values = {n: screen.query_one(f"#{n}", Input).value for n in ("name", "birth_year", "area", "participation")}
        assert values == {"name": "Piet Post", "birth_year": "1850", "area": "echt", "participation": "4"}
        assert screen.query_one("#signals", KeyToggles).form_value == ("debts",)
        assert screen.query_one("#consent", YesNo).value is True
        with db.reading() as session:
            assert session.execute(text("SELECT COUNT(*) FROM resident")).scalar() == 0
            assert session.execute(text("SELECT COUNT(*) FROM contact")).scalar() == 0
            assert session.execute(text("SELECT COUNT(*) FROM signal")).scalar() == 0


async def test_bad_note_and_missing_consent(office) -> None:
    db, _ = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"Ans Dekker", "tab", *"1960", "tab", "ctrl+u", *"zuid")
        screen.query_one("#note", Input).value = "regel een\nregel\x07twee"
        await settle(pilot)
        assert screen.query_one("#note", Input).value == "regel een regel twee"
        assert "weggehaald" in screen.query_one("#field-note").error
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "toestemming" in screen.query_one("#field-consent").error
        screen.query_one("#note", Input).value = "x" * 20_000
        screen.query_one("#consent", YesNo).focus()
        await pilot.press("j", "ctrl+s")
        await settle(pilot)
        assert "Maximaal 1000 tekens" in screen.query_one("#field-note").error
        assert len(screen.query_one("#note", Input).value) == 20_000
        assert search_residents(db, "dekker") == []


async def test_no_consent_keeps_only_an_anonymous_contact(office) -> None:
    db, _ = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"Onbekende Meneer", "tab", *"1940", "tab", "ctrl+u", *"ech")
        screen.query_one("#signals", KeyToggles).focus()
        await pilot.press("e", "k")
        screen.query_one("#consent", YesNo).focus()
        await pilot.press("n", "ctrl+s")
        await settle(pilot)
    with db.reading() as session:
        assert session.execute(text("SELECT COUNT(*) FROM resident")).scalar() == 0
        rows = session.execute(text("SELECT resident_id, kind, signal_categories, note FROM contact")).all()
    assert rows == [(None, "walk_in", "loneliness,frail_elderly", "")]


async def test_draft_survives_the_app_stopping(office) -> None:
    db, worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Truus Mulder", "tab", *"1939", "tab", "ctrl+u", *"de w", "tab", "tab", "2")
        app.screen.query_one("#signals", KeyToggles).focus()
        await pilot.press("m")
        await draft_kept(pilot)  # written after a short pause in the typing
    # Stopped without saving (as after a kill): the next start offers the draft.
    assert drafts.load(db, worker.id, "intake")["name"] == "Truus Mulder"
    again = make_app(db=db, now=FROZEN_NOW)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ConfirmDialog)
        await pilot.press("j")
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.query_one("#name", Input).value == "Truus Mulder"
        assert screen.query_one("#birth_year", Input).value == "1939"
        assert screen.query_one("#participation", Input).value == "2"
        assert screen.query_one("#signals", KeyToggles).form_value == ("carer_strain",)
        screen.query_one("#consent", YesNo).focus()
        await pilot.press("j", "ctrl+s")
        await settle(pilot)
    [row] = search_residents(db, "mulder")
    assert row.area == "de Wijk"
    assert drafts.load(db, worker.id, "intake") is None


@pytest.fixture
def counted_drafts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name in every draft the intake writes; the pause before a write made long, so only
    leaving a field, a lock or a quit writes one during the test."""
    import wijkwerk_tui.ui.screens.resident.intake as intake_screen

    written: list[str] = []
    real = drafts.save

    def save(db, worker, kind, payload):
        written.append(payload["name"])
        real(db, worker, kind, payload)

    monkeypatch.setattr(drafts, "save", save)
    monkeypatch.setattr(intake_screen, "DRAFT_PAUSE_S", 600)
    return written


async def test_typing_writes_no_draft_per_key_but_leaving_the_field_does(office, counted_drafts) -> None:
    db, worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Truus Mulder".replace(" ", "_"))
        await settle(pilot)
        assert counted_drafts == []  # twelve keys, no write yet (the pause has not passed)
        await pilot.press("tab")
        await settle(pilot)
        assert counted_drafts == ["Truus_Mulder"]  # leaving the field writes it at once
        await pilot.press("1", "9", "3", "9")
        await pilot.press("ctrl+l")  # a lock writes what was typed before it covers the screen
        await settle(pilot)
        assert len(counted_drafts) == 2
    assert drafts.load(db, worker.id, "intake")["birth_year"] == "1939"


async def test_quitting_writes_the_draft_first(office, counted_drafts) -> None:
    db, worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Truus")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0
    assert counted_drafts == ["Truus"]
    assert drafts.load(db, worker.id, "intake")["name"] == "Truus"


@pytest.mark.parametrize(
    ("paste", "expected"),
    [
        ("AAA\x1b\x11BBB", "AAA BBB"),  # an escape and Ctrl+Q inside a paste: text, not keys
        ("geplakte tekst\x1b\x13", "geplakte tekst "),  # nor Ctrl+S
        ("AAA\x1b[31mBBB", "AAA [31mBBB"),  # a colour code is no colour and keeps its place
        ("regel een\nregel twee", "regel een regel twee"),  # one line: the lines joined, none lost
    ],
)
async def test_hardening_07_a_paste_is_text_and_only_text(office, paste: str, expected: str) -> None:
    from textual import events

    db, _ = office
    app = make_app(db=db, now=FROZEN_NOW)
    notices: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        note = screen.query_one("#note", Input)
        note.focus()
        real_notify = app.notify
        app.notify = lambda message, *a, **k: (notices.append(str(message)), real_notify(message, *a, **k))
        app.post_message(events.Paste(paste))
        await settle(pilot)
        assert app.return_code is None and app.screen is screen  # nothing quit, nothing saved
        assert note.value == expected
        assert any("Geplakte tekst" in n for n in notices)
    with db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM contact")).scalar() == 0


async def test_hardening_07_a_multi_line_paste_into_a_note_keeps_its_lines(office) -> None:
    from textual import events
    from textual.widgets import TextArea

    db, worker = office
    someone = residents.add_resident(db, worker.id, PersonalData("Jan", "", "Jansen", 1951), None, True)
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(someone.id)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        area = app.screen.query_one("#note", TextArea)
        area.focus()
        app.post_message(events.Paste("eerste regel\nAAA\x1b\x11tweede\u202e regel"))
        await settle(pilot)
        assert area.text == "eerste regel\nAAAtweede regel" and app.return_code is None
