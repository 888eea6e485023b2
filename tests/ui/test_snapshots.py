"""Snapshots of key screens at 80x24 and 120x40, on the deterministic demo and a frozen clock."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import FROZEN_NOW, frozen_clock
from tests.ui.helpers import settle, type_text
from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.ui.app import make_app

SIZES = [(80, 24), (120, 40)]


def _app(demo_file: Path, tmp_path: Path):
    copy = tmp_path / "snap.db"
    shutil.copy(demo_file, copy)
    app = make_app(db=open_database(copy, frozen_clock), now=FROZEN_NOW)
    app.theme = "textual-dark"
    return app


async def _residents(pilot) -> None:
    await settle(pilot)
    await pilot.press("slash")
    await settle(pilot)
    await type_text(pilot, "ja")
    await settle(pilot)


async def _detail(pilot) -> None:
    await _residents(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)


async def _ladder(pilot) -> None:
    await _detail(pilot)
    await pilot.press("p")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare, demo_file: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(demo_file, tmp_path), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_residents_list(snap_compare, demo_file: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(demo_file, tmp_path), terminal_size=size, run_before=_residents)


@pytest.mark.parametrize("size", SIZES)
def test_resident_detail(snap_compare, demo_file: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(demo_file, tmp_path), terminal_size=size, run_before=_detail)


@pytest.mark.parametrize("size", SIZES)
def test_ladder_dialog(snap_compare, demo_file: Path, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(demo_file, tmp_path), terminal_size=size, run_before=_ladder)


def test_help_screen(snap_compare, demo_file: Path, tmp_path: Path) -> None:
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(_app(demo_file, tmp_path), terminal_size=(80, 24), run_before=open_help)


def test_login_screen_of_the_demo(snap_compare, tmp_path: Path) -> None:
    from wijkwerk_tui.security.demo import ensure_demo

    path, _ = ensure_demo(tmp_path / "demo.db", residents=10, seed=7, clock=frozen_clock)
    app = make_app(path, now=FROZEN_NOW)
    app.theme = "textual-dark"

    async def type_name(pilot) -> None:
        await pilot.pause()
        await type_text(pilot, "An")  # the type-ahead shows the rest of the name

    assert snap_compare(app, terminal_size=(80, 24), run_before=type_name)


def test_lock_screen_covers_the_resident(snap_compare, demo_file: Path, tmp_path: Path) -> None:
    async def lock(pilot) -> None:
        await _detail(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()

    assert snap_compare(_app(demo_file, tmp_path), terminal_size=(80, 24), run_before=lock)


def test_report_screen(snap_compare, demo_file: Path, tmp_path: Path) -> None:
    async def open_report(pilot) -> None:
        await settle(pilot)
        pilot.app.action_report()
        await settle(pilot)

    assert snap_compare(_app(demo_file, tmp_path), terminal_size=(80, 24), run_before=open_report)


def test_intake_with_a_referral(snap_compare, demo_file: Path, tmp_path: Path) -> None:
    """The intake at 80x24 with likely duplicates, a signal and a partner chosen: the matches in view."""

    async def fill(pilot) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Jan de Vries")
        await pilot.press("tab", *"1950", "tab", "r", "tab", "h", "2", "3", "s", "tab", "tab")  # h moves on
        await type_text(pilot, "schuld")
        await settle(pilot)

    assert snap_compare(_app(demo_file, tmp_path), terminal_size=(80, 24), run_before=fill)


def test_issue16_import_preview(snap_compare, demo_file: Path, tmp_path: Path, monkeypatch) -> None:
    """The dry run of the example sheet at 80x24: a match, a merged name, an error, a total row."""
    from tests.importing.make_fixtures import example_sheet
    from wijkwerk_tui.queries.search import search_residents
    from wijkwerk_tui.store import residents

    monkeypatch.chdir(tmp_path)  # the path typed (and shown) is the same on every run
    app = _app(demo_file, tmp_path)
    row = next(r for r in search_residents(app.db, "bakker", limit=20) if r.birth_year)
    someone = residents.get_resident(app.db, None, row.id, audited=False)
    example_sheet(tmp_path / "voorbeeld.xlsx", (someone.given_name, someone.family_name, row.birth_year))

    async def preview(pilot) -> None:
        await settle(pilot)
        pilot.app.action_import()
        await settle(pilot)
        await type_text(pilot, "voorbeeld.xlsx")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=preview)
