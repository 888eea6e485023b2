"""Finding 14: an erasure holds across copies. The ids of erased residents (ids only) are kept
beside the database, outside what a restore puts back, and applied again after a restore or
when an older copy is opened; files replaced by a restore are pruned like backups; and the
WAL is folded back until it is empty, or the coordinator hears that it is not."""

from __future__ import annotations

import shutil

from sqlalchemy import text

from tests.conftest import PASS
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import vault
from wijkwerk_tui.services import privacy
from wijkwerk_tui.store import residents

NAME = "Zonderland"


def _erased_actions(session: vault.Unlocked) -> list[str]:
    with session.db.reading() as s:
        return [a for (a,) in s.execute(text("SELECT action FROM auditevent WHERE action LIKE 'resident.erase%'"))]


def test_hardening_14_an_erasure_survives_restoring_an_older_backup(setup_db, clock) -> None:
    session, _code, path = setup_db
    wilma = residents.add_resident(session.db, session.worker_id, PersonalData("Wilma", "", NAME, 1944), None, True)
    older = backup.make_backup(session.db, session.worker_id)  # Wilma still in it
    privacy.erase_resident(session.db, session.worker_id, wilma.id)
    session.db.close()
    restored = vault.restore(path, older, "Sanne Kuiper", PASS, clock)
    try:
        back = residents.get_resident(restored.db, restored.worker_id, wilma.id, audited=False)
        assert back.family_name == "" and back.anonymised_at is not None
        assert "resident.erase.reapplied" in _erased_actions(restored)
    finally:
        restored.db.close()


def test_hardening_14_an_older_copy_put_in_place_by_hand_is_erased_again_at_login(setup_db, clock, tmp_path) -> None:
    session, _code, path = setup_db
    wilma = residents.add_resident(session.db, session.worker_id, PersonalData("Wilma", "", NAME, 1944), None, True)
    session.db.close()
    copy = tmp_path / "kopie.db"
    shutil.copyfile(path, copy)
    again = vault.login(path, "Sanne Kuiper", PASS, clock)
    privacy.erase_resident(again.db, again.worker_id, wilma.id)
    again.db.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(copy, path)  # an old copy of the file, not through restore
    opened = vault.login(path, "Sanne Kuiper", PASS, clock)
    try:
        assert residents.get_resident(opened.db, opened.worker_id, wilma.id, audited=False).family_name == ""
    finally:
        opened.db.close()


def test_hardening_14_files_replaced_by_a_restore_are_pruned_like_backups(setup_db, clock) -> None:
    session, _code, path = setup_db
    made = backup.make_backup(session.db, session.worker_id)
    session.db.close()
    for n in range(backup.KEEP_REPLACED + 5):  # left from earlier restores
        path.with_name(f"{path.name}.voor-herstel-20250101-0000{n:02d}").write_bytes(b"oud")
    vault.restore(path, made, "Sanne Kuiper", PASS, clock).db.close()
    kept = [p for p in path.parent.glob(f"{path.name}.voor-herstel-*") if not p.name.endswith(".keys")]
    assert len(kept) == backup.KEEP_REPLACED
    # each kept file keeps its key file; none is left for a file pruned away
    keys = {p.name.removesuffix(".keys") for p in path.parent.glob(f"{path.name}.voor-herstel-*.keys")}
    assert keys <= {p.name for p in kept} and keys


def test_hardening_14_a_reader_holding_the_wal_is_reported(db) -> None:
    from wijkwerk_tui.db.engine import plain_connect
    from wijkwerk_tui.store import workers

    boss = workers.add_worker(db, None, "Anke", "coordinator")
    wilma = residents.add_resident(db, boss.id, PersonalData("Wilma", "", NAME, 1944), None, True)
    reader = plain_connect(db.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM resident").fetchone()  # holds a snapshot: the WAL cannot be emptied
    try:
        assert privacy.erase_resident(db, boss.id, wilma.id) is False
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert privacy.fold_back(db) is True
    wal = db.path.with_name(db.path.name + "-wal")
    assert not wal.exists() or NAME.encode() not in wal.read_bytes()


def test_erasure_fold_never_holds_back_a_save_while_a_reader_keeps_the_wal(db) -> None:
    # Each try at emptying the WAL waited SQLite's whole busy timeout (5 s) on the reader while
    # holding back every writer: twenty tries, a save failing after 5 s, for 100 s.
    import threading

    from wijkwerk_tui.db.engine import plain_connect

    residents.add_resident(db, None, PersonalData("Wilma", "", NAME, 1944), None, True)
    reader = plain_connect(db.path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM resident").fetchone()  # holds a snapshot: the WAL cannot be emptied
    folded: list[bool] = []
    folding = threading.Thread(target=lambda: folded.append(privacy.fold_back(db)))
    writer = plain_connect(db.path)
    writer.execute("PRAGMA busy_timeout = 1000")
    try:
        folding.start()
        saves = 0
        while folding.is_alive() or saves == 0:
            writer.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('probe', ?)", (str(saves),))
            writer.commit()  # (OperationalError "database is locked" when the fold holds writers back)
            saves += 1
            # A save as fast as a loop can go starved the fold's own write turn (once in CI, on two
            # busy cores); a worker saves far less often: one each few ms, until the fold ends.
            folding.join(timeout=0.005)
        folding.join()
    finally:
        reader.execute("COMMIT")
        reader.close()
        writer.close()
    assert folded == [False]  # (told, not waited out)
    assert privacy.fold_back(db) is True
