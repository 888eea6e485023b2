"""Hardening 3 and 5 in the app: a damaged page, a full disk, a folder that cannot be written.

A full disk is made real for SQLite with `PRAGMA max_page_count` at the current size: every
write that needs a new page fails with SQLite's own "database or disk is full".
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from textual.widgets import Input, Static

from tests.conftest import FROZEN_NOW
from tests.ops.test_damage_and_restore_points import damage_table
from tests.ui.helpers import settle, type_text
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.ops import backup
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.screens.admin.check import CheckScreen
from wijkwerk_tui.ui.screens.resident.intake import DRAFT_NOT_KEPT, IntakeScreen
from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen

FULL = "De schijf is vol"


async def test_hardening_03_a_resident_on_a_damaged_page_says_so_and_offers_the_check(
    demo_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "demo.db"
    shutil.copy(demo_file, copy)
    damage_table(copy, None, "contact")  # residents are found; their contacts cannot be read
    db = open_database(copy, lambda: FROZEN_NOW)
    try:
        rid = search_residents(db, "", limit=1)[0].id
        app = make_app(db=db, now=FROZEN_NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.open_resident(rid)
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog) and not isinstance(app.screen, ResidentScreen)
            question = str(app.screen.query_one(Static).render())
            assert "inwoner" in question and "beschadigd" in question and "controleren" in question
            await pilot.press("j")
            await settle(pilot)
            assert isinstance(app.screen, CheckScreen)
            report = str(app.screen.query_one("#check-report", Static).render())
            assert "BESCHADIGD" in report and "contactmomenten" in report
            await pilot.press("escape")
            await settle(pilot)
            assert app.return_code is None and not isinstance(app.screen, CheckScreen)
    finally:
        db.close()


class Disk:
    """Makes the database's disk full, and frees it again."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.full = False

        @event.listens_for(db.engine, "connect")
        def _limit(connection: Any, _record: Any) -> None:
            if self.full:
                connection.execute(f"PRAGMA max_page_count = {self.pages}")

        with db.reading() as session:
            self.pages = int(session.execute(text("PRAGMA page_count")).scalar() or 0)

    def fill(self) -> None:
        self.full = True
        self.db.engine.dispose()  # every connection from now on has the limit

    def free(self) -> None:
        self.full = False
        self.db.engine.dispose()


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    shown: list[str] = []
    from textual.app import App

    real = App.notify

    def notify(self: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        shown.append(str(message))
        real(self, message, *args, **kwargs)

    monkeypatch.setattr(App, "notify", notify)
    yield shown


async def _until(pilot: Any, condition: Any) -> None:
    for _ in range(100):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


async def test_hardening_05_a_full_disk_while_typing_an_intake_loses_nothing(demo_db: Database, notices) -> None:
    disk = Disk(demo_db)
    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        disk.fill()
        await type_text(pilot, "Jansen")
        note = "Hulp gevraagd bij de aanvraag van huishoudelijke hulp en vervoer. " * 80  # needs new pages
        screen.query_one("#note", Input).value = note
        await _until(pilot, lambda: any(FULL in n for n in notices))
        await settle(pilot)
        assert app.return_code is None and app.screen is screen  # no crash, the form stays
        assert screen.query_one("#name", Input).value == "Jansen"
        assert screen.query_one("#note", Input).value == note
        assert DRAFT_NOT_KEPT in str(screen.query_one("#form-error", Static).render())
        await type_text(pilot, "x")  # another pause, another try: no second notice meanwhile
        await settle(pilot)
        assert sum(FULL in n for n in notices) == 1
        await pilot.press("ctrl+q")  # the typing is not in a draft: quitting asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and app.return_code is None
        await pilot.press("n")
        await settle(pilot)
        disk.free()
        await type_text(pilot, "y")
        await _until(pilot, lambda: not screen._draft_failed)
        assert str(screen.query_one("#form-error", Static).render()).strip() == ""
        assert not screen.asks_before_quit


async def test_hardening_05_a_full_disk_on_saving_the_intake_keeps_the_form(demo_db: Database, notices) -> None:
    disk = Disk(demo_db)
    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        screen.query_one("#note", Input).value = "Vraag over vervoer naar de dagbesteding. " * 120
        disk.fill()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.return_code is None and app.screen is screen
        assert any(FULL in n for n in notices)
        assert screen.query_one("#note", Input).value.startswith("Vraag over vervoer")


async def test_hardening_05_backup_on_a_full_disk_says_so_and_leaves_nothing(
    demo_db: Database, notices, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = backup.connect_file

    def tiny_disk(path: Path, key: bytes | None) -> Any:
        connection = real(path, key)
        if path.suffix == ".partial":
            connection.execute("PRAGMA max_page_count = 8")  # the copy runs out of room
        return connection

    monkeypatch.setattr(backup, "connect_file", tiny_disk)
    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_backup_now()
        await _until(pilot, lambda: any("niet gemaakt" in n for n in notices))
        await settle(pilot)
        assert any(FULL in n for n in notices) and app.return_code is None
        folder = backup.backup_dir(demo_db.path)
        assert not list(folder.glob("*.partial")) and not backup.list_backups(demo_db.path)
        assert app.job_status == ""


async def test_hardening_05_a_failed_daily_backup_is_not_silent(setup_db, notices, monkeypatch) -> None:
    session, _code, path = setup_db
    monkeypatch.setattr(backup, "free_bytes", lambda _folder: 1000)  # a disk with no room
    app = make_app(db=session.db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: any("schijfruimte" in n for n in notices))
        assert app.return_code is None and not backup.list_backups(path)
        assert not list(backup.backup_dir(path).glob("*.partial"))


async def test_hardening_03_the_daily_backup_says_when_the_budget_keeps_fewer(setup_db, notices, monkeypatch) -> None:
    session, _code, path = setup_db
    folder = backup.backup_dir(path)
    folder.mkdir()
    for day in range(1, 6):  # older daily backups, 400 kB each
        (folder / f"{path.stem}-202610{10 + day:02d}-090000.db").write_bytes(b"x" * 400_000)
    monkeypatch.setattr(backup, "RESERVE", 0)
    monkeypatch.setattr(backup, "free_bytes", lambda _folder: 1_000_000)  # budget: under 1.5 MB
    app = make_app(db=session.db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: any("minder herstelpunten" in n for n in notices))
        assert app.return_code is None and 1 < len(backup.list_backups(path)) < 6


async def test_hardening_03_the_check_is_offered_once_not_at_every_reload(
    demo_file: Path, tmp_path: Path, notices
) -> None:
    """The start screen reads signals and reloads whenever it is shown again: answering the
    question must not bring it straight back."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_file, copy)
    damage_table(copy, None, "signal")
    db = open_database(copy, lambda: FROZEN_NOW)
    try:
        app = make_app(db=db, now=FROZEN_NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("n")
            await settle(pilot)
            await settle(pilot)
            assert not isinstance(app.screen, ConfirmDialog) and app.return_code is None
            assert any("beschadigd" in n for n in notices)  # said, without the question again
            app.action_check()  # still there for whoever wants it
            await settle(pilot)
            assert isinstance(app.screen, CheckScreen)
    finally:
        db.close()
