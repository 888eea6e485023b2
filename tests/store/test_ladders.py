from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import LadderStep
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.store import ladders, residents, workers


def _resident(db: Database):
    worker = workers.add_worker(db, None, "Werker")
    return worker.id, residents.add_resident(db, worker.id, PersonalData("Jan", "", "Jansen", 1951), None, True)


def test_current_step_is_latest_by_date_not_by_entry(db: Database) -> None:
    worker, r = _resident(db)
    today = db.today()
    ladders.record_step(db, worker, r.id, Ladder.PARTICIPATION, 3, today - timedelta(days=10))
    # Entered later, but measured earlier: history, not the current step.
    ladders.record_step(db, worker, r.id, Ladder.PARTICIPATION, 1, today - timedelta(days=200))
    assert ladders.current(db, r.id, Ladder.PARTICIPATION).step == 3
    assert [s.step for s in ladders.history(db, r.id, Ladder.PARTICIPATION)] == [1, 3]
    assert residents.get_resident(db, worker, r.id).participation_step == 3


def test_same_day_later_entry_wins(db: Database) -> None:
    worker, r = _resident(db)
    ladders.record_step(db, worker, r.id, Ladder.SUPPORT, 4, db.today())
    ladders.record_step(db, worker, r.id, Ladder.SUPPORT, 2, db.today())
    assert ladders.current(db, r.id, Ladder.SUPPORT).step == 2


def test_history_is_kept_and_ladders_are_separate(db: Database) -> None:
    worker, r = _resident(db)
    for days, step in ((300, 1), (200, 2), (100, 3)):
        ladders.record_step(
            db,
            worker,
            r.id,
            Ladder.PARTICIPATION,
            step,
            db.today() - timedelta(days=days),
            potential=4,
            note=f"meting {step}",
        )
    ladders.record_step(db, worker, r.id, Ladder.SUPPORT, 5, db.today())
    history = ladders.history(db, r.id, Ladder.PARTICIPATION)
    assert [(h.step, h.potential, h.note) for h in history] == [
        (1, 4, "meting 1"),
        (2, 4, "meting 2"),
        (3, 4, "meting 3"),
    ]
    assert all(h.worker_id == worker for h in history)
    assert [h.step for h in ladders.history(db, r.id, Ladder.SUPPORT)] == [5]


def test_deleted_step_leaves_history_and_current(db: Database) -> None:
    worker, r = _resident(db)
    ladders.record_step(db, worker, r.id, Ladder.PARTICIPATION, 2, db.today() - timedelta(days=5))
    latest = ladders.record_step(db, worker, r.id, Ladder.PARTICIPATION, 5, db.today())
    ladders.delete_step(db, worker, latest.id)
    assert [s.step for s in ladders.history(db, r.id, Ladder.PARTICIPATION)] == [2]
    assert residents.get_resident(db, worker, r.id).participation_step == 2


@pytest.mark.parametrize(
    ("ladder", "step", "potential", "on_offset", "field"),
    [
        (Ladder.PARTICIPATION, 7, None, 0, "step"),
        (Ladder.SUPPORT, 6, None, 0, "step"),
        (Ladder.SUPPORT, 0, None, 0, "step"),
        (Ladder.PARTICIPATION, 2, 9, 0, "potential"),
        (Ladder.PARTICIPATION, 2, None, 3, "measured_on"),
    ],
)
def test_invalid_step_writes_nothing(
    db: Database, ladder: Ladder, step: int, potential: int | None, on_offset: int, field: str
) -> None:
    worker, r = _resident(db)
    with pytest.raises(ValidationError) as info:
        ladders.record_step(db, worker, r.id, ladder, step, db.today() + timedelta(days=on_offset), potential)
    assert info.value.field == field
    with db.reading() as session:
        assert session.exec(select(func.count()).select_from(LadderStep)).one() == 0
    assert residents.get_resident(db, worker, r.id).participation_step is None


def test_hardening_19_no_step_before_the_resident_was_born(db: Database) -> None:
    from datetime import date

    from wijkwerk_tui.domain.errors import ValidationError

    born_1951 = residents.add_resident(db, None, PersonalData("Jan", "", "Jansen", 1951), None, True)
    with pytest.raises(ValidationError) as refused:
        ladders.record_step(db, None, born_1951.id, Ladder.PARTICIPATION, 2, date(1950, 12, 31))
    assert refused.value.field == "measured_on" and "geboorte" in refused.value.message
    dated = residents.add_resident(
        db, None, PersonalData("Piet", "", "Pietersen", None, birth_date=date(1960, 5, 4)), None, True
    )
    with pytest.raises(ValidationError):
        ladders.record_step(db, None, dated.id, Ladder.SUPPORT, 2, date(1960, 5, 3))
    ladders.record_step(db, None, dated.id, Ladder.SUPPORT, 2, date(1960, 5, 4))  # the birthday itself is fine
    assert ladders.history(db, born_1951.id, Ladder.PARTICIPATION) == []
