"""Revocation that holds (security.rekey): once an account lost its slot, the database and its
backups get a new key, so an old copy of the key file (his slot still in it) opens nothing; a
kill at any step loses nothing, and the file is never swapped under a program that has it open.
Across laptops with a real hub, and kill -9 at random moments: tests/hub/test_rekey_kill.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from tests.conftest import PASS, FakeClock
from tests.test_cli import _run
from wijkwerk_tui.db import open_lock
from wijkwerk_tui.db.engine import DatabaseError, open_database
from wijkwerk_tui.domain.accounts import WORKER
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import rekey, vault
from wijkwerk_tui.security.keyfile import RECOVERY_SLOT, KeyFile, Slot, keyfile_path
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.store import residents, workers

COORDINATOR = "Sanne Kuiper"
PIET, PIET_PASS = "Piet de Boer", "groene-piet-op-de-fiets"
KEES, KEES_PASS = "Kees Rood", "rode-kees-op-de-brommer"


def _replaced(path: Path) -> Path:
    return path.with_name(f"{path.name}.voor-herstel-20261201-101010")


def _old_key(keys: Path, name: str, passphrase: str) -> bytes:
    """What a switched-off worker gets from the copy of the key file he kept."""
    slot = KeyFile.load(keys).find_by_name(name)
    assert slot is not None
    opened = slot.open(passphrase)
    assert opened is not None
    return opened


def _opens_with(path: Path, key: bytes) -> bool:
    try:
        open_database(path, key=key).close()
    except DatabaseError:
        return False
    return True


def _content(session: Unlocked) -> list[str]:
    with session.db.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT family_name FROM resident ORDER BY family_name").fetchall()
    return [str(r[0]) for r in rows]


def _piet_switched_off(setup_db: tuple) -> tuple[Unlocked, Path, Path, Path]:
    """Piet's account, a resident, a backup, the copy of the key file Piet kept, and Piet
    switched off: the key is due."""
    session, _code, path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    for last in ("Zonderland", "Bakker"):
        residents.add_resident(session.db, session.worker_id, PersonalData("Wil", "", last, 1944), None, True)
    made = backup.make_backup(session.db, session.worker_id)
    shutil.copyfile(made, _replaced(path))  # (as a restore leaves the file it replaced)
    kept = path.parent / "piet-kept.keys"
    shutil.copyfile(keyfile_path(path), kept)
    piet = workers.find_by_name(session.db, PIET)
    assert piet is not None
    vault.set_active(session, piet.id, False)
    assert rekey.due(path)
    return session, path, made, kept


def test_a_switched_off_worker_with_an_old_key_file_opens_nothing_after_the_close(setup_db, clock) -> None:
    session, path, made, kept = _piet_switched_off(setup_db)
    old = _old_key(kept, PIET, PIET_PASS)
    assert _opens_with(made, old)  # (before: his copy opens the backup, and the database)
    said = vault.close(session)
    assert "nieuwe sleutel" in said and "herstelcode" in said
    assert not rekey.due(path)
    assert not _opens_with(path, old)
    assert not backup.is_good(made, old)
    assert not backup.is_good(_replaced(path), old)
    assert not KeyFile.load(keyfile_path(made)).find_by_name(PIET)  # (the backup's key file is the new one)
    again = vault.login(path, COORDINATOR, PASS, clock)
    try:
        assert _content(again) == ["Bakker", "Zonderland"]  # nothing lost
        assert backup.is_good(made, again.db.key) and backup.is_good(_replaced(path), again.db.key)
        assert again.keyfile is not None and again.keyfile.slot(RECOVERY_SLOT) is None  # (void: see the module)
    finally:
        again.db.close()
    assert not list(path.parent.glob("*.rekey*"))


def test_no_new_key_while_another_program_has_the_file_open(setup_db, clock) -> None:
    session, path, _made, kept = _piet_switched_off(setup_db)
    other = vault.login(path, COORDINATOR, PASS, clock)  # (a second window: the key was due, but not alone)
    try:
        assert "zodra Wijkwerk nergens anders" in vault.close(session)
        assert rekey.due(path)
        assert _opens_with(path, _old_key(kept, PIET, PIET_PASS))
        assert other.keyfile is not None and other.db.key == _old_key(keyfile_path(path), COORDINATOR, PASS)
    finally:
        other.db.close()
    # The next login, with nobody else in, gives it.
    third = vault.login(path, COORDINATOR, PASS, clock)
    third.db.close()
    assert not rekey.due(path)
    assert not _opens_with(path, _old_key(kept, PIET, PIET_PASS))


class Killed(BaseException):
    """A kill -9 stands in: nothing after it runs, no clean-up either."""


STEPS = ["copies", "noted", "swapped", "slots", "backups"]


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_each_step_is_finished_or_undone_at_the_next_login(
    setup_db, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    session, path, made, kept = _piet_switched_off(setup_db)
    key = session.db.key
    assert key is not None
    session.db.close()
    _kill_after(monkeypatch, step)
    with pytest.raises(Killed):
        rekey.rekey(path, key)
    monkeypatch.undo()
    with open_lock.shared(path):  # (as every opening does first)
        rekey.settle(path)
    assert not list(path.parent.glob("*.rekey*"))
    assert KeyFile.load(keyfile_path(path)).rekey_next == {}
    undone = step in ("copies", "noted")  # (before the copy took the file's place)
    assert _opens_with(path, key) == undone
    assert rekey.due(path) == undone
    # Whatever was on disk then: the coordinator logs in, nothing is lost, no copy stays behind,
    # and every backup opens with the key the database has.
    again = vault.login(path, COORDINATOR, PASS, clock)
    try:
        assert _content(again) == ["Bakker", "Zonderland"]
        assert backup.is_good(made, again.db.key)
        assert not list(path.parent.glob("*.rekey*"))
        assert not _opens_with(path, _old_key(kept, PIET, PIET_PASS))  # (the login finished what was due)
    finally:
        again.db.close()


def _kill_after(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    def die(*_args: object, **_kwargs: object) -> None:
        raise Killed

    if step == "copies":
        real_copies = rekey._copies
        monkeypatch.setattr(rekey, "_copies", lambda *a: (real_copies(*a), die())[0])
    elif step == "noted":
        monkeypatch.setattr(rekey, "_swap", die)
    elif step == "swapped":
        real_swap = rekey._swap
        monkeypatch.setattr(rekey, "_swap", lambda p: (real_swap(p), die()))
    elif step == "slots":
        real_take = rekey._take_new_slots
        monkeypatch.setattr(rekey, "_take_new_slots", lambda k: (real_take(k), die()))
    else:
        real_copy_keys = backup.copy_keys
        monkeypatch.setattr(backup, "copy_keys", lambda s, t: (real_copy_keys(s, t), die()))


@pytest.mark.parametrize("where", ["room", "sqlite", "swap"])
def test_a_full_disk_keeps_the_old_key_and_it_stays_due(
    setup_db, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Checked before anything is written (room); and a disk that fills while the copies are
    written, as SQLite says it (not an OSError) or as the rename does."""
    session, path, _made, _kept = _piet_switched_off(setup_db)
    key = session.db.key
    assert key is not None
    session.db.close()

    def full(*_args: object) -> None:
        if where == "sqlite":
            from sqlcipher3 import dbapi2

            raise dbapi2.OperationalError("database or disk is full")
        raise OSError(28, "No space left on device")

    if where == "room":
        monkeypatch.setattr(rekey.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9, 1000))
    monkeypatch.setattr(rekey, "_copies" if where == "sqlite" else "_swap", full) if where != "room" else None
    with pytest.raises(rekey.RekeyFailed) as failed:
        rekey.rekey(path, key)
    assert "schijf vol" in failed.value.message
    assert rekey.due(path)
    assert not list(path.parent.glob("*.rekey*"))
    assert _opens_with(path, key)
    monkeypatch.undo()  # room again: the next login gives it
    again = vault.login(path, COORDINATOR, PASS, clock)
    assert again.notice.startswith("De database heeft een nieuwe sleutel")
    again.db.close()
    assert not rekey.due(path)


