"""Ongebruikelijk inzien (queries.unusual_views): break-glass openings with their reason, views
outside a worker's areas and caseload, and days with unusually many files; coordinators only."""

from __future__ import annotations

import pytest

from tests.store.test_scope import office  # noqa: F401 - the fixture
from wijkwerk_tui.domain.accounts import PermissionDenied
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.need_to_know import MANY_VIEWS_A_DAY
from wijkwerk_tui.queries.unusual_views import BREAK_GLASS, MANY, OUTSIDE, unusual_views
from wijkwerk_tui.services import resident_file
from wijkwerk_tui.store import areas, residents, scope


def test_break_glass_and_views_outside_are_listed_for_coordinators_only(office) -> None:  # noqa: F811
    session, piet, gerrit, wil = office
    db = session.db
    resident_file.record_view(db, piet, gerrit)  # his own area: nothing unusual
    resident_file.record_view(db, piet, wil, "belde namens de huisarts")
    resident_file.record_view(db, session.worker_id, wil)  # a coordinator opens every file
    # A view from before his areas were set (or from a laptop that did not ask): outside now.
    resident_file.record_view(db, piet, wil)
    listed = unusual_views(db, session.worker_id, db.today())
    assert [(u.worker, u.what, u.resident, u.detail) for u in listed] == [
        ("Piet de Boer", OUTSIDE, "Wil Zonderland", "1x bekeken"),
        ("Piet de Boer", BREAK_GLASS, "Wil Zonderland", "belde namens de huisarts"),
    ]
    with pytest.raises(PermissionDenied):
        unusual_views(db, piet, db.today())


def test_a_day_with_unusually_many_files_is_listed(office) -> None:  # noqa: F811
    session, piet, _gerrit, _wil = office
    db = session.db
    ruinen = {a.name: a.id for a in areas.list_areas(db)}["Ruinen"]
    many = [
        residents.add_resident(db, session.worker_id, PersonalData("Jan", "", f"Bakker{n:02d}", 1950), ruinen)
        for n in range(MANY_VIEWS_A_DAY + 1)
    ]
    for r in many[:MANY_VIEWS_A_DAY]:
        resident_file.record_view(db, piet, r.id)
    assert not [u for u in unusual_views(db, session.worker_id, db.today()) if u.what == MANY]
    resident_file.record_view(db, piet, many[-1].id)
    assert [(u.worker, u.detail) for u in unusual_views(db, session.worker_id, db.today()) if u.what == MANY] == [
        ("Piet de Boer", f"{MANY_VIEWS_A_DAY + 1} dossiers")
    ]
    assert scope.worker_areas(db, piet) == frozenset({ruinen})
