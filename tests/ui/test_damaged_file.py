"""Hardening 3 and 5 in the app: a damaged page, a full disk, a folder that cannot be written."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Static

from tests.conftest import FROZEN_NOW
from tests.ops.test_damage_and_restore_points import damage_table
from tests.ui.helpers import settle
from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.screens.admin.check import CheckScreen
from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen


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
