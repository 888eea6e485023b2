"""The raw files hold no readable data: database, WAL, drafts, backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import PASS
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.restore_points import to_keep
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.keyfile import keyfile_path
from wijkwerk_tui.store import drafts, residents

NAME = "Wilhelmina Zonderland"


def _raw(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def _assert_unreadable(path: Path) -> None:
    data = _raw(path)
    assert data, f"{path.name} is empty"
    assert not data.startswith(b"SQLite format 3")
    for needle in (b"Zonderland", b"Wilhelmina", "Zonderland".encode("utf-16-le"), b"draft-secret"):
        assert needle not in data, f"{needle!r} readable in {path.name}"


def test_database_wal_drafts_and_backup_are_encrypted(setup_db) -> None:
    session, _code, path = setup_db
    db = session.db
    residents.add_resident(db, session.worker_id, PersonalData("Wilhelmina", "", "Zonderland", 1944), None, True)
    drafts.save(db, session.worker_id, "intake", {"name": "draft-secret Zonderland"})
    wal = Path(f"{path}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the data is in the WAL now, not yet in the file
    _assert_unreadable(wal)
    made = backup.make_backup(db, session.worker_id)
    _assert_unreadable(made)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    _assert_unreadable(path)
    assert b"Zonderland" not in keyfile_path(path).read_bytes()
    for file in (path, wal, keyfile_path(path), made):
        assert oct(file.stat().st_mode)[-3:] == "600", file.name
    for file in (path, made):
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(file).execute("SELECT count(*) FROM sqlite_master").fetchall()


def test_any_active_account_opens_a_deactivated_one_does_not(setup_db, clock) -> None:
    session, _code, path = setup_db
    other = vault.add_account(session, "Piet de Boer", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    session.db.close()
    for name, passphrase in (("piet de boer", "groene-piet-op-de-fiets"), ("Sanne Kuiper", PASS)):
        opened = vault.login(path, name, passphrase, clock)
        assert residents.count_residents(opened.db) == 0
    made = backup.make_backup(opened.db, opened.worker_id)
    vault.set_active(opened, other.id, False)
    opened.db.close()
    # The backup opens with the key behind any active account's slot, and with no other key.
    from wijkwerk_tui.security.keyfile import KeyFile

    keyfile = KeyFile.load(keyfile_path(path))
    assert keyfile.find_by_name("Piet de Boer") is None
    key = keyfile.find_by_name("Sanne Kuiper").open(PASS)
    assert backup.is_good(made, key) and not backup.is_good(made, bytes(32))
    with pytest.raises(vault.LoginError):
        vault.login(path, "Piet de Boer", "groene-piet-op-de-fiets", clock)
    assert "Piet de Boer" not in keyfile_path(path).read_text()


def test_backup_restores_and_a_damaged_database_offers_it(setup_db, clock) -> None:
    session, _code, path = setup_db
    residents.add_resident(
        session.db, session.worker_id, PersonalData("Wilhelmina", "", "Zonderland", 1944), None, True
    )
    made = backup.make_backup(session.db, session.worker_id)
    session.db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\x00" * 4096  # a damaged page
    data[0:16] = b"\xff" * 16  # and a damaged salt: nothing decrypts
    path.write_bytes(bytes(data))
    with pytest.raises(vault.DamagedDatabase) as raised:
        vault.login(path, "Sanne Kuiper", PASS, clock)
    assert raised.value.backup_path == made
    backup.restore(made, path, _key_of(path))
    opened = vault.login(path, "Sanne Kuiper", PASS, clock)
    assert residents.count_residents(opened.db) == 1
    opened.db.close()


def _key_of(path: Path) -> bytes:
    from wijkwerk_tui.security.keyfile import KeyFile

    keyfile = KeyFile.load(keyfile_path(path))
    key = keyfile.find_by_name("Sanne Kuiper").open(PASS)
    assert key is not None
    return key


def test_daily_backup_once_a_day_keeping_the_restore_points(setup_db, clock) -> None:
    session, _code, path = setup_db
    assert backup.daily_backup(session.db) is not None
    assert backup.daily_backup(session.db) is None  # same day
    made = [clock.now]
    for _ in range(60):
        clock.advance(days=1)
        backup.daily_backup(session.db)
        made.append(clock.now)
    kept = backup.list_backups(path)
    assert len(kept) == len(to_keep([m.astimezone(LOCAL_ZONE).replace(tzinfo=None) for m in made]))
    assert all(backup.is_good(b, session.db.key) for b in kept[:2])


def test_encrypted_engine_serves_many_threads(setup_db) -> None:
    """Textual runs store calls in worker threads; the encrypted engine must not drop connections
    (SQLAlchemy's in-memory pool would, after five threads)."""
    from concurrent.futures import ThreadPoolExecutor

    session, _code, _path = setup_db
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: residents.count_residents(session.db), range(40)))
    assert counts == [0] * 40
    assert type(session.db.engine.pool).__name__ == "QueuePool"


def test_hardening_08_a_key_file_of_another_database_is_named(tmp_path: Path, clock) -> None:
    """The key file next to the database belongs to another database: say that, not "damaged"."""
    here, there = tmp_path / "hier" / "wijkwerk.db", tmp_path / "daar" / "wijkwerk.db"
    for path in (here, there):
        session, _code = vault.setup(path, "Welzijn", ["Ruinen"], "Sanne Kuiper", PASS, PASS, clock)
        session.db.close()
    mine = here.with_name("wijkwerk.db.keys")
    mine.write_bytes(there.with_name("wijkwerk.db.keys").read_bytes())
    with pytest.raises(vault.LoginError) as refused:
        vault.login(here, "Sanne Kuiper", PASS, clock)
    assert not isinstance(refused.value, vault.DamagedDatabase)
    assert "andere database" in refused.value.message and "beschadigd" not in refused.value.message


def test_a_restored_backup_still_matches_its_key_file(setup_db, clock) -> None:
    session, _code, path = setup_db
    made = backup.make_backup(session.db, session.worker_id)
    session.db.close()
    vault.restore(path, made, "Sanne Kuiper", PASS, clock).db.close()
    vault.login(path, "Sanne Kuiper", PASS, clock).db.close()
