from sqlalchemy import text

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops.maintenance import check
from wijkwerk_tui.store import audit, residents


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


def test_audit_detail_holds_no_personal_data(db: Database) -> None:
    residents.add_resident(db, None, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True)
    with db.reading() as session:
        rows = session.execute(text("SELECT action, detail FROM auditevent")).all()
    assert rows and not any("Hoekstra" in f"{a}{d}" or "Gerrit" in f"{a}{d}" for a, d in rows)


def test_concurrent_units_of_work_wait_instead_of_failing(db: Database) -> None:
    """A transaction that reads and then writes, while another thread writes: both land.

    (With a deferred BEGIN the first one failed at once with "database is locked".)"""
    import threading
    import time

    from wijkwerk_tui.store import settings

    errors: list[Exception] = []

    def slow_unit() -> None:
        try:
            with db.transaction() as session:
                session.execute(text("SELECT count(*) FROM resident")).scalar()
                time.sleep(0.3)
                audit.record(session, db, None, "test.slow")
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    worker = threading.Thread(target=slow_unit)
    worker.start()
    time.sleep(0.1)
    settings.set_value(db, "other", "write")  # waits for the slow unit, then writes
    worker.join()
    assert errors == []
    assert settings.get(db, "other") == "write" and audit.verify_chain(db).ok
