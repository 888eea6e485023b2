"""Issue 14, item 14: the demo looks like a well-run organisation to a worker who knows the field.

Ladder steps fit the resident's age (no paid work past the state pension age or before 18),
and the agenda is kept up: open signals, referrals awaiting feedback and open goals have
their next date in the recent past or near future, a few overdue and none by months.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.domain import referrals as referral_rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.ops.demo_data import build_demo
from wijkwerk_tui.queries import overview

PENSION_AGE = 67
WORKING_AGE = 18
# "Overdue" in a well-run organisation: weeks, never more than about two months.
MOST_OVERDUE = timedelta(days=61)
MOST_AHEAD = timedelta(days=92)

# The frozen clock of the other tests, and early in a later year (everyone born in 1964 is
# counted 67 from 1 January on, while their latest placement was made at 66): the rules
# follow the demo's today.
DAYS = (datetime(2026, 11, 23, 9, 0, tzinfo=UTC), datetime(2031, 1, 5, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="module", params=DAYS, ids=lambda d: d.date().isoformat())
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    now: datetime = request.param
    database = open_database(tmp_path_factory.mktemp("demo") / "demo.db", lambda: now)
    build_demo(database, residents=600, seed=2026)
    yield database
    database.close()


def _rows(db: Database, sql: str) -> list[tuple]:
    with db.reading() as session:
        return [tuple(r) for r in session.execute(text(sql))]


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _age(birth_year: int, on: str | date) -> int:
    """The age reached in that year: with only a birth year, the highest it can be."""
    return _day(on).year - birth_year


def test_no_paid_work_past_pension_age_or_before_working_age(demo: Database) -> None:
    today = demo.today()
    placements = _rows(
        demo,
        "SELECT r.birth_year, l.measured_on, l.step, l.potential FROM ladderstep l "
        "JOIN resident r ON r.id = l.resident_id WHERE l.ladder = 'participation'",
    )
    not_working_age = [p for p in placements if not WORKING_AGE <= _age(p[0], p[1]) < PENSION_AGE]
    assert len(not_working_age) > 200  # the test has something to look at
    wrong = [p for p in not_working_age if p[2] >= 5 or (p[3] or 0) >= 5]
    assert not wrong, f"paid work outside working age (birth year, date, step, potential): {wrong[:5]}"
    # Paid work is still there, at working age.
    assert any(p[2] == 6 for p in placements if WORKING_AGE <= _age(p[0], p[1]) < PENSION_AGE)
    # And now: nobody aged 67 or over this year is on step 5 or 6.
    now = _rows(demo, "SELECT birth_year, participation_step FROM resident")
    retired = [r for r in now if _age(r[0], today) >= PENSION_AGE]
    assert len(retired) > 50
    assert all(step <= 4 for _year, step in retired)


def _agenda_dates(db: Database, sql: str) -> list[date]:
    return [_day(r[0]) for r in _rows(db, sql)]


def _open_signals(db: Database) -> list[date]:
    statuses = ", ".join(f"'{s}'" for s in signal_rules.OPEN_STATUSES)
    return _agenda_dates(db, f"SELECT follow_up_on FROM signal WHERE status IN ({statuses}) AND deleted_at IS NULL")


def _awaiting_referrals(db: Database) -> list[date]:
    statuses = ", ".join(f"'{s}'" for s in referral_rules.AWAITING_FEEDBACK)
    return _agenda_dates(
        db,
        f"SELECT feedback_due_on FROM referral WHERE status IN ({statuses}) "
        "AND feedback_on IS NULL AND deleted_at IS NULL",
    )


def _open_goals(db: Database) -> list[date]:
    return _agenda_dates(db, "SELECT review_on FROM goal WHERE status = 'open' AND deleted_at IS NULL")


@pytest.mark.parametrize("items", [_open_signals, _awaiting_referrals, _open_goals], ids=lambda f: f.__name__[1:])
def test_the_agenda_is_kept_up(demo: Database, items) -> None:
    today = demo.today()
    dates = items(demo)
    overdue = [d for d in dates if d < today]
    assert len(dates) >= 8, "too few open items to judge"
    # A few overdue (so the start screen has something to show), a minority, and by weeks only.
    assert 0 < len(overdue) <= 0.3 * len(dates), f"{len(overdue)} of {len(dates)} overdue"
    assert min(dates) >= today - MOST_OVERDUE, f"overdue since {min(dates)} (today {today})"
    assert max(dates) <= today + MOST_AHEAD, f"planned as far ahead as {max(dates)}"


def test_the_start_screen_of_every_worker_is_not_swamped(demo: Database) -> None:
    """What 'Vandaag' shows a worker: a handful of late follow-ups, none of them from long ago."""
    today = demo.today()
    for (worker_id,) in _rows(demo, "SELECT id FROM worker"):
        agenda = overview.agenda(demo, uuid.UUID(hex=worker_id))
        late = [r.follow_up_on for r in agenda.overdue_signals]
        assert len(late) <= 10
        assert all(d is not None and d >= today - MOST_OVERDUE for d in late)
        assert all(r.feedback_due_on and r.feedback_due_on >= today - MOST_OVERDUE for r in agenda.feedback)


@pytest.mark.parametrize(("residents", "seed"), [(80, 7), (600, 2026)])  # the tests' demo, the default one
def test_the_demo_coordinator_starts_with_work_on_the_screen(tmp_path: Path, residents: int, seed: int) -> None:
    """The demo logs in as its first coordinator: 'Vandaag' shows something, also in a small demo."""
    from wijkwerk_tui.store import workers

    db = open_database(tmp_path / "demo.db", lambda: DAYS[0])
    try:
        build_demo(db, residents=residents, seed=seed)
        lead = workers.default_worker(db)
        assert lead is not None
        agenda = overview.agenda(db, lead.id)
        assert agenda.overdue_signals or agenda.feedback or agenda.goals
    finally:
        db.close()


def _fingerprint(db: Database) -> list[list[tuple]]:
    return [
        _rows(db, sql)
        for sql in (
            "SELECT resident_id, ladder, step, potential, measured_on FROM ladderstep ORDER BY id",
            "SELECT id, status, noticed_on, follow_up_on, closed_on FROM signal ORDER BY id",
            "SELECT id, status, referred_on, feedback_due_on, feedback_on FROM referral ORDER BY id",
            "SELECT id, status, set_on, review_on FROM goal ORDER BY id",
        )
    ]


def test_the_ladders_and_the_agenda_are_deterministic_for_a_seed(tmp_path: Path) -> None:
    prints = []
    for name, seed in (("a.db", 5), ("b.db", 5), ("c.db", 6)):
        db = open_database(tmp_path / name, lambda: DAYS[0])
        build_demo(db, residents=60, seed=seed)
        prints.append(_fingerprint(db))
        db.close()
    assert prints[0] == prints[1]
    assert all(prints[0])
    assert prints[0] != prints[2]