def _here_only(path: Path, name: str, passphrase: str, key: bytes) -> None:
    """A passphrase for this laptop only (as after a recovery code once the key is pinned)."""
    keys = KeyFile.load(keyfile_path(path))
    slot = keys.find_by_name(name)
    assert slot is not None
    keys.put(Slot.seal(slot.slot_id, name, passphrase, key))
    keys.save()


def test_a_passphrase_for_here_only_holds_the_new_key_up_until_he_types_it(setup_db, clock) -> None:
    session, path, _made, kept = _piet_switched_off(setup_db)
    vault.add_account(session, KEES, WORKER, KEES_PASS, KEES_PASS)
    key = session.db.key
    assert key is not None
    _here_only(path, KEES, KEES_PASS, key)
    said = vault.close(session)  # (the app closing: nobody's passphrase at hand)
    assert "nog geen nieuwe sleutel" in said and KEES in said
    assert rekey.due(path) and _opens_with(path, key)  # nothing given, nobody locked out
    sanne = vault.login(path, COORDINATOR, PASS, clock)
    assert "nog geen nieuwe sleutel" in sanne.notice  # (a login tells it too)
    sanne.db.close()
    kees = vault.login(path, KEES, KEES_PASS, clock)  # his passphrase at hand: carried, given
    assert "nieuwe sleutel" in kees.notice and kees.db.key != key
    kees.db.close()
    assert not rekey.due(path)
    assert not _opens_with(path, _old_key(kept, PIET, PIET_PASS))
    for name, passphrase in ((COORDINATOR, PASS), (KEES, KEES_PASS)):
        vault.login(path, name, passphrase, clock).db.close()


