"""A new database key once an account lost its slot here, so that an old copy of the key
file (which still has his slot) opens nothing any more.

Removing a slot (security.slots, a switch-off here) marks the key file `rekey_due`. At the next
chance nobody else has the file open (db.open_lock: after `wijkwerk sync`, at a login, when the
app closes) the database and its backups are copied under a new random key with SQLite's backup
API, and the copy takes the file's place in one rename. The steps, each one safe to be killed in:

1. the copies: `<file>.rekey` and `<backup>.rekey`, each checked (quick_check) and synced;
2. the key file notes the step (`rekey_next`: the new slots, the copy's salt, the backups);
3. the copy takes the database's place (os.replace): from here the new key holds;
4. the key file takes the new slots and forgets the step; the backups' copies take their place,
   each with the new key file beside it.

`settle` runs before every opening: the database file's salt (its first 16 bytes, readable
without a key) tells whether step 3 happened, so an interrupted new key is finished or undone,
and copies left by a kill are removed. Nothing is lost: every change was in the file copied.

The new slots: every active account whose sealed slot opens with his own key pair (and, once
the organisation's key is pinned, whose row is as signed) gets the new key sealed to it; the
worker who typed his passphrase for this keeps his own slot. A passphrase slot of someone else
(made here only) cannot be carried without his passphrase: he logs in with the passphrase his
key pair has, or a coordinator resets it. The recovery code is void afterwards: a coordinator
makes a new one (`wijkwerk recovery-code`), since a key to seal it to could have been planted
in the file by the very worker switched off.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from wijkwerk_tui.crypto import worker_key
from wijkwerk_tui.db import open_lock
from wijkwerk_tui.db.engine import Database, cipher_connect, open_database
from wijkwerk_tui.domain.clock import Clock, system_clock
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security.gate import database_salt
from wijkwerk_tui.security.keyfile import RECOVERY_SLOT, KeyFile, KeyFileError, Slot, keyfile_path, new_database_key
from wijkwerk_tui.store import audit, settings, trust, workers

COPY = ".rekey"  # the copy under the new key, beside the file it will replace
REPLACED = re.compile(r"\.voor-herstel-\d{8}-\d{6}$")  # a file a restore replaced (ops.backup.restore)
RECOVERY_VOID = (
    "De herstelcode van deze laptop geldt niet meer (de database heeft een nieuwe sleutel). "
    "Een coördinator maakt een nieuwe met: wijkwerk recovery-code"
)


class RekeyFailed(DomainError):
    """The new key was not given (the disk full, a damaged file); the old key holds, nothing
    changed. Message is Dutch."""


@dataclass(frozen=True)
class Rekeyed:
    key: bytes  # the database's key now
    recovery_void: bool


def due(db_path: Path) -> bool:
    try:
        return bool(KeyFile.load(keyfile_path(db_path)).rekey_due)
    except KeyFileError:
        return False


# -- after a kill ------------------------------------------------------------------------------
def settle(db_path: Path) -> None:
    """Finish or undo a new key a kill interrupted. The caller holds the file's open lock
    (db.open_lock), so no new key is being given meanwhile."""
    keys = keyfile_path(db_path)
    if not keys.exists():
        return
    try:
        keyfile = KeyFile.load(keys)
        with keyfile.locked():
            keyfile = KeyFile.load(keys)
            _settle(db_path, keyfile)
    except KeyFileError:
        return  # (the login says what is wrong with it)


def _settle(db_path: Path, keyfile: KeyFile) -> None:
    step = keyfile.rekey_next
    if "salt" in step:
        if database_salt(db_path) == step["salt"]:
            _take_new_slots(keyfile)  # the copy is in place: the new key holds
        else:
            keyfile.rekey_next = {}  # it is not: the old key holds, and stays due
            keyfile.write_as_is()
    _finish_backups(db_path, keyfile)
    _remove_copies(db_path)


def _take_new_slots(keyfile: KeyFile) -> None:
    step = keyfile.rekey_next
    raw = step.get("slots")
    keyfile.slots = [Slot(**item) for item in raw] if isinstance(raw, list) else []
    keyfile.previous_salt, keyfile.database_salt = keyfile.database_salt, str(step["salt"])
    keyfile.rekey_due = ""
    keyfile.failures = {}
    keyfile.rekey_next = {"backups": step.get("backups", []), "remove": step.get("remove", [])}
    keyfile.write_as_is()


def _finish_backups(db_path: Path, keyfile: KeyFile) -> None:
    """Step 4 for the backups: each copy takes its place, with the new key file beside it."""
    names = keyfile.rekey_next.get("backups")
    if "salt" in keyfile.rekey_next or not isinstance(names, list):
        return
    for name in names:
        target = db_path.parent / str(name)
        copy = Path(f"{target}{COPY}")
        if copy.exists():
            os.replace(copy, target)
        if target.exists():
            backup.copy_keys(keyfile.path, keyfile_path(target))
    removed = keyfile.rekey_next.get("remove")
    for name in removed if isinstance(removed, list) else []:  # (the coordinators' choice)
        backup.remove(db_path.parent / str(name))
    keyfile.rekey_next = {}
    keyfile.write_as_is()


def _remove_copies(db_path: Path) -> None:
    """Copies a kill left before step 3 (none is wanted once the step is settled)."""
    for old in [db_path, *_old_files(db_path)]:
        for side in ("", "-journal", "-wal", "-shm"):  # (SQLite's own files of the copy, too)
            Path(f"{old}{COPY}{side}").unlink(missing_ok=True)


def _old_files(db_path: Path) -> list[Path]:
    """The backups and the files replaced by restores: copies under the database's key."""
    replaced = sorted(db_path.parent.glob(f"{db_path.name}.voor-herstel-*"))
    files = backup.list_backups(db_path) + [p for p in replaced if REPLACED.search(p.name)]
    return [p for p in files if p.is_file()]


