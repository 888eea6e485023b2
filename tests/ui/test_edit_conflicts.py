"""Hardening 4 in the app: another instance on the same file saves the same resident while
this one has the edit form open. Its change is kept, or the save is refused at the field
with the other value, everything typed kept."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input

from tests.conftest import FROZEN_NOW
from tests.ui.helpers import settle
from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.domain.edits import Base
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.store import residents
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen
from wijkwerk_tui.ui.screens.resident.resident_form import ResidentForm
from wijkwerk_tui.ui.widgets.field import FormField


def _other_instance_sets_phone(path: Path, resident_id, phone: str) -> None:
    """Another window of Wijkwerk on the same file, with its own connection, saves a phone number."""
    other = open_database(path, lambda: FROZEN_NOW)
    try:
        r = residents.get_resident(other, None, resident_id, audited=False)
        data = PersonalData(r.given_name, r.family_prefix, r.family_name, r.birth_year, r.birth_date, phone, r.email)
        base = Base(r.version, residents.edit_values(r))
        residents.update_resident(other, None, resident_id, data, r.area_id, r.consent_register, base=base)
    finally:
        other.close()


async def _edit_form(pilot, app, rid) -> ResidentForm:
    app.open_resident(rid)
    await settle(pilot)
    assert isinstance(app.screen, ResidentScreen)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, ResidentForm)
    return app.screen


async def test_hardening_04_a_stale_form_saves_only_what_was_changed(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    db = open_database(path, lambda: FROZEN_NOW)
    try:
        rid = search_residents(db, "", limit=1)[0].id
        app = make_app(db=db, now=FROZEN_NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await _edit_form(pilot, app, rid)
            _other_instance_sets_phone(path, rid, "0612345678")
            form.query_one("#email", Input).value = "bewoner@example.nl"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, ResidentForm)  # saved and closed
            now = residents.get_resident(db, None, rid, audited=False)
            assert (now.phone, now.email) == ("0612345678", "bewoner@example.nl")
    finally:
        db.close()


async def test_hardening_04_the_same_field_is_refused_with_the_other_value(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    db = open_database(path, lambda: FROZEN_NOW)
    try:
        rid = search_residents(db, "", limit=1)[0].id
        app = make_app(db=db, now=FROZEN_NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await _edit_form(pilot, app, rid)
            _other_instance_sets_phone(path, rid, "0612345678")
            form.query_one("#phone", Input).value = "0699999999"
            form.query_one("#email", Input).value = "bewoner@example.nl"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form  # refused: the form stays
            field = next(f for f in form.query(FormField) if f.field == "phone")
            assert "Iemand anders" in field.error and "0612345678" in field.error
            assert form.query_one("#phone", Input).value == "0699999999"  # nothing typed is lost
            assert form.query_one("#email", Input).value == "bewoner@example.nl"
            stored = residents.get_resident(db, None, rid, audited=False)
            assert (stored.phone, stored.email) == ("0612345678", "")  # nothing half-written
            await pilot.press("ctrl+s")  # seen: saving again keeps what was typed
            await settle(pilot)
            assert not isinstance(app.screen, ResidentForm)
            stored = residents.get_resident(db, None, rid, audited=False)
            assert (stored.phone, stored.email) == ("0699999999", "bewoner@example.nl")
    finally:
        db.close()


async def test_the_edit_form_shows_what_is_stored_now_not_what_the_screen_read(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    db = open_database(path, lambda: FROZEN_NOW)
    try:
        rid = search_residents(db, "", limit=1)[0].id
        app = make_app(db=db, now=FROZEN_NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_resident(rid)
            await settle(pilot)
            assert isinstance(app.screen, ResidentScreen)
            _other_instance_sets_phone(path, rid, "0612345678")  # after the screen was read
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, ResidentForm)
            assert app.screen.query_one("#phone", Input).value == "0612345678"
    finally:
        db.close()