def test_a_salt_changed_by_hand_does_not_hold_the_new_key_up(setup_db, clock) -> None:
    session, path, _made, kept = _piet_switched_off(setup_db)
    keys = KeyFile.load(keyfile_path(path))
    with keys.locked():
        keys = KeyFile.load(keys.path)
        keys.database_salt = "00" * 16  # (Piet, before he was switched off)
        keys.write_as_is()
    assert "nieuwe sleutel" in vault.close(session)
    assert not _opens_with(path, _old_key(kept, PIET, PIET_PASS))
    vault.login(path, COORDINATOR, PASS, clock).db.close()


def test_a_program_that_read_the_key_file_before_the_new_key_cannot_write_the_old_back(setup_db, clock) -> None:
    session, path, _made, kept = _piet_switched_off(setup_db)
    before = KeyFile.load(keyfile_path(path))  # (a program that loaded it, and puts a slot later)
    old = session.db.key
    assert old is not None
    mine = before.find_by_name(COORDINATOR)
    assert mine is not None
    vault.close(session)
    before.note_failure("?", clock())
    before.put(Slot.seal(mine.slot_id, COORDINATOR, PASS, old))  # (under the old key)
    before.save()
    assert not _opens_with(path, _old_key(kept, PIET, PIET_PASS))
    assert KeyFile.load(keyfile_path(path)).find_by_name(PIET) is None
    vault.login(path, COORDINATOR, PASS, clock).db.close()


def test_leftovers_of_a_killed_backup_go_with_the_old_key(setup_db, clock) -> None:
    session, _path, made, _kept = _piet_switched_off(setup_db)
    leftover = made.with_suffix(".partial")
    shutil.copyfile(made, leftover)  # (a backup being written when the power went)
    vault.close(session)
    assert not leftover.exists()


def test_a_backup_made_while_the_key_changed_is_not_kept(setup_db, monkeypatch: pytest.MonkeyPatch) -> None:
    session, _code, path = setup_db
    salts = iter([b"a" * 16, b"b" * 16])
    monkeypatch.setattr(backup, "_first_bytes", lambda _p: next(salts))
    with pytest.raises(backup.BackupRefused, match="nieuwe sleutel"):
        backup.make_backup(session.db, session.worker_id)
    assert backup.list_backups(path) == []


