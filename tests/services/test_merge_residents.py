"""Samenvoegen: one person registered twice becomes one file; the other points at it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.ui.helpers import settle, type_text
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Resident
from wijkwerk_tui.domain.accounts import PermissionDenied
from wijkwerk_tui.domain.errors import DomainError, ValidationError
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.services import merge_residents, privacy
from wijkwerk_tui.store import contacts, ladders, residents, signals, workers
from wijkwerk_tui.ui.app import make_app


@pytest.fixture
def twice(db: Database):
    boss = workers.add_worker(db, None, "Sanne Kuiper", "coordinator")
    keep = residents.add_resident(db, boss.id, PersonalData("Anna", "de", "Vries", 1950), None)
    other = residents.add_resident(db, boss.id, PersonalData("Anna", "de", "Vries", 1950, phone="0612345678"), None)
    ladders.record_step(db, boss.id, keep.id, Ladder.PARTICIPATION, 2, date(2026, 3, 1))
    ladders.record_step(db, boss.id, other.id, Ladder.PARTICIPATION, 4, date(2026, 6, 1))
    contacts.add_contact(db, boss.id, other.id, contacts.ContactData(date(2026, 6, 2)))
    signals.add_signal(db, boss.id, other.id, signals.SignalData("loneliness", noticed_on=date(2026, 6, 2)))
    return db, boss, keep, other


def test_issue17_merging_moves_the_history_and_leaves_a_pointer(twice) -> None:
    db, boss, keep, other = twice
    assert merge_residents.merge(db, boss.id, keep.id, other.id) == 3
    merged = residents.get_resident(db, None, keep.id, audited=False)
    assert [s.step for s in ladders.history(db, keep.id, Ladder.PARTICIPATION)] == [2, 4]
    assert merged.participation_step == 4  # the latest of both histories
    assert merged.last_contact_on == date(2026, 6, 2)
    assert merged.phone == "0612345678"  # filled in where the kept file had nothing
    with db.reading() as session:
        gone = session.exec(select(Resident).where(Resident.id == other.id)).one()
    assert gone.deleted_at is not None and gone.merged_into == keep.id
    assert residents.count_residents(db) == 1


def test_issue17_merging_is_for_coordinators_and_refuses_nonsense(twice) -> None:
    db, boss, keep, other = twice
    piet = workers.add_worker(db, boss.id, "Piet de Boer", "worker")
    with pytest.raises(PermissionDenied):
        merge_residents.merge(db, piet.id, keep.id, other.id)
    with pytest.raises(ValidationError):
        merge_residents.merge(db, boss.id, keep.id, keep.id)
    privacy.erase_resident(db, boss.id, other.id)
    with pytest.raises(DomainError, match="gewiste"):
        merge_residents.merge(db, boss.id, keep.id, other.id)
    assert [s.step for s in ladders.history(db, keep.id, Ladder.PARTICIPATION)] == [2]


async def test_issue17_samenvoegen_from_the_resident_screen(twice) -> None:
    db, boss, keep, _other = twice
    app = make_app(db=db, worker=boss)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(keep.id)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.form_title == "Samenvoegen in Anna de Vries"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Kies één inwoner" in str(app.screen.query_one("#field-other").error)  # type: ignore[attr-defined]
        await type_text(pilot, "vries")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [s.step for s in ladders.history(db, keep.id, Ladder.PARTICIPATION)] == [2, 4]
        assert residents.count_residents(db) == 1
        assert "Samengevoegd: 3 regels" in " ".join(str(n.message) for n in app._notifications)
