"""The ladder summary (one row per resident and ladder, kept by triggers) always equals the
history rows it summarises, whatever order placements come in and after deletions."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.report_ladders import step_on
from wijkwerk_tui.store import ladders, residents, workers

BASE = date(2025, 1, 1)
# (day offset, step, ladder) to record, or ("delete", index of an earlier placement)
action = st.one_of(
    st.tuples(
        st.integers(0, 60), st.integers(1, 5), st.sampled_from(list(Ladder)), st.one_of(st.none(), st.integers(1, 5))
    ),
    st.tuples(st.just("delete"), st.integers(0, 30)),
)


def _summaries(db: Database) -> dict[tuple[str, str], str]:
    with db.reading() as session:
        return {
            (r, lad): h
            for r, lad, h in session.execute(
                text("SELECT resident_id, ladder, history FROM ladder_summary WHERE history != ''")
            )
        }


def _from_rows(db: Database) -> dict[tuple[str, str], str]:
    """What the summary should hold, computed in Python from the rows themselves."""
    with db.reading() as session:
        rows = session.execute(
            text(
                "SELECT resident_id, ladder, measured_on, created_at, step, potential FROM ladderstep"
                " WHERE deleted_at IS NULL"
            )
        )
        ordered = sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
    out: dict[tuple[str, str], str] = {}
    for (resident, ladder), group in itertools.groupby(ordered, key=lambda r: (r[0], r[1])):
        out[(resident, ladder)] = "".join(f"{r[2]}{r[4]}{r[5] or 0}" for r in group)
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(action, max_size=8), min_size=1, max_size=3))
def test_summary_equals_the_rows(tmp_path_factory, plans) -> None:
    ticks = itertools.count()
    clock = lambda: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=next(ticks) // 3)  # noqa: E731 (same-second entries too)
    db = open_database(Path(tmp_path_factory.mktemp("sum")) / "s.db", clock)
    try:
        worker = workers.add_worker(db, None, "W").id
        for n, plan in enumerate(plans):
            rid = residents.add_resident(db, worker, PersonalData(f"R{n}", "", "Test", 1950), None, True).id
            recorded = []
            for item in plan:
                if item[0] == "delete":
                    live = [s for s in recorded if s is not None]
                    if live:
                        index = item[1] % len(live)
                        ladders.delete_step(db, worker, live[index])
                        recorded[recorded.index(live[index])] = None
                else:
                    offset, step, ladder, potential = item
                    recorded.append(
                        ladders.record_step(db, worker, rid, ladder, step, BASE + timedelta(days=offset), potential).id
                    )
        assert _summaries(db) == _from_rows(db)
    finally:
        db.close()


entries = st.lists(
    st.tuples(st.dates(date(2020, 1, 1), date(2026, 12, 31)), st.integers(1, 6), st.integers(0, 6)), max_size=8
)


@given(entries, st.dates(date(2019, 1, 1), date(2027, 12, 31)))
def test_step_on_is_the_last_entry_on_or_before_the_day(history, day) -> None:
    ordered = sorted(history, key=lambda e: e[0])  # stable: same-day entries keep their order
    summary = "".join(f"{d.isoformat()}{s}{p}" for d, s, p in ordered)
    expected = None
    for d, s, _p in ordered:
        if d <= day:
            expected = s
    assert step_on(summary, day.isoformat()) == expected
