import threading
import uuid

import pytest
from sqlalchemy import text
from sqlcipher3 import dbapi2

from wijkwerk_tui.db.engine import Database, plain_connect
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops.maintenance import check
from wijkwerk_tui.store import audit, residents, settings, workers


def test_chain_detects_an_edit_behind_the_apps_back(db: Database) -> None:
    r = residents.add_resident(db, None, PersonalData("Jan", "", "Jansen", 1951), None, True)
    residents.get_resident(db, None, r.id)
    assert audit.verify_chain(db).ok and check(db).ok
    assert [e.action for e in audit.events_for_resident(db, r.id)] == ["resident.view", "resident.create"]
    with db.transaction() as session:
        session.execute(text("UPDATE auditevent SET action = 'resident.update' WHERE seq = 1"))
    report = audit.verify_chain(db)
    assert not report.ok and report.broken_at == 1
    assert not check(db).ok


OTHER = uuid.UUID(int=7).hex  # as SQLAlchemy stores a UUID on SQLite


# Every column the digest must cover, with a different value written behind the app's back.
EDITS = {
    "id": f"'{OTHER}'",
    "at": "'2020-01-01 00:00:00.000000'",
    "worker_id": "NULL",
    "action": "'resident.update'",
    "resident_id": f"'{OTHER}'",
    "detail": "'iets anders'",
    "device_id": "'ander-apparaat'",
    "prev_hash": "'0000'",
}


@pytest.mark.parametrize("column", sorted(EDITS))
def test_every_field_of_an_entry_is_in_its_hash(db: Database, column: str) -> None:
    boss = workers.add_worker(db, None, "Anke", "coordinator")
    r = residents.add_resident(db, boss.id, PersonalData("Jan", "", "Jansen", 1951), None, True)
    audit.log(db, boss.id, "resident.view", r.id, detail="scherm")
    with db.reading() as session:
        seq = session.execute(text("SELECT max(seq) FROM auditevent")).scalar()
    assert audit.verify_chain(db).ok
    with db.transaction() as session:
        session.execute(text(f"UPDATE auditevent SET {column} = {EDITS[column]} WHERE seq = :seq"), {"seq": seq})
    assert audit.verify_chain(db).broken_at == seq


def test_audit_detail_holds_no_personal_data(db: Database) -> None:
    residents.add_resident(db, None, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True)
    with db.reading() as session:
        rows = session.execute(text("SELECT action, detail FROM auditevent")).all()
    assert rows and not any("Hoekstra" in f"{a}{d}" or "Gerrit" in f"{a}{d}" for a, d in rows)


def test_a_unit_of_work_holds_the_write_lock_from_its_start(db: Database) -> None:
    """A transaction that reads and then writes takes the write lock at BEGIN, so another
    writer waits for it instead of slipping in between (with a deferred BEGIN the first one
    then failed at once with "database is locked"). Both land."""
    has_read, may_write = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def unit() -> None:
        try:
            with db.transaction() as session:
                session.execute(text("SELECT count(*) FROM resident")).scalar()
                has_read.set()
                assert may_write.wait(10)
                audit.record(session, db, None, "test.unit")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    first = threading.Thread(target=unit)
    first.start()
    assert has_read.wait(10)
    probe = plain_connect(db.path)  # a second writer that will not wait at all
    probe.execute("PRAGMA busy_timeout = 0")
    with pytest.raises(dbapi2.OperationalError, match="locked"):
        probe.execute("BEGIN IMMEDIATE")
    probe.close()
    second = threading.Thread(target=settings.set_value, args=(db, "other", "write"))  # waits (busy timeout)
    second.start()
    may_write.set()
    first.join(10)
    second.join(10)
    assert errors == []
    assert settings.get(db, "other") == "write" and audit.verify_chain(db).ok
    with db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM auditevent WHERE action = 'test.unit'")).scalar() == 1
