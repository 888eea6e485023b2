"""db.bulk_load: a joining laptop takes the organisation in without its secondary indexes and
triggers; afterwards the file is as if they had been there all along, also when the join was
stopped halfway."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from tests.conftest import frozen_clock
from wijkwerk_tui.db import bulk_load
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.db.sync_lock import one_sync
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.services import sync_apply
from wijkwerk_tui.store import ladders, residents

SOURCE = Path(__file__).resolve().parents[2] / "src" / "wijkwerk_tui"


def _schema(db: Database) -> set[tuple[Any, ...]]:
    with db.engine.connect() as connection:
        return {tuple(row) for row in connection.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master")}


def _suspend(db: Database) -> int:
    with db.transaction() as session:
        return bulk_load.suspend(session.connection())


def _summary(db: Database) -> set[tuple[Any, ...]]:
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT resident_id, ladder, history FROM ladder_summary WHERE history != ''")
        return {tuple(row) for row in rows}


def test_a_file_filled_without_indexes_and_triggers_ends_as_if_they_had_been_there(demo_db: Database) -> None:
    before = _schema(demo_db)
    dropped = _suspend(demo_db)
    during = _schema(demo_db)
    assert dropped >= 10 and len(before - during) == dropped
    assert not any(kind == "trigger" for kind, *_ in during)
    # Work while they are gone: a new resident, placements out of date order, one deleted.
    kees = residents.add_resident(demo_db, None, PersonalData("Kees", "", "Wolters", 1939), None)
    ladders.record_step(demo_db, None, kees.id, Ladder.PARTICIPATION, 3, date(2026, 11, 2))
    ladders.record_step(demo_db, None, kees.id, Ladder.PARTICIPATION, 2, date(2026, 10, 1), potential=4)
    gone = ladders.record_step(demo_db, None, kees.id, Ladder.SUPPORT, 4, date(2026, 11, 3))
    ladders.delete_step(demo_db, None, gone.id)
    someone = search_residents(demo_db, "", limit=1)[0]
    ladders.record_step(demo_db, None, someone.id, Ladder.SUPPORT, 1, date(2026, 11, 4))

    with demo_db.transaction() as session:
        bulk_load.restore(session.connection())

    assert _schema(demo_db) == before
    built = _summary(demo_db)
    with demo_db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE ladderstep SET step = step")  # each row's trigger rebuilds its summary
        # the search index against the residents it indexes (fails when one is missing or stale)
        connection.exec_driver_sql("INSERT INTO resident_fts(resident_fts, rank) VALUES ('integrity-check', 1)")
    assert built == _summary(demo_db)
    assert [row.id for row in search_residents(demo_db, "wolters")] == [kees.id]


def test_a_join_stopped_halfway_gets_its_indexes_and_triggers_back_when_the_file_opens(tmp_path: Path) -> None:
    db = open_database(tmp_path / "x.db", frozen_clock)
    before = _schema(db)
    assert sync_apply.start_bulk(db)  # (no residents: a joining laptop)
    kees = residents.add_resident(db, None, PersonalData("Kees", "", "Wolters", 1939), None)
    db.close()  # (as after kill -9: nothing more ran)

    again = open_database(tmp_path / "x.db", frozen_clock)
    try:
        assert _schema(again) == before
        assert [row.id for row in search_residents(again, "wolters")] == [kees.id]
        assert _suspend(again) > 0
        sync_apply.end_bulk(again, but="resident")  # (as at the end of a join, before the derived columns)
        waiting = before - _schema(again)
        assert waiting and {table for _kind, _name, table, _sql in waiting} == {"resident"}
        assert {"resident_fts_au", "ix_resident_order"} <= {name for _kind, name, *_ in waiting}
        sync_apply.finish_join(again, True)
        assert _schema(again) == before
    finally:
        again.close()


def test_a_file_opened_while_its_join_runs_elsewhere_opens_and_leaves_the_join_be(tmp_path: Path) -> None:
    db = open_database(tmp_path / "x.db", frozen_clock)
    before = _schema(db)
    assert sync_apply.start_bulk(db)
    db.close()
    with one_sync(tmp_path / "x.db"):  # (the join's process holds the sync lock)
        during = open_database(tmp_path / "x.db", frozen_clock)
        assert _schema(during) != before  # not built under the running join
        during.close()
    again = open_database(tmp_path / "x.db", frozen_clock)
    try:
        assert _schema(again) == before
    finally:
        again.close()


def test_a_laptop_that_holds_residents_keeps_its_indexes_when_it_joins(demo_db: Database) -> None:
    before = _schema(demo_db)
    assert not sync_apply.start_bulk(demo_db)
    assert _schema(demo_db) == before


def test_the_indexes_that_find_a_residents_rows_stay(db: Database) -> None:
    # (an erasure or a merge taken in during the join looks his rows up in every table)
    before = {name for kind, name, *_ in _schema(db) if kind == "index"}
    _suspend(db)
    after = {name for kind, name, *_ in _schema(db) if kind == "index"}
    lookups = {"ix_contact_resident_date", "ix_signal_resident_id", "ix_meldcodestep_signal_id", "ix_outbox_waiting"}
    assert lookups <= after
    assert {"ix_resident_order", "ix_resident_sound", "ix_contact_contact_on"} <= before - after


def test_the_indexes_queries_name_are_never_dropped(db: Database) -> None:
    named = set()
    for path in SOURCE.rglob("*.py"):
        named |= set(re.findall(r"INDEXED BY (\w+)", path.read_text(encoding="utf-8")))
    assert named and named <= bulk_load.KEEP
    _suspend(db)
    assert named <= {name for kind, name, *_ in _schema(db) if kind == "index"}
