"""Property: the report's movement counts add up, and agree with the domain rule per resident."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.domain import report_build
from wijkwerk_tui.domain.ladders import Ladder, Movement, Placement, classify_movement
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.report import ALL
from wijkwerk_tui.queries import report_data
from wijkwerk_tui.store import ladders, residents, workers

BASE = date(2025, 1, 1)
START, END = date(2025, 4, 1), date(2025, 8, 31)
placement = st.tuples(st.integers(0, 364), st.integers(1, 6))  # (day offset, step)
histories = st.lists(st.lists(placement, max_size=5), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=histories)
def test_movements_add_up_and_match_the_domain(tmp_path_factory, histories) -> None:
    ticks = itertools.count()
    clock = lambda: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=next(ticks))  # noqa: E731
    db = open_database(Path(tmp_path_factory.mktemp("prop")) / "p.db", clock)
    try:
        worker = workers.add_worker(db, None, "W", "coordinator").id
        expected: Counter[Movement] = Counter()
        for n, history in enumerate(histories):
            rid = residents.add_resident(db, worker, PersonalData(f"R{n}", "", "Test", 1950), None, True).id
            placements = []
            for order, (offset, step) in enumerate(history):
                day = BASE + timedelta(days=offset)
                ladders.record_step(db, worker, rid, Ladder.PARTICIPATION, step, day)
                placements.append(Placement(day, step, order))
            expected[classify_movement(placements, START, END)] += 1
        report = report_build.build(report_data.load(db, worker, report_data.Period(START, END)))
        row = next(r for r in report.table("participation_movement").rows if r[0] == ALL)
        up, down, same, new, total = (c.n for c in row[1:6])
        placed_by_end = sum(1 for h in histories if any(BASE + timedelta(days=o) <= END for o, _s in h))
        assert up + down + same + new == total == placed_by_end
        assert (up, down, same, new) == tuple(
            expected[m] for m in (Movement.UP, Movement.DOWN, Movement.SAME, Movement.NEW)
        )
    finally:
        db.close()


def test_portable_fold_gives_what_the_sqlite_fold_gives(demo_db) -> None:
    """Other databases use the portable fold (ordered rows, folded in Python): same answers."""
    from wijkwerk_tui.domain.report import Period
    from wijkwerk_tui.queries.report_ladders import ladder_groups

    for chosen in (Period(date(2025, 6, 1), date(2026, 6, 30)), Period(date(2024, 1, 1), date(2026, 11, 23))):
        portable = ladder_groups(demo_db, chosen, portable=True)
        assert sorted(portable, key=repr) == sorted(ladder_groups(demo_db, chosen), key=repr)
        assert sum(n for *_, n in portable) > 0