def test_after_the_new_key_a_coordinator_makes_a_new_recovery_code_a_worker_cannot(setup_db, clock) -> None:
    session, path, _made, _kept = _piet_switched_off(setup_db)
    vault.add_account(session, "Kees Rood", WORKER, PIET_PASS + "-kees", PIET_PASS + "-kees")
    vault.close(session)
    refused = _run("--db", str(path), "recovery-code", user="Kees Rood", passphrase=PIET_PASS + "-kees")
    assert refused.returncode == 1 and "Alleen een coördinator" in refused.stderr
    made = _run("--db", str(path), "recovery-code")
    assert made.returncode == 0, made.stderr
    code = made.stdout.split("herstelcode van deze laptop: ")[1].split()[0]
    back = vault.recover(
        path, code, COORDINATOR, "een-nieuw-lang-wachtwoord-voor-sanne", "een-nieuw-lang-wachtwoord-voor-sanne", clock
    )
    back.db.close()


def test_the_app_gives_the_new_key_once_it_has_closed(setup_db, capsys: pytest.CaptureFixture[str]) -> None:
    from wijkwerk_tui.cli import after_the_app
    from wijkwerk_tui.ui.app import WijkwerkApp

    session, path, made, kept = _piet_switched_off(setup_db)
    after_the_app(WijkwerkApp(session), path)  # (as `wijkwerk` does once app.run() returned)
    assert "nieuwe sleutel" in capsys.readouterr().err
    assert not _opens_with(path, _old_key(kept, PIET, PIET_PASS))
    assert not backup.is_good(made, _old_key(kept, PIET, PIET_PASS))


def test_by_the_coordinators_choice_the_old_backups_are_removed_instead(setup_db, clock) -> None:
    from wijkwerk_tui.store import settings

    session, path, made, kept = _piet_switched_off(setup_db)
    settings.save_organisation_settings(
        session.db,
        session.worker_id,
        organisation="Welzijn De Wolden",
        lock_minutes=5,
        retention_years=7,
        remove_backups=True,
    )
    assert "nieuwe sleutel" in vault.close(session)
    assert not made.exists() and not keyfile_path(made).exists() and not backup.manifest_path(made).exists()
    assert not _replaced(path).exists()
    assert not _opens_with(path, _old_key(kept, PIET, PIET_PASS))
    again = vault.login(path, COORDINATOR, PASS, clock)
    again.db.close()


def _from_before_key_pairs(session: Unlocked, path: Path, name: str, passphrase: str) -> None:
    """An account as made before key pairs: no pair in its row, a passphrase slot here."""
    from wijkwerk_tui.db.tables import Worker

    key = session.db.key
    assert key is not None
    with session.db.transaction() as s:
        row = s.exec(select(Worker).where(Worker.name == name)).one()
        row.public_key, row.wrapped_key = "", ""
        s.add(row)
    _here_only(path, name, passphrase, key)


def test_two_accounts_from_before_key_pairs_do_not_hold_the_new_key_up_for_good(setup_db, clock) -> None:
    """Each gets a key pair at his login (nothing pinned here): the next login or close gives it."""
    session, path, _made, kept = _piet_switched_off(setup_db)
    vault.add_account(session, KEES, WORKER, KEES_PASS, KEES_PASS)
    for name, passphrase in ((KEES, KEES_PASS), (COORDINATOR, PASS)):
        _from_before_key_pairs(session, path, name, passphrase)
    assert "nog geen nieuwe sleutel" in vault.close(session)
    kees = vault.login(path, KEES, KEES_PASS, clock)  # his pair now; the key still waits for Sanne
    assert "nog geen nieuwe sleutel" in kees.notice
    kees.db.close()
    sanne = vault.login(path, COORDINATOR, PASS, clock)  # hers is carried (typed), Kees's sealed
    assert sanne.notice.startswith("De database heeft een nieuwe sleutel")
    sanne.db.close()
    assert not _opens_with(path, _old_key(kept, PIET, PIET_PASS))
    for name, passphrase in ((COORDINATOR, PASS), (KEES, KEES_PASS)):
        vault.login(path, name, passphrase, clock).db.close()
