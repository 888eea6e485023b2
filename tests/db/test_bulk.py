"""db.bulk writes a row into the file exactly as SQLAlchemy's own insert writes it: every kind
of column value, empty ones, and the defaults of the columns a row leaves out."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert
from sqlmodel import Session

from wijkwerk_tui.db.bulk import insert_many, present
from wijkwerk_tui.db.sync_tables import core
from wijkwerk_tui.db.tables import Resident

TABLE = core(Resident)
ENGINE = create_engine("sqlite://")
TABLE.create(ENGINE)
# UTC as the app stamps, and other offsets (a value converted on its way in)
zones = st.just(UTC) | st.builds(timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23)))
moments = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=zones)
text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
rows = st.fixed_dictionaries(
    {
        "id": st.uuids(),
        "created_at": moments,
        "updated_at": moments,
        "given_name": text,
        "family_name": text,
        "birth_year": st.none() | st.integers(1900, 2026),
        "birth_date": st.none() | st.dates(),
        "area_id": st.none() | st.uuids(),
        "participation_step": st.none() | st.integers(1, 6),
        "anonymised_at": st.none() | moments,
        # left out: version, device_id, phone, email, the keys (their defaults)
    }
)


def _stored(session: Session) -> list[tuple[Any, ...]]:
    columns = ", ".join(f'"{c.name}"' for c in TABLE.columns if c.name != "pk")
    found = list(session.connection().exec_driver_sql(f"SELECT {columns} FROM resident ORDER BY pk"))
    session.connection().exec_driver_sql("DELETE FROM resident")
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, min_size=1, max_size=7, unique_by=lambda row: row["id"]))
def test_issue17_a_bulk_insert_writes_what_sqlalchemys_insert_writes(given_rows: list[dict[str, Any]]) -> None:
    with Session(ENGINE) as session, session.begin():
        session.execute(insert(TABLE), given_rows)
        expected = _stored(session)
        insert_many(session, TABLE, given_rows, chunk=3)
        assert _stored(session) == expected
        session.rollback()


def test_issue17_a_bulk_insert_takes_rows_of_different_columns() -> None:
    first = {"id": uuid.uuid4(), "family_name": "Vries"}
    second = {"id": uuid.uuid4(), "family_name": "Dijk", "phone": "0612345678"}
    with Session(ENGINE) as session, session.begin():
        insert_many(session, TABLE, [first, second], chunk=10)
        stored = {
            row[0]: row[1:]
            for row in session.connection().exec_driver_sql("SELECT family_name, phone, version FROM resident")
        }
        assert stored == {"Vries": ("", 1), "Dijk": ("0612345678", 1)}
        session.rollback()


@settings(max_examples=40, deadline=None)
@given(st.sets(st.uuids(), max_size=12), st.sets(st.uuids(), max_size=12))
def test_issue17_present_finds_exactly_the_ids_a_table_holds(held: set[uuid.UUID], others: set[uuid.UUID]) -> None:
    with Session(ENGINE) as session, session.begin():
        insert_many(session, TABLE, [{"id": value} for value in held], chunk=5)
        asked = set(list(held)[::2]) | others
        assert present(session, TABLE.c.id, asked, chunk=3) == asked & held
        session.rollback()