# -- the new key -------------------------------------------------------------------------------
def rekey(db_path: Path, key: bytes, own: tuple[str, str] | None = None, clock: Clock = system_clock) -> Rekeyed | None:
    """Give the (closed) database and its backups a new key, when one is due. None: not due,
    or someone else has the file open (it stays due: the next sync, login or exit tries again).
    `own`: the slot id and passphrase of the worker who typed it just now (his slot stays).
    RekeyWaits: an account's slot could not be carried (nobody is ever locked out by it);
    RekeyFailed: the disk is too full, or a copy failed its check (the old key holds)."""
    try:
        held = open_lock.alone(db_path)
    except open_lock.InUse:
        return None
    with held:
        settle(db_path)
        keyfile = KeyFile.load(keyfile_path(db_path))
        if not keyfile.rekey_due:
            return None
        # (`key` opened the file: whatever salt the key file names, it is this file's key. A
        # salt changed by hand must not hold the new key up.)
        _remove_partials(db_path)
        new = new_database_key()
        db = open_database(db_path, clock, key, held=held)
        try:
            made, waiting = _slots_for(db, keyfile, new, own)
            if waiting or not made:
                raise RekeyWaits(_waits(waiting))
            remove = settings.get(db, settings.REKEY_BACKUPS_KEY) == settings.REMOVE_BACKUPS
            _check_room(db_path, remove)
            audit.log(
                db, db.actor, "database.rekey", detail=f"{len(made)} sleutels" + (", back-ups weg" if remove else "")
            )
        finally:
            db.close()
        try:
            rekeyed, gone = _copies(db_path, key, new, remove)
            with keyfile.locked():
                keyfile = KeyFile.load(keyfile.path)
                keyfile.rekey_next = {
                    "salt": database_salt(Path(f"{db_path}{COPY}")),
                    "slots": [slot.__dict__ for slot in made],
                    "backups": [str(p.relative_to(db_path.parent)) for p in rekeyed],
                    "remove": [str(p.relative_to(db_path.parent)) for p in gone],
                }
                keyfile.write_as_is()
            _swap(db_path)
        except Exception as error:  # (OSError, and SQLite's own errors, a full disk: unrelated classes)
            settle(db_path)  # (undone: the copies go)
            raise RekeyFailed(FAILED) from error
        settle(db_path)
    return Rekeyed(new, recovery_void=keyfile.slot(RECOVERY_SLOT) is not None)


FAILED = (
    "De database kon geen nieuwe sleutel krijgen (is de schijf vol?). De oude sleutel blijft gelden; er is "
    "niets verloren. Het wordt bij de volgende synchronisatie, aanmelding of afsluiting opnieuw geprobeerd."
)
ROOM = 64 * 1024 * 1024  # left free after the copies


def _check_room(db_path: Path, remove: bool) -> None:
    """The copies need as much room as the files they copy: refused before anything is written."""
    need = sum(p.stat().st_size for p in [db_path, *([] if remove else _old_files(db_path))] if p.exists())
    wal = Path(f"{db_path}-wal")
    need += wal.stat().st_size if wal.exists() else 0
    if shutil.disk_usage(db_path.parent).free < need + ROOM:
        raise RekeyFailed(FAILED)


def _remove_partials(db_path: Path) -> None:
    """What a kill left of a backup or a restore being written (under the old key): nobody is
    writing one now (the lock), and none of it is ever used."""
    for leftover in [*backup.backup_dir(db_path).glob("*.partial"), db_path.with_name(db_path.name + ".partial")]:
        leftover.unlink(missing_ok=True)


