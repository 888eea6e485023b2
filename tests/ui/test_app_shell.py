"""The first app shell, driven as a person would: keys only, then read the screen."""

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.conftest import FROZEN_NOW
from tests.ui.helpers import settle
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.dialogs.help import HelpScreen


def _cells(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_start_screen_shows_areas_and_counts(demo_db: Database) -> None:
    from wijkwerk_tui.queries.overview import area_counts
    from wijkwerk_tui.store import residents

    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        counts = str(app.screen.query_one("#area-counts").render())
        for row in area_counts(demo_db, None):
            assert f"{row.name} {row.residents}" in counts
        assert sum(r.residents for r in area_counts(demo_db, None)) == residents.count_residents(demo_db)
        title = str(app.screen.query_one("#start-title").render())
        assert "Welzijn De Wolden (demo)" in title and "maandag 23 november 2026" in title


async def test_help_lists_the_keys_and_escape_closes(demo_db: Database) -> None:
    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = _cells(app.screen.query_one("#help-keys", DataTable))
        described = {description for _, description in keys}
        assert {"Stoppen", "Hulp", "Vernieuwen", "Opdrachten"} <= described
        assert "Cursor up" not in described  # Textual's English is translated
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_ctrl_q_leaves(demo_db: Database) -> None:
    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.return_code is None  # running: no exit asked for yet
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0  # set only by exit(): Ctrl+Q did ask the app to stop


async def test_crash_with_a_resident_on_screen_leaks_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error while a resident is shown: the name is in no output and in no file on disk."""
    from wijkwerk_tui.domain.names import PersonalData
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.store import residents
    from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen

    session, _code = vault.setup(tmp_path / "w.db", "Org", ["Ruinen"], "Sanne", "lang genoeg!", "lang genoeg!")
    resident = residents.add_resident(
        session.db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True
    )
    app = make_app(db=session.db, now=FROZEN_NOW)
    secret = "Hoekstra"

    def explode() -> None:
        resident_name = app.screen.query_one("#resident-head").render()  # a local Textual's report would print
        raise RuntimeError(f"kon {resident_name} niet tonen")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_resident(resident.id)
            await settle(pilot)
            assert isinstance(app.screen, ResidentScreen)
            assert secret in str(app.screen.query_one("#resident-head").render())
            app.call_later(explode)
            await pilot.pause()
    printed = capsys.readouterr()
    output = printed.out + printed.err
    assert "onverwachte fout" in output and "RuntimeError" in output
    assert secret not in output and "resident_name" not in output
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") or p.name == "w.db" for p in written)
    for path in written:
        assert secret.encode() not in path.read_bytes(), path.name


def test_make_app_needs_a_database() -> None:
    with pytest.raises(ValueError):
        make_app()


async def test_make_app_on_a_new_path_starts_at_setup(tmp_path: Path) -> None:
    from wijkwerk_tui.ui.screens.gate.setup import SetupScreen

    app = make_app(tmp_path / "new.db", now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen) and app.session is None
        await pilot.press("slash", "n", "o")  # no way past the gate
        assert isinstance(app.screen, SetupScreen)


async def test_hardening_06_ctrl_q_on_a_changed_form_asks_first(demo_db: Database) -> None:
    from textual.widgets import TextArea

    from wijkwerk_tui.queries.search import search_residents
    from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
    from wijkwerk_tui.ui.screens.resident.contact_form import ContactForm

    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(search_residents(demo_db, "", limit=1)[0].id)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        form.query_one("#note", TextArea).text = "Uitgebreid gesprek over de buren."
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and app.return_code is None
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form and form.query_one("#note", TextArea).text.startswith("Uitgebreid")
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert app.return_code == 0


async def test_ctrl_q_on_an_unchanged_form_stops_at_once(demo_db: Database) -> None:
    from wijkwerk_tui.queries.search import search_residents

    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(search_residents(demo_db, "", limit=1)[0].id)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_an_empty_start_screen_says_what_to_do_in_full_at_80_columns(setup_db, clock) -> None:
    from tests.ui.helpers import screen_text, settle
    from wijkwerk_tui.ui.app import WijkwerkApp

    session, _code, _path = setup_db
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Niets te doen." in shown and "Zoek een inwoner" in shown and "met /." in shown  # (wrapped, not cut)
