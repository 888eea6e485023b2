"""Setup, login, the failed-login delay, the lock and what each role sees: keys only."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, TextArea

from tests.conftest import PASS, FakeClock
from tests.ui.helpers import cells, settle, switch_worker, type_text
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.security import vault
from wijkwerk_tui.store import access, drafts, residents, signals, workers
from wijkwerk_tui.store.signals import SignalData
from wijkwerk_tui.ui.app import WijkwerkApp, make_app
from wijkwerk_tui.ui.screens.gate.lock import LockScreen
from wijkwerk_tui.ui.screens.gate.login import LoginScreen
from wijkwerk_tui.ui.screens.gate.recovery_code import RecoveryCodeScreen
from wijkwerk_tui.ui.screens.gate.setup import SetupScreen
from wijkwerk_tui.ui.screens.lists.start import StartScreen
from wijkwerk_tui.ui.screens.resident.contact_form import ContactForm
from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen
from wijkwerk_tui.ui.widgets.row_list import RowList


def _error(app: WijkwerkApp, field: str) -> str:
    return app.screen.query_one(f"#field-{field}").error


async def test_first_run_setup_shows_the_recovery_code_once(tmp_path: Path) -> None:
    path = tmp_path / "nieuw.db"
    app = make_app(path, now=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await type_text(pilot, "Welzijn Oost")
        await pilot.press("enter")
        await type_text(pilot, "Ruinen, Echten")
        await pilot.press("enter")
        await type_text(pilot, "Sanne Kuiper")
        await pilot.press("enter")
        await type_text(pilot, "kort")
        await pilot.press("enter")
        await type_text(pilot, "kort")
        await pilot.press("enter")
        await settle(pilot)  # the save runs in a thread
        assert "10 tekens" in _error(app, "passphrase")
        assert vault.state(path) == "new"  # nothing written yet
        app.screen.query_one("#passphrase", Input).value = ""
        app.screen.query_one("#repeat", Input).value = ""
        app.screen.query_one("#passphrase", Input).focus()
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)  # the save runs in a thread
        assert isinstance(app.screen, RecoveryCodeScreen)
        code = app.screen.code
        assert len(code) == 29 and code in str(app.screen.query_one("#code").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen) and app.worker_name == "Sanne Kuiper" and app.is_coordinator
    assert vault.state(path) == "ready"
    # The code opens the database on its own.
    vault.recover(path, code, "Sanne Kuiper", "een ander groen fietsje", "een ander groen fietsje").db.close()


async def test_login_with_type_ahead_and_a_growing_delay(setup_db, clock) -> None:
    session, _code, path = setup_db
    session.db.close()
    app = make_app(path, now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("tab")  # Tab and Shift+Tab move between the two fields before login
        assert app.focused is app.screen.query_one("#passphrase", Input)
        await pilot.press("shift+tab")
        assert app.focused is app.screen.query_one("#name", Input)
        for _ in range(5):
            await type_text(pilot, "San")
            await pilot.press("enter")  # the type-ahead completes the name
            assert app.screen.query_one("#name", Input).value == "Sanne Kuiper"
            await type_text(pilot, "fout wachtwoord")
            await pilot.press("enter")
            await settle(pilot)  # the login runs in a thread
            assert "onjuist wachtwoord" in _error(app, "passphrase")
            assert app.screen.query_one("#passphrase", Input).value == ""  # never kept on screen
            app.screen.query_one("#name", Input).value = ""
            app.screen.query_one("#name", Input).focus()
        # After five failures even the right passphrase waits.
        await type_text(pilot, "Sanne Kuiper")
        await pilot.press("enter")
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert "over 5 seconden" in _error(app, "passphrase")
        clock.advance(seconds=6)
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen) and app.worker_name == "Sanne Kuiper"


async def test_auto_lock_hides_everything_and_unlock_returns_to_the_half_filled_form(setup_db, clock) -> None:
    session, _code, _path = setup_db
    resident = residents.add_resident(
        session.db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True
    )
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_resident(resident.id)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        app.screen.query_one("#note", TextArea).focus()
        await type_text(pilot, "half af")
        clock.advance(minutes=4)
        app.check_auto_lock()
        assert not app.locked
        clock.advance(minutes=1, seconds=1)
        app.check_auto_lock()
        await pilot.pause()
        assert app.locked and isinstance(app.screen, LockScreen)
        shown = app.export_screenshot().replace("&#160;", " ")  # the SVG writes spaces as &#160;
        assert "Vergrendeld" in shown and "Hoekstra" not in shown and "half af" not in shown
        await pilot.press("slash", "n")  # nothing gets past the lock
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, "fout wachtwoord")
        await pilot.press("enter")
        await settle(pilot)  # the save runs in a thread
        assert app.locked and "onjuist" in _error(app, "passphrase")
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert not app.locked and isinstance(app.screen, ContactForm)
        assert app.screen.query_one("#note", TextArea).text == "half af"


async def test_another_worker_unlocking_starts_fresh(setup_db, clock) -> None:
    session, _code, _path = setup_db
    vault.add_account(session, "Piet de Boer", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    resident = residents.add_resident(
        session.db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True
    )
    sanne = session.worker_id
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_resident(resident.id)
        await settle(pilot)
        await pilot.press("n")  # an intake half typed: a draft that belongs to Sanne
        await settle(pilot)
        await type_text(pilot, "Klaasje Concept")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        name = app.screen.query_one("#name", Input)
        name.value = ""
        name.focus()
        await type_text(pilot, "Piet de Boer")
        await pilot.press("enter")
        await type_text(pilot, "groene-piet-op-de-fiets")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen) and len(app.screen_stack) == 1
        assert app.worker_name == "Piet de Boer" and app.role == "worker"
    piet = workers.find_by_name(session.db, "Piet de Boer")
    assert drafts.load(session.db, sanne, "intake")["name"] == "Klaasje Concept"
    assert drafts.load(session.db, piet.id, "intake") is None


async def test_a_worker_sees_only_what_the_role_allows(setup_db, clock) -> None:
    session, _code, _path = setup_db
    piet = vault.add_account(session, "Piet", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    resident = residents.add_resident(
        session.db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True
    )
    signals.add_signal(session.db, session.worker_id, resident.id, SignalData("domestic_violence", confidential=True))
    signals.add_signal(session.db, session.worker_id, resident.id, SignalData("loneliness"))
    as_piet = vault.Unlocked(session.db, piet.id, piet.name, piet.role)
    for who, expected_rows, may_audit in ((as_piet, 1, False), (session, 2, True)):
        app = WijkwerkApp(who, clock=clock)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            app.open_resident(resident.id)
            await settle(pilot)
            assert isinstance(app.screen, ResidentScreen)
            rows = cells(app.screen.query_one("#signals", RowList))
            assert len(rows) == expected_rows
            assert any("Eenzaamheid" in " ".join(r) for r in rows)
            await pilot.press("w")  # "Wie keek mee" is for coordinators
            await settle(pilot)
            assert (type(app.screen).__name__ == "WhoLookedScreen") == may_audit
    assert access.viewer_of(session.db, piet.id).role == "worker"


async def test_coordinator_adds_and_deactivates_an_account(setup_db, clock) -> None:
    from wijkwerk_tui.ui.screens.admin.account_form import AccountForm
    from wijkwerk_tui.ui.screens.admin.accounts import AccountsScreen

    session, _code, path = setup_db
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_accounts()
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AccountForm)
        await type_text(pilot, "Piet de Boer")
        await pilot.press("tab", "tab")
        await type_text(pilot, "kort")
        await pilot.press("ctrl+s")
        await settle(pilot)  # the save runs in a thread
        assert "10 tekens" in _error(app, "passphrase")
        app.screen.query_one("#passphrase", Input).value = ""
        app.screen.query_one("#passphrase", Input).focus()
        await type_text(pilot, "groene-piet-op-de-fiets")
        await pilot.press("tab")
        await type_text(pilot, "groene-piet-op-de-fiets")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
        rows = cells(app.screen.query_one("#accounts", DataTable))
        assert ["Piet de Boer", "medewerker", "ja", "alle"] in rows
        piet_row = [r[0] for r in rows].index("Piet de Boer")
        app.screen.query_one("#accounts", DataTable).move_cursor(row=piet_row)
        await pilot.press("d")
        await settle(pilot)
        assert ["Piet de Boer", "medewerker", "nee", "alle"] in cells(app.screen.query_one("#accounts", DataTable))
        assert any("nieuwe sleutel" in str(n.message) for n in app._notifications)  # (security.rekey)
    try:
        vault.login(path, "Piet de Boer", "groene-piet-op-de-fiets", clock)
        raise AssertionError("a deactivated account logged in")
    except vault.LoginError:
        pass


async def test_settings_lock_minutes_and_a_worker_cannot_open_them(setup_db, clock) -> None:
    from wijkwerk_tui.ui.screens.admin.settings_form import SettingsForm

    session, _code, _path = setup_db
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_settings()
        await settle(pilot)
        assert isinstance(app.screen, SettingsForm)
        from wijkwerk_tui.store import audit

        head = audit.head(session.db)
        assert head is not None  # hardening 13: the head, to be noted on paper, is on the screen
        assert audit.format_head(head) in str(app.screen.query_one("#audit-head").render())
        field = app.screen.query_one("#lock_minutes", Input)
        field.value = "99"
        await pilot.press("ctrl+s")
        await settle(pilot)  # the save runs in a thread
        assert "tussen 1 en 60" in _error(app, "lock_minutes")
        field.value = "2"
        app.screen.query_one("#remove_backups", Checkbox).value = True  # (security.rekey: the coordinators' choice)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsForm)
        from wijkwerk_tui.store import settings

        assert settings.get(session.db, settings.REKEY_BACKUPS_KEY) == settings.REMOVE_BACKUPS
        clock.advance(minutes=2)
        app.check_auto_lock()
        await pilot.pause()
        assert app.locked
    piet = vault.add_account(session, "Piet", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    app = WijkwerkApp(vault.Unlocked(session.db, piet.id, piet.name, piet.role), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_settings()
        app.action_accounts()
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)


async def test_inzage_and_erasure_from_the_resident_screen(setup_db, clock, tmp_path: Path) -> None:
    session, _code, _path = setup_db
    resident = residents.add_resident(
        session.db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True
    )
    app = WijkwerkApp(session, clock=clock)
    app.export_dir = tmp_path / "uit"
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_resident(resident.id)
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        written = sorted(p.suffix for p in (tmp_path / "uit").iterdir())
        assert written == [".json", ".md"]
        await pilot.press("w")
        await settle(pilot)
        looks = cells(app.screen.query_one("#looks", DataTable))
        assert ["Sanne Kuiper", "inzage geëxporteerd"] in [r[1:] for r in looks]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("j")
        await settle(pilot)
        assert not isinstance(app.screen, ResidentScreen)
    assert residents.get_resident(session.db, session.worker_id, resident.id).family_name == ""


async def test_a_damaged_database_offers_the_newest_good_backup(setup_db, clock) -> None:
    from wijkwerk_tui.ops import backup
    from wijkwerk_tui.ui.screens.gate.restore_offer import RestoreOffer

    session, _code, path = setup_db
    residents.add_resident(session.db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True)
    backup.make_backup(session.db, session.worker_id)
    session.db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"\xff" * 16 + path.read_bytes()[16:])  # the salt is gone: nothing decrypts
    app = make_app(path, now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "Sanne Kuiper")
        await pilot.press("enter")
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RestoreOffer)
        shown = app.export_screenshot().replace("&#160;", " ")  # the SVG writes spaces as &#160;
        assert "beschadigd" in shown and "Traceback" not in shown
        app.screen.query_one("#passphrase", Input).focus()
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert residents.count_residents(app.db) == 1


async def test_an_unencrypted_file_is_refused_with_a_dutch_message(db: Database) -> None:
    from wijkwerk_tui.ui.screens.gate.notice import NoticeScreen

    app = make_app(db.path, now=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert "niet versleuteld" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("slash", "n")
        assert isinstance(app.screen, NoticeScreen) and app.session is None


async def test_own_passphrase_form_asks_the_current_one_first(setup_db, clock) -> None:
    """Eigen wachtwoord wijzigen: a wrong current passphrase changes nothing; the right one
    changes it, after which only the new passphrase opens the database (login and lock)."""
    from wijkwerk_tui.ui.screens.admin.passphrase_form import PassphraseForm

    session, _code, path = setup_db
    app = make_app(db=session.db, now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_change_passphrase()
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PassphraseForm)
        form.query_one("#current", Input).value = "niet-het-goede"
        form.query_one("#passphrase", Input).value = "nieuw-en-lang-genoeg"
        form.query_one("#repeat", Input).value = "nieuw-en-lang-genoeg"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "klopt niet" in _error(app, "current")
        form.query_one("#current", Input).value = PASS
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, PassphraseForm)
        app.action_lock()
        await settle(pilot)
        lock = app.screen
        assert isinstance(lock, LockScreen)
        lock.query_one("#passphrase", Input).value = PASS  # the old one no longer unlocks
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is lock
        lock.query_one("#passphrase", Input).value = "nieuw-en-lang-genoeg"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, LockScreen)
    session.db.close()
    with pytest.raises(vault.LoginError):
        vault.login(path, "Sanne Kuiper", PASS, clock)
    vault.login(path, "Sanne Kuiper", "nieuw-en-lang-genoeg", clock).db.close()


@pytest.mark.parametrize("how", ["open_resident", "push_loaded"])
async def test_hardening_11_nothing_is_pushed_over_the_lock(setup_db, clock, monkeypatch, how: str) -> None:
    """Ctrl+L while a resident (or the residents list) is still being read: when the read
    finishes, the lock screen stays on top and the screen that was read is not shown."""
    import threading

    import wijkwerk_tui.ui.screens.lists.residents as residents_screen
    import wijkwerk_tui.ui.screens.resident.resident as resident_screen

    session, _code, _path = setup_db
    jan = residents.add_resident(session.db, session.worker_id, PersonalData("Jan", "", "Jansen", 1951), None, True)
    reading, release = threading.Event(), threading.Event()

    def slowly(real):
        def read(*args, **kwargs):
            reading.set()
            assert release.wait(10)
            return real(*args, **kwargs)

        return read

    if how == "open_resident":
        monkeypatch.setattr(resident_screen, "fetch", slowly(resident_screen.fetch))
    else:
        monkeypatch.setattr(
            residents_screen.ResidentsScreen, "load", staticmethod(slowly(residents_screen.ResidentsScreen.load))
        )
    app = make_app(db=session.db, now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if how == "open_resident":
            app.open_resident(jan.id)
        else:
            await pilot.press("slash")
        while not reading.is_set():
            await pilot.pause(0.01)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert not any(isinstance(s, (ResidentScreen, residents_screen.ResidentsScreen)) for s in app.screen_stack)
        await pilot.press("i", "s")  # what the resident screen would have done: nothing here
        assert isinstance(app.screen, LockScreen)


async def test_hardening_08_a_missing_key_file_is_named_not_called_unencrypted(setup_db, clock) -> None:
    from wijkwerk_tui.ui.screens.gate.notice import NoticeScreen

    session, _code, path = setup_db
    session.db.close()
    path.with_name(path.name + ".keys").rename(path.with_name("ergens-anders.keys"))
    app = make_app(path, now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        message = app.screen.message
        assert "sleutelbestand" in message and "niet versleuteld" not in message
        assert "wijkwerk.db.keys" in message  # says which file to put back


async def test_hardening_05_a_folder_that_cannot_be_written_keeps_the_focus_off_the_name(
    setup_db, clock, monkeypatch
) -> None:
    """The message is about no field: the focus stays in the (emptied) passphrase field, so a
    worker who types the passphrase again never types it into Naam, in clear."""
    import errno
    import tempfile

    session, _code, path = setup_db
    session.db.close()

    def read_only(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    app = make_app(path, now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "Sanne Kuiper")
        await pilot.press("enter")
        monkeypatch.setattr(tempfile, "mkstemp", read_only)
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert "kan niet worden geschreven" in str(app.screen.query_one("#form-error").render())
        assert app.focused is app.screen.query_one("#passphrase", Input)
        assert app.screen.query_one("#name", Input).value == "Sanne Kuiper"


async def test_the_lock_screen_completes_a_name_on_enter_as_the_login_does(setup_db, clock) -> None:
    session, _code, _path = setup_db
    vault.add_account(session, "Piet de Boer", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await switch_worker(pilot, "pi", "groene-piet-op-de-fiets")  # Enter completes "pi"
        assert app.worker_name == "Piet de Boer"