class RekeyWaits(DomainError):
    """The new key waits: an account's slot could not be carried. Message is Dutch."""


def _waits(names: list[str]) -> str:
    if not names:
        return "De database krijgt nog geen nieuwe sleutel: geen enkel account zou haar dan nog openen."
    return (
        "De database krijgt nog geen nieuwe sleutel: het wachtwoord van "
        + ", ".join(names)
        + " geldt alleen op deze laptop en kan niet mee zonder dat wachtwoord. Het gebeurt zodra "
        "zij zich hier aanmelden, of een coördinator hun wachtwoord opnieuw instelt. Tot dan opent een "
        "oude kopie van het sleutelbestand de database nog."
    )


def _slots_for(db: Database, keyfile: KeyFile, new: bytes, own: tuple[str, str] | None) -> tuple[list[Slot], list[str]]:
    """The new key's slots, and the names of accounts whose slot cannot be carried. A slot of an
    account this laptop does not honour (a row not as signed: its login is refused anyway) is
    left behind, so that one planted by hand cannot hold the new key up."""
    public = workers.pinned_key(db)
    made: list[Slot] = []
    waiting: list[str] = []
    for worker in workers.every_account(db):
        slot = keyfile.slot(str(worker.id))
        if slot is None or not worker.active or worker.deleted_at is not None or not trust.trusted(worker, public):
            continue
        if own is not None and own[0] == str(worker.id) and not slot.is_sealed:
            mine = Slot.seal(slot.slot_id, slot.name, own[1], new)  # he just typed it
            mine.basis = slot.basis
            made.append(mine)
        elif slot.is_sealed and _own_pair(slot, worker.public_key, worker.name):
            made.append(Slot.seal_to(slot.slot_id, slot.name, slot.private, worker.public_key, new))
        else:
            waiting.append(worker.name)
    return made, waiting


def _own_pair(slot: Slot, public: str, name: str) -> bool:
    return bool(public) and worker_key.copy_signed(slot.private, public, name)


def _copies(db_path: Path, key: bytes, new: bytes, remove: bool) -> tuple[list[Path], list[Path]]:
    """Step 1: the database, and each backup that opens with `key`, copied under `new`; or,
    when the coordinators chose so, those backups listed to be removed once the new key holds."""
    _copy(db_path, key, Path(f"{db_path}{COPY}"), new, checkpoint=True)
    done, gone = [], []
    for old in _old_files(db_path):
        if backup.is_good(old, key):  # (one under an older key, or damaged, stays as it is)
            if remove:
                gone.append(old)
            else:
                _copy(old, key, Path(f"{old}{COPY}"), new)
                done.append(old)
    return done, gone


def _copy(source: Path, key: bytes, target: Path, new: bytes, checkpoint: bool = False) -> None:
    target.unlink(missing_ok=True)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    origin = cipher_connect(source, key)
    try:
        if checkpoint:  # everything in the WAL goes into the file (and the copy)
            origin.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        copy = cipher_connect(target, new)
        try:
            origin.backup(copy)
            verdict = str(copy.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            copy.close()
    finally:
        origin.close()
    if verdict != "ok":
        raise OSError("copy failed its check")
    _sync_file(target)


def _swap(db_path: Path) -> None:
    """Step 3. Nobody has the file open (the lock), and the last connection's close emptied and
    removed its WAL: a WAL left with frames in it would be read into the new file, so none may be."""
    wal = Path(f"{db_path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise OSError("the WAL was not emptied")
    for side in (wal, Path(f"{db_path}-shm")):
        side.unlink(missing_ok=True)
    os.replace(f"{db_path}{COPY}", db_path)
    _sync_dir(db_path.parent)


def _sync_file(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_dir(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def said(done: Rekeyed | None, still_due: bool) -> str:
    """What the person who closed or opened the file is told (Dutch)."""
    if done is None:
        if not still_due:
            return ""
        return (
            "Een account is hier uitgeschakeld: de database krijgt een nieuwe sleutel zodra Wijkwerk nergens "
            "anders op deze laptop open is (bij de volgende synchronisatie, aanmelding of afsluiting)."
        )
    lines = ["De database heeft een nieuwe sleutel: een oude kopie van het sleutelbestand opent haar niet meer."]
    if done.recovery_void:
        lines.append(RECOVERY_VOID)
    return "\n".join(lines)


def attempt(db_path: Path, key: bytes, own: tuple[str, str] | None, clock: Clock = system_clock) -> tuple[bytes, str]:
    """`rekey` when due, never raising: the key the file has afterwards, and what to tell."""
    if not due(db_path):
        return key, ""
    try:
        done = rekey(db_path, key, own, clock)
    except (RekeyWaits, RekeyFailed) as held_up:
        return key, held_up.message
    return (done.key if done else key), said(done, due(db_path))
