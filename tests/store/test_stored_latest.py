"""The join's pass over every resident (services.sync_apply.recompute_all) picks each current
ladder step and last contact in SQL: the same answers as the queries the app uses."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Contact, LadderStep, Resident
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.store import contacts, ladders, residents, workers

DAY0 = date(2026, 1, 1)
MOMENT0 = datetime(2026, 1, 1, 9, tzinfo=UTC)

# (resident 0-2, ladder, step 1-6, day 0-4: the same day often, deleted?)
placements = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["participatie", "verantwoordelijkheid"]),
        st.integers(1, 6),
        st.integers(0, 4),
        st.booleans(),
    ),
    max_size=25,
)
visits = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 30), st.booleans()), max_size=15)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(placements=placements, visits=visits)
def test_latest_steps_and_contacts_in_sql_match_the_apps_own(
    db: Database, placements: list[tuple[int, str, int, int, bool]], visits: list[tuple[int, int, bool]]
) -> None:
    with db.reading() as session:
        people = list(session.exec(select(Resident.id).order_by(col(Resident.pk))))
    if not people:
        worker = workers.add_worker(db, None, "Werker")
        for name in ("Jansen", "De Vries", "Bakker"):
            residents.add_resident(db, worker.id, PersonalData("Jan", "", name, 1951), None, True)
        with db.reading() as session:
            people = list(session.exec(select(Resident.id).order_by(col(Resident.pk))))
    with Session(db.engine) as session:  # (never committed: each example starts empty)
        for n, (who, ladder, step, day, deleted) in enumerate(placements):
            session.add(
                LadderStep(
                    resident_id=people[who],
                    ladder=ladder,
                    step=step,
                    measured_on=DAY0 + timedelta(days=day),
                    # entered in another order than measured: a placement added afterwards
                    created_at=MOMENT0 + timedelta(minutes=(n * 7) % 25 * 30 + n),
                    deleted_at=MOMENT0 if deleted else None,
                )
            )
        for who, day, deleted in visits:
            session.add(
                Contact(
                    resident_id=people[who],
                    kind="gesprek",
                    contact_on=DAY0 + timedelta(days=day),
                    deleted_at=MOMENT0 if deleted else None,
                )
            )
        session.flush()
        wanted = select(Resident.id)
        by_app = ladders.current_steps(session, list(people))
        in_sql = ladders.current_steps_stored(session, wanted)
        assert {(uuid.UUID(hex=k), code): step for (k, code), step in in_sql.items()} == by_app
        last_app = contacts.last_contact_days(session, list(people))
        last_sql = contacts.last_contact_days_stored(session, wanted)
        assert {uuid.UUID(hex=k): day for k, day in last_sql.items()} == last_app
        session.rollback()
