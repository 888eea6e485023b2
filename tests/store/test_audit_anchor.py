"""Finding 13: the audit chain also shows truncation and rebuilds. Every column (the sequence
number included) is in an entry's hash, and the chain's head is kept outside the database:
in every backup's manifest, by `check` (to be noted on paper) and on the settings screen;
`check` then says whether the chain still extends a head noted before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import PASS
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops import backup
from wijkwerk_tui.ops.maintenance import check
from wijkwerk_tui.security import vault
from wijkwerk_tui.store import audit, residents


def _events(db: Database, n: int) -> None:
    for i in range(n):
        audit.log(db, None, "test.event", detail=str(i))


def _rebuild(db: Database) -> None:
    from sqlmodel import col, select

    from wijkwerk_tui.db.tables import AuditEvent

    with db.transaction() as session:
        previous = ""
        for number, event in enumerate(session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))), 1):
            event.device_seq = number
            event.prev_hash = previous
            event.hash = audit.digest(event)
            previous = event.hash
            session.add(event)


def test_hardening_13_the_number_in_the_chain_is_in_the_hash(db: Database) -> None:
    _events(db, 3)
    with db.transaction() as session:
        last = session.execute(text("SELECT max(device_seq) FROM auditevent")).scalar()
        session.execute(
            text("UPDATE auditevent SET device_seq = :new WHERE device_seq = :old"), {"new": last + 10, "old": last}
        )
    assert not audit.verify_chain(db).ok


def test_hardening_13_truncation_is_found_against_a_noted_head(db: Database) -> None:
    _events(db, 5)
    noted = check(db).audit_head
    assert noted is not None and check(db, noted).ok and check(db, noted).extends_noted is True
    with db.transaction() as session:  # the newest two entries go, behind the app's back
        session.execute(text("DELETE FROM auditevent WHERE seq > (SELECT max(seq) - 2 FROM auditevent)"))
    assert audit.verify_chain(db).ok  # on its own the shortened chain still looks whole
    report = check(db, noted)
    assert report.extends_noted is False and not report.ok


def test_hardening_13_a_rebuilt_chain_is_found_against_a_noted_head(db: Database) -> None:
    _events(db, 5)
    noted = check(db).audit_head
    assert noted is not None
    with db.transaction() as session:  # a middle entry goes, and every hash after it is recomputed
        session.execute(text("DELETE FROM auditevent WHERE detail = '2'"))
    _rebuild(db)  # as someone with Python and the app's own digest would
    assert audit.verify_chain(db).ok
    assert check(db, noted).extends_noted is False


def test_hardening_13_every_backup_carries_the_head_and_no_personal_data(setup_db, clock) -> None:
    session, _code, _path = setup_db
    residents.add_resident(session.db, session.worker_id, PersonalData("Wilma", "", "Zonderland", 1944), None, True)
    made = backup.make_backup(session.db, session.worker_id)
    manifest = json.loads(backup.manifest_path(made).read_text())
    head = audit.head(session.db)
    assert manifest["audit_head"]["seq"] <= head[0] and manifest["audit_head"]["hash"]
    assert "Zonderland" not in backup.manifest_path(made).read_text()
    assert check(session.db).extends_backup is True
    with session.db.transaction() as s:  # truncated back past the backup
        s.execute(text("DELETE FROM auditevent WHERE seq >= :seq"), {"seq": manifest["audit_head"]["seq"]})
    assert check(session.db).extends_backup is False and not check(session.db).ok


def test_hardening_13_tries_refused_during_the_delay_are_recorded(setup_db, clock) -> None:
    session, _code, path = setup_db
    session.db.close()
    for _ in range(5):  # five free tries, all wrong: from now on each try waits
        with pytest.raises(vault.LoginError):
            vault.login(path, "Sanne Kuiper", "fout wachtwoord!", clock)
    refused = 0
    for _ in range(3):  # still within the delay: refused without a look at the passphrase
        try:
            vault.login(path, "Sanne Kuiper", PASS, clock)
        except vault.LoginError as error:
            refused += "Probeer het over" in error.message
    assert refused == 3
    clock.advance(minutes=10)
    opened = vault.login(path, "Sanne Kuiper", PASS, clock)
    with opened.db.reading() as s:
        actions = [a for (a,) in s.execute(text("SELECT action FROM auditevent ORDER BY seq"))]
    opened.db.close()
    assert actions.count("login.refused") == 3 and actions.count("login.failed") == 5


def test_hardening_13_check_on_the_command_line_prints_and_compares_the_head(setup_db, tmp_path: Path) -> None:
    from tests.test_cli import _run

    session, _code, path = setup_db
    noted = audit.head(session.db)
    session.db.close()
    done = _run("--db", str(path), "check", "--head", f"{noted[0]}:{noted[1][:16]}")
    assert done.returncode == 0 and "kop" in done.stdout.lower()
    other = _run("--db", str(path), "check", "--head", f"{noted[0]}:{'0' * 16}")
    assert other.returncode == 1 and "NIET" in other.stdout
