"""The drop-in hour as a new worker meets it (issue 14): a referral from the intake, the area
and kind of an existing resident, consent on file, a signal's follow-up, help on F1."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from textual.command import CommandList
from textual.widgets import DataTable, Input

from tests.conftest import FROZEN_NOW
from tests.ui.helpers import KeyCounter, cells, open_intake, settle, type_text
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.store import areas, contacts, partners, referrals, residents, signals
from wijkwerk_tui.store.partners import PartnerData
from wijkwerk_tui.store.signals import SignalData
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.dialogs.help import HelpScreen
from wijkwerk_tui.ui.screens.gate.login import LoginScreen
from wijkwerk_tui.ui.screens.resident.intake import IntakeScreen
from wijkwerk_tui.ui.widgets.key_toggles import KeyToggles, YesNo

REFERRAL_KEY_BUDGET = 20


@pytest.fixture
def social_map(office):
    db, worker = office
    partners.add_partner(db, worker.id, PartnerData("Humanitas Thuisadministratie", "vrijwilligers"))
    debts = partners.add_partner(db, worker.id, PartnerData("Schuldhulp Meppel", "schuldhulpverlening"))
    return db, worker, debts


async def test_issue14_01_a_referral_is_made_from_the_intake(social_map) -> None:
    db, worker, debts = social_map
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = KeyCounter(pilot)
        await keys.key("n")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await keys.type("Fatma Yilmaz")
        await keys.key("tab")
        await keys.type("1979")
        await keys.key("tab", "r", "tab", "tab")  # area Ruinen; kind stays inloop
        await keys.key("2", "3", "s")  # both ladders, signal: schulden
        await keys.key("tab", "tab")  # past the note, to "Doorverwijzen naar"
        await keys.type("schuld")
        await settle(pilot)
        listing = app.screen.query_one("#partner-list")
        assert listing.display and listing.region.bottom <= 24  # the matches are on screen
        await keys.key("tab")  # the sharing question is next now
        assert app.focused is not None and app.focused.id == "referral_consent"
        await keys.key("j", "tab", "j", "ctrl+s")
        await settle(pilot)
        errors = {f.field: f.error for f in app.screen.query("FormField") if f.error}
        assert errors == {}, errors
        assert "doorverwijzing" in str(app.screen.query_one("#form-error").render())
        assert keys.other <= REFERRAL_KEY_BUDGET, f"{keys.other} other keys besides {keys.typed} characters"
        [row] = [r for r in search_residents(db, "fatma yilmaz") if r.name == "Fatma Yilmaz"]
        [referral] = referrals.for_resident(db, row.id)
        assert (referral.partner_id, referral.consent_share) == (debts.id, True)
        assert [s.category for s in signals.for_resident(db, worker.id, row.id)] == ["debts"]


async def test_issue14_01_a_referral_without_sharing_is_asked_at_a_reachable_field(social_map) -> None:
    db, _worker, _debts = social_map
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        await type_text(pilot, "Kees Smit")
        await pilot.press("tab", *"1960", "tab", "r")
        screen.query_one("#partner-search").focus()
        await pilot.press(*"schuld")
        screen.query_one("#consent").focus()
        await pilot.press("j", "ctrl+s")
        await settle(pilot)
        assert "toestemming" in (screen.query_one("#field-referral_consent").error or "")
        assert app.focused is not None and app.focused.id == "referral_consent"
        await pilot.press("n", "ctrl+s")  # no consent to share: the referral is proposed, not sent
        await settle(pilot)
        assert not screen.query_one("#field-referral_consent").error
    with db.reading() as session:
        rows = session.execute(text("SELECT consent_share, status FROM referral")).all()
    assert rows == [(0, "proposed")]


async def test_issue14_02_an_existing_resident_gets_his_own_area_and_a_kept_kind_is_marked(office) -> None:
    db, worker = office
    echten = next(a for a in areas.list_areas(db) if a.name == "Echten")
    ruinen = next(a for a in areas.list_areas(db) if a.name == "Ruinen")
    gerrit = residents.add_resident(db, worker.id, PersonalData("Gerrit", "", "Janssen", 1935), echten.id, True)
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        assert "vorige intake" not in str(screen.query_one("#kind").render())  # nothing kept yet
        await type_text(pilot, "Ida Bos")
        await pilot.press("tab", *"1950", "tab", "r", "tab", "h")  # one letter: huisbezoek
        assert screen.value_of("kind") == "home_visit"
        screen.query_one("#consent", YesNo).focus()
        await pilot.press("j", "ctrl+s")
        await settle(pilot)
        # The next intake keeps huisbezoek in Ruinen, and says so.
        assert screen.value_of("kind") == "home_visit"
        assert "vorige intake" in str(screen.query_one("#kind").render())
        assert "vorige intake" in str(screen.query_one("#area-hint").render())
        await type_text(pilot, "Gerrit Jansen")
        await settle(pilot)
        await pilot.press("ctrl+d", "enter")  # the existing Gerrit Janssen
        await settle(pilot)
        assert screen.query_one("#area", Input).value == "Echten"
        assert "waar de inwoner woont" in str(screen.query_one("#area-hint").render())
        await pilot.press("ctrl+u", *"ruinen")  # changeable: he came to Ruinen's drop-in hour
        screen.query_one("#kind").focus()
        await pilot.press("i")  # this time at the drop-in hour
        assert "vorige intake" not in str(screen.query_one("#kind").render())
        screen.query_one("#signals", KeyToggles).focus()
        await pilot.press("e", "ctrl+s")  # his consent is on file
        await settle(pilot)
    with db.reading() as session:
        contact_area, kind = session.execute(
            text("SELECT area_id, kind FROM contact WHERE resident_id = :r"), {"r": gerrit.id.hex}
        ).one()
        signal_area = session.execute(text("SELECT area_id FROM signal WHERE resident_id = :r"), {"r": gerrit.id.hex})
        # Contact and signal of one visit both in the visit's area.
        assert (contact_area, kind) == (ruinen.id.hex, "walk_in")
        assert signal_area.scalar_one() == ruinen.id.hex


async def test_issue14_04_consent_on_file_is_shown_not_asked_again(office) -> None:
    db, worker = office
    ruinen = next(a for a in areas.list_areas(db) if a.name == "Ruinen")
    gerrit = residents.add_resident(
        db, worker.id, PersonalData("Gerrit", "", "Janssen", 1935), ruinen.id, True, date(2024, 1, 17)
    )
    residents.add_resident(db, worker.id, PersonalData("Gerda", "", "Janssen", 1940), ruinen.id, None)
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        await type_text(pilot, "Gerrit Jansen")
        await pilot.press("tab", *"1935")
        await settle(pilot)
        await pilot.press("ctrl+d", "enter")  # Gerrit, the best match for the year
        await settle(pilot)
        consent = screen.query_one("#consent", YesNo)
        assert "ja, sinds 17-01-2024" in str(consent.render())
        assert not consent.can_focus  # out of the Tab order: nothing to answer
        await pilot.press("ctrl+s")  # no j needed
        await settle(pilot)
        assert not {f.field: f.error for f in screen.query("FormField") if f.error}
        assert len(contacts.for_resident(db, gerrit.id)) == 1
        # Gerda's consent is missing: asked, and refused without an answer.
        await type_text(pilot, "Gerda Jansen")
        await pilot.press("tab", *"1940")
        await settle(pilot)
        await pilot.press("ctrl+d", "enter")
        await settle(pilot)
        assert "Gerda" in str(screen.query_one("#duplicates-title").render())
        assert "bekend" not in str(consent.render()) and consent.can_focus
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "toestemming" in (screen.query_one("#field-consent").error or "")
        await pilot.press("j", "ctrl+s")  # the focus is at the question
        await settle(pilot)
        [gerda] = [r for r in search_residents(db, "gerda janssen") if r.name == "Gerda Janssen"]
        assert residents.consent_on_file(db, gerda.id) == (True, FROZEN_NOW.date())


async def test_issue14_05_a_signal_from_the_intake_comes_back_in_vandaag(office) -> None:
    db, worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        await type_text(pilot, "Wim Mulder")
        await pilot.press("tab", *"1944", "tab", "r")
        screen.query_one("#signals", KeyToggles).focus()
        await pilot.press("e")
        screen.query_one("#consent", YesNo).focus()
        await pilot.press("j", "ctrl+s")
        await settle(pilot)
        [wim] = [r for r in search_residents(db, "wim mulder") if r.name == "Wim Mulder"]
        [signal] = signals.for_resident(db, worker.id, wim.id)
        assert signal.follow_up_on == FROZEN_NOW.date() + timedelta(days=signal_rules.FOLLOW_UP_DAYS)
    two_weeks_on = FROZEN_NOW + timedelta(days=signal_rules.FOLLOW_UP_DAYS + 1)
    db.clock = lambda: two_weeks_on
    later = make_app(db=db, now=two_weeks_on)
    async with later.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = cells(later.screen.query_one("#agenda", DataTable))
        assert ["Signaal opvolgen", "07-12-2026", "Wim Mulder"] in [row[:3] for row in rows], rows


def test_issue14_05_every_new_signal_gets_the_default_follow_up(office) -> None:
    db, worker = office
    area = areas.list_areas(db)[0]
    today = db.today()
    anonymous = signals.add_signal(db, worker.id, None, SignalData("debts", subject="man bij de bushalte"), area.id)
    chosen = signals.add_signal(
        db, worker.id, None, SignalData("debts", subject="vrouw", follow_up_on=today + timedelta(days=3)), area.id
    )
    assert anonymous.follow_up_on == signal_rules.default_follow_up(today) == today + timedelta(days=14)
    assert chosen.follow_up_on == today + timedelta(days=3)


async def test_issue14_06_f1_opens_the_help_on_every_screen(office, setup_db, clock) -> None:
    db, _worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")  # no text field has the focus on Vandaag
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # F1 again closes it
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "name"
        await pilot.press("question_mark")  # in a text field ? is a character
        assert app.screen.query_one("#name", Input).value == "?"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = cells(app.screen.query_one("#help-keys", DataTable))
        assert ["Ctrl+S", "Opslaan"] in keys and ["Ctrl+D", "Bestaande kiezen"] in keys
        await pilot.press("escape")
        assert isinstance(app.screen, IntakeScreen)
        # The palette finds it under "hulp".
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "hulp")
        found = app.screen.query_one(CommandList)
        for _ in range(200):  # the palette searches in the background: wait for its first hit
            if found.option_count:
                break
            await pilot.pause(0.02)
        assert "Hulp" in str(found.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
    # And before anyone logs in.
    session, _code, path = setup_db
    session.db.close()
    gate = make_app(path, now=clock)
    async with gate.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(gate.screen, LoginScreen)
        await pilot.press("f1")
        assert isinstance(gate.screen, HelpScreen)
        assert "Inloggen" in str(gate.screen.query_one("#help-title").render())


async def test_issue14_09_a_note_for_a_visitor_without_consent_is_not_dropped_silently(office) -> None:
    db, _worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        await type_text(pilot, "Onbekende Meneer")
        await pilot.press("tab", "tab", "r")
        screen.query_one("#note", Input).focus()
        await type_text(pilot, "zoekt werk")
        screen.query_one("#consent", YesNo).focus()
        await pilot.press("n")
        hint = screen.query_one("#consent-hint")
        assert "alleen een anoniem contact" in str(hint.render()) and "notitie niet" in str(hint.render())
        assert hint.region.bottom <= 24  # in view, before saving
        await pilot.press("j")  # changed their mind: no warning
        assert str(hint.render()) == ""
        await pilot.press("n", "ctrl+s")
        await settle(pilot)
        assert "notitie zijn niet bewaard" in str(screen.query_one("#form-error").render())
    with db.reading() as session:
        assert session.execute(text("SELECT note FROM contact")).scalars().all() == [""]


async def test_issue14_01_letters_that_match_no_partner_are_said_and_never_dropped(social_map) -> None:
    db, _worker, _debts = social_map
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        await type_text(pilot, "Kees Smit")
        await pilot.press("tab", *"1960", "tab", "r")
        screen.query_one("#partner-search").focus()
        await pilot.press(*"xyz")
        assert screen.query_one("#partner-none").display and not screen.query_one("#partner-list").display
        screen.query_one("#consent", YesNo).focus()
        await pilot.press("j", "ctrl+s")
        await settle(pilot)
        assert "Geen partner gekozen" in (screen.query_one("#field-partner").error or "")
    assert search_residents(db, "kees smit") == []


async def test_a_field_message_goes_once_the_field_is_changed(office) -> None:
    db, worker = office
    echten = next(a for a in areas.list_areas(db) if a.name == "Echten")
    residents.add_resident(db, worker.id, PersonalData("Gerrit", "", "Janssen", 1935), echten.id, True)
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        await type_text(pilot, "Gerrit Jansen")
        await settle(pilot)
        await pilot.press("ctrl+s")  # no area yet
        await settle(pilot)
        assert "gebied" in screen.query_one("#field-area").error
        await pilot.press("ctrl+d", "enter")  # his own area fills the field
        await settle(pilot)
        assert screen.query_one("#area", Input).value == "Echten"
        assert not screen.query_one("#field-area").error


async def test_a_burst_of_keys_lands_in_the_fields_it_was_typed_for(office) -> None:
    """All keys arrive before the first is handled (a paste-fast typist, a busy laptop): the
    fields that move on after one key (kind, both steps) still pass the next keys on."""
    from textual import events

    db, _worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        for ch in "Snel Typer\t1950\truin\th32se\tnotitie snel":
            app.post_message(events.Key({"\t": "tab", " ": "space"}.get(ch, ch), ch))
        await settle(pilot)
        screen = app.screen
        values = {k: screen.query_one(f"#{k}", Input).value for k in ("name", "birth_year", "participation", "support")}
        assert values == {"name": "Snel Typer", "birth_year": "1950", "participation": "3", "support": "2"}
        assert screen.value_of("kind") == "home_visit"
        assert screen.query_one("#signals", KeyToggles).form_value == ("loneliness", "debts")
        assert screen.query_one("#note", Input).value == "notitie snel"


async def test_the_chosen_partner_is_named_and_the_halls_area_stays_for_the_next_visitor(social_map) -> None:
    db, worker, debts = social_map
    echten = next(a for a in areas.list_areas(db) if a.name == "Echten")
    gerrit = residents.add_resident(db, worker.id, PersonalData("Gerrit", "", "Janssen", 1935), echten.id, True)
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        screen.query_one("#area", Input).value = "Ruinen"  # the drop-in hour in Ruinen
        screen.query_one("#name", Input).focus()
        await type_text(pilot, "Gerrit Jansen")
        await settle(pilot)
        await pilot.press("ctrl+d", "enter")  # lives in Echten
        await settle(pilot)
        screen.query_one("#partner-search", Input).focus()
        await type_text(pilot, "hu")  # two partners match: which one is chosen is said
        chosen = screen.query_one("#partner-chosen")
        assert "→ Humanitas Thuisadministratie" in str(chosen.render()) and "2 gevonden" in str(chosen.render())
        await pilot.press("down")
        assert "→ Schuldhulp Meppel" in str(chosen.render())
        await pilot.press("tab", "j", "ctrl+s")  # consent on file
        await settle(pilot)
        [referral] = referrals.for_resident(db, gerrit.id)
        assert referral.partner_id == debts.id
        # The next visitor is at the same hall: Ruinen, not Gerrit's Echten.
        assert screen.query_one("#area", Input).value == "Ruinen"


async def test_a_letter_is_not_taken_by_a_ladder_step_field(office) -> None:
    db, _worker = office
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#support", Input).focus()
        await pilot.press("s", "x")
        assert app.screen.query_one("#support", Input).value == ""
