"""Setting up, opening and unlocking the encrypted database, and managing accounts.

The one place where the key file, the passphrase hashes and the database meet:
screens and the command line call these functions and never touch keys themselves.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from wijkwerk_tui.crypto import envelope, kdf, org_key, worker_key
from wijkwerk_tui.crypto.org_key import OrgKey
from wijkwerk_tui.crypto.worker_key import WorkerKey
from wijkwerk_tui.db import open_lock
from wijkwerk_tui.db.engine import IN_USE, Database, DatabaseError, open_database
from wijkwerk_tui.db.faults import FULL, READ_ONLY, explain, kind
from wijkwerk_tui.db.open_lock import OpenLock
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain import sealed
from wijkwerk_tui.domain.accounts import COORDINATOR, check_passphrase, login_delay, require
from wijkwerk_tui.domain.clock import Clock, system_clock
from wijkwerk_tui.domain.errors import DomainError, ValidationError
from wijkwerk_tui.domain.text import clean_line
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import rekey, slots
from wijkwerk_tui.security.gate import database_salt, state
from wijkwerk_tui.security.keyfile import (
    RECOVERY_SLOT,
    KeyFile,
    KeyFileError,
    Slot,
    keyfile_path,
    new_database_key,
    new_recovery_code,
    normalise_recovery_code,
)
from wijkwerk_tui.services import privacy
from wijkwerk_tui.store import access, audit, settings, signals, trust, workers
from wijkwerk_tui.store import areas as area_store
from wijkwerk_tui.store.access import require_role
from wijkwerk_tui.store.trust import AccountKeys, OwnKey

UNKNOWN = "?"  # failures for names that have no account count here
UNSIGNED = (
    "Dit account is gewijzigd zonder de sleutel van de organisatie en wordt hier niet vertrouwd. "
    "Vraag een coördinator het account na te kijken (wijkwerk hub sign)."
)


class LoginError(DomainError):
    """Login refused; the message is Dutch and names no resident."""

    def __init__(self, message: str, wait_s: int = 0, field: str = "passphrase") -> None:
        super().__init__(message)
        self.wait_s = wait_s
        self.field = field


class DamagedDatabase(LoginError):
    """The key was right but the file is damaged; `backup` is the newest good one, if any."""

    def __init__(self, message: str, backup_path: Path | None) -> None:
        super().__init__(message)
        self.backup_path = backup_path


@dataclass
class Unlocked:
    """An open database and the worker who opened it."""

    db: Database
    worker_id: uuid.UUID
    worker_name: str
    role: str
    keyfile: KeyFile | None = None
    # The organisation's signing key, when this worker is a coordinator holding a copy that his
    # passphrase here opens (store.trust): needed to add or (de)activate accounts once pinned.
    org_key: OrgKey | None = None
    # Failed unlocks of the lock screen, per name: (count, last try).
    unlock_failures: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    notice: str = ""  # said once after the login (a new database key given or held up: security.rekey)
    # His own key pair's private halves, opened at his login: reads confidential signal text
    # sealed to him (`readable`). Never written anywhere.
    worker_key: WorkerKey | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.db.actor = self.worker_id  # the outbox says who made each change

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR

    def switch_to(self, worker: Worker) -> None:
        self.worker_id, self.worker_name, self.role = worker.id, worker.name, worker.role
        self.db.actor = worker.id
        self.org_key = None
        self.worker_key = None

    def account_keys(self, passphrase: str = "") -> AccountKeys:
        """What the store gets to sign an account change (and, with the passphrase being set,
        to hand the key to a coordinator)."""
        key = self.org_key
        if key is None:
            return AccountKeys()
        wrap_for = (lambda name, n: org_key.wrap(key, passphrase, name, n)) if passphrase else None
        return AccountKeys(wrap_for=wrap_for, signer=key)


def load_keyfile(db_path: Path) -> KeyFile:
    return load_keys(keyfile_path(db_path))


def load_keys(path: Path) -> KeyFile:
    try:
        keyfile = KeyFile.load(path)
    except KeyFileError as error:
        raise LoginError(str(error), field="") from error
    for (where, slot_id), moments in _unsaved_failures.items():
        if where == keyfile.path:
            for moment in moments:
                keyfile.note_failure(slot_id, moment)
    return keyfile


# -- first run ------------------------------------------------------------------------
def setup(
    db_path: Path,
    organisation: str,
    area_names: list[str],
    name: str,
    passphrase: str,
    repeat: str,
    clock: Clock = system_clock,
) -> tuple[Unlocked, str]:
    """Create the encrypted database, the first coordinator and the recovery code (returned once)."""
    if state(db_path) != "new":
        raise ValidationError("organisation", "Deze database is al ingericht.")
    organisation = clean_line(
        organisation, "organisation", max_len=120, required=True, what="de naam van de organisatie"
    )
    name = clean_line(name, "name", max_len=120, required=True, what="uw naam")
    cleaned = [clean_line(a, "areas", max_len=80) for a in area_names]
    cleaned = [a for a in dict.fromkeys(cleaned) if a]
    check_passphrase(passphrase, repeat, personal=(organisation, name, *cleaned))
    if not cleaned:
        raise ValidationError("areas", "Vul minstens één gebied in (wijk, dorp of kern).")
    key, code = new_database_key(), new_recovery_code()
    keyfile = KeyFile(keyfile_path(db_path))
    db = open_database(db_path, clock, key)
    own = slots.new_pair(passphrase, name)
    try:

        def seal(worker: Worker) -> None:
            keyfile.put(slots.slot_after(worker, passphrase, key, own))
            keyfile.put(Slot.seal(RECOVERY_SLOT, "", normalise_recovery_code(code), key))
            keyfile.belongs_to(database_salt(db_path))
            keyfile.save()

        worker = workers.add_worker(db, None, name, COORDINATOR, kdf.hash_passphrase(passphrase), then=seal, own=own)
        settings.set_value(db, "organisation", organisation)
        for area in cleaned:
            area_store.add_area(db, worker.id, area)
        audit.log(db, worker.id, "setup")
        audit.log(db, worker.id, "login")
        pair = _pair_of(db, worker.id, passphrase)
    except BaseException:
        db.close()
        for leftover in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), keyfile.path):
            leftover.unlink(missing_ok=True)
        raise
    return Unlocked(db, worker.id, worker.name, COORDINATOR, keyfile, worker_key=pair), code


# -- login --------------------------------------------------------------------------------
def wait_left(keyfile: KeyFile, slot_id: str, now: datetime) -> int:
    last = keyfile.last_failure(slot_id)
    if last is None:
        return 0
    # A failure "in the future" means the clock was set back (or another program's clock
    # wrote it): count it as just now, so the wait is never longer than the delay itself.
    waited = max(0.0, (now - last).total_seconds())
    return max(0, int(login_delay(keyfile.failure_count(slot_id)) - waited + 0.999))


def _refuse_if_waiting(
    keyfile: KeyFile, slot_id: str, now: datetime, what: str = "wachtwoord", *, persist: bool = True
) -> None:
    left = wait_left(keyfile, slot_id, now)
    if left:
        # Not counted as a failure (the passphrase was not looked at), but not forgotten either:
        # it enters the audit trail at the next login (unless the disk is full: then it is not).
        if persist:
            keyfile.note_refused(slot_id, now)
            with suppress(OSError):
                keyfile.save()
        wrong = "onjuiste herstelcode" if what == "herstelcode" else "onjuist wachtwoord"
        raise LoginError(f"Te vaak een {wrong}. Probeer het over {left} seconden opnieuw.", left)


# Failed tries the key file could not take (a full disk): the login delay still holds for as
# long as this program runs, and they are written with the next save that works.
_unsaved_failures: dict[tuple[Path, str], list[datetime]] = {}


def _fail(
    keyfile: KeyFile, slot_id: str, now: datetime, message: str, field_name: str = "passphrase", *, persist: bool = True
) -> LoginError:
    keyfile.note_failure(slot_id, now)
    try:
        if not persist:  # a backup's own copy of the key file: the restore point stays as it was
            raise OSError("not written")
        keyfile.save()
    except OSError:
        _unsaved_failures.setdefault((keyfile.path, slot_id), []).append(now)
    else:
        _forget_unsaved(keyfile)
    return LoginError(message, login_delay(keyfile.failure_count(slot_id)), field_name)


def _forget_unsaved(keyfile: KeyFile) -> None:
    for path, slot_id in list(_unsaved_failures):
        if path == keyfile.path:
            del _unsaved_failures[(path, slot_id)]


def _check_storage(db_path: Path) -> None:
    """Before any passphrase is looked at: the folder, the database and the key file must be
    writable. A read-only folder would open nothing (SQLite keeps its WAL beside the file) and
    could not keep count of wrong passphrases: it is named as such, and no try is possible."""
    try:
        handle, probe = tempfile.mkstemp(dir=db_path.parent, prefix=".wijkwerk-schrijftest-")
        os.close(handle)
        os.unlink(probe)
        for existing in (db_path, keyfile_path(db_path)):
            if existing.exists():
                os.close(os.open(existing, os.O_WRONLY))  # opened for writing, nothing written
    except OSError as error:
        if kind(error) == READ_ONLY:
            raise LoginError(
                f"In de map {db_path.parent} kan niet worden geschreven (alleen-lezen of geen rechten). "
                "Wijkwerk moet daar schrijven: de database, het sleutelbestand en de back-ups staan er. "
                "Er is niets veranderd; vraag uw beheerder de map schrijfbaar te maken.",
                field="",  # about no field: the focus stays (a passphrase is never typed into Naam)
            ) from None
        raise LoginError(explain(error) or "De map van Wijkwerk kon niet worden gebruikt.", field="") from None


def _open(db_path: Path, key: bytes, clock: Clock, keyfile: KeyFile, held: OpenLock | None = None) -> Database:
    try:
        db = open_database(db_path, clock, key, held=held)
        db.held = held or db.held  # (the lock taken before the key file was read goes with it)
        return db
    except DatabaseError as error:
        if kind(error) in (FULL, READ_ONLY):
            raise LoginError(explain(error) or "", field="") from None
        good = backup.newest_good(db_path, key)
        # No backup opens with this key either, and the file's salt is not the one this key file
        # was made for: the key file belongs to another database (rather than this one damaged).
        if good is None and keyfile.database_salt and database_salt(db_path) != keyfile.database_salt:
            raise LoginError(
                "Het sleutelbestand hoort bij een andere database dan deze. Zet het sleutelbestand dat bij "
                f"{db_path.name} hoort terug (uit een kopie of een back-up); er is niets veranderd.",
                field="",
            ) from error
        raise DamagedDatabase("De database is beschadigd of onleesbaar.", good) from error


def remember_database(keyfile: KeyFile, db_path: Path) -> None:
    """Write down whose key file this is (after setup, a demo build, a restore)."""
    keyfile.belongs_to(database_salt(db_path))
    keyfile.save()


def _flush_pending(db: Database, keyfile: KeyFile) -> None:
    """Failed logins from while the database was closed go into the audit trail now."""
    if not keyfile.pending:
        return
    known = {str(w.id) for w in workers.list_workers(db, include_inactive=True)}
    with db.transaction() as session:
        for item in keyfile.pending:
            actor = uuid.UUID(item["slot"]) if item.get("slot") in known else None
            audit.record(session, db, actor, item.get("action", "login.failed"), at=datetime.fromisoformat(item["at"]))
    keyfile.pending = []


def _unwrap(db_path: Path, name: str, passphrase: str, clock: Clock) -> tuple[KeyFile, str, bytes]:
    """The database key behind `name`'s slot; a wrong try is counted (and delayed)."""
    _check_storage(db_path)
    keyfile = load_keyfile(db_path)
    now = clock()
    slot = keyfile.find_by_name(name)
    slot_id = slot.slot_id if slot else UNKNOWN
    _refuse_if_waiting(keyfile, slot_id, now)
    key = slot.open(passphrase) if slot else None
    if key is None:
        raise _fail(keyfile, slot_id, now, "Onbekende naam of onjuist wachtwoord.")
    return keyfile, slot_id, key


def _refuse_unsigned(db: Database, worker: Worker) -> None:
    """A row changed by someone without the organisation's key (at the hub, or a laptop's token
    holder): not honoured, so a forged reactivation or promotion opens nothing."""
    with db.reading() as session:
        public = trust.pinned(session)
    if not trust.trusted(worker, public):
        audit.log(db, worker.id, "login.unsigned")
        raise LoginError(UNSIGNED, field="name")


def _give_pair(db: Database, keyfile: KeyFile, worker: Worker, passphrase: str, held: OrgKey | None) -> None:
    """An account from before key pairs gets one at its login, when it can be honoured (signed
    with the organisation's key he holds, or nothing pinned here): his slot is then sealed to it,
    so a new database key carries it without his passphrase (security.rekey)."""
    own = slots.new_pair(passphrase, worker.name)
    key = db.key or b""

    def seal(row: Worker) -> None:
        keyfile.put(slots.slot_after(row, passphrase, key, own))
        keyfile.save()

    workers.give_pair(db, worker.id, own, AccountKeys(signer=held), then=seal)


def _org_key_of(db: Database, worker: Worker, passphrase: str) -> OrgKey | None:
    """The organisation's key, when this coordinator's copy opens with this passphrase and is
    the key this laptop pinned (one Argon2id derivation more at his login)."""
    with db.reading() as session:
        public = trust.pinned(session)
    if not public or worker.role != COORDINATOR or not org_key.copy_signed(worker.org_key, public, worker.name):
        return None
    return org_key.unwrap(worker.org_key, passphrase, worker.name)


def _pair_of(db: Database, worker_id: uuid.UUID, passphrase: str) -> WorkerKey | None:
    """His key pair, when his passphrase opens the copy in his (re-read) row and it is the pair
    his record names (one Argon2id derivation more at a login)."""
    worker = workers.get_worker(db, worker_id)
    if not worker.wrapped_key:
        return None
    key = worker_key.unwrap(worker.wrapped_key, passphrase, worker.name)
    return key if key is not None and key.public == worker.public_key else None


def readable(session: Unlocked, text: str, confidential: bool = True) -> str:
    """A confidential signal's text as this worker may read it: sealed to him, opened; sealed to
    others only, a Dutch line saying so (store.signals seals it). A text that is not a
    confidential signal's is never sealed, whatever it starts with."""
    if not confidential or not envelope.is_sealed_text(text):
        return text
    opened = envelope.open_text(text, session.worker_key) if session.worker_key is not None else None
    return opened if opened is not None else sealed.FOR_OTHERS


def _held(db_path: Path) -> OpenLock:
    """The file's open lock, taken before its key file is read (db.open_lock): a new key given
    meanwhile would leave this login with the old one."""
    try:
        return open_lock.shared(db_path)
    except open_lock.InUse:
        raise LoginError(IN_USE, field="") from None


def _unwrap_held(db_path: Path, name: str, passphrase: str, clock: Clock) -> tuple[KeyFile, str, bytes, OpenLock, str]:
    """`_unwrap` under the open lock, after settling a new key a kill interrupted; and when one
    is due (an account lost its slot here) and nobody else has the file open, given now. Also
    what to tell about that (Dutch), or ""."""
    held = _held(db_path)
    said = ""
    try:
        rekey.settle(db_path)
        keyfile, slot_id, key = _unwrap(db_path, name, passphrase, clock)
        if keyfile.rekey_due:
            before, old = database_salt(db_path), key
            held.release()
            key, said = rekey.attempt(db_path, key, (slot_id, passphrase), clock)
            held = _held(db_path)
            if key == old and database_salt(db_path) != before:
                # Another program gave the new key meanwhile: this one's is the old one.
                keyfile, slot_id, key = _unwrap(db_path, name, passphrase, clock)
            keyfile = load_keyfile(db_path)
    except BaseException:
        held.release()
        raise
    return keyfile, slot_id, key, held, said


def close(session: Unlocked, passphrase: str = "") -> str:
    """Close the database, and give it a new key when one is due. What to tell, or ""."""
    db = session.db
    db.close()
    if db.key is None:
        return ""
    own = (str(session.worker_id), passphrase) if passphrase else None
    return rekey.attempt(db.path, db.key, own, db.clock)[1]


def login(db_path: Path, name: str, passphrase: str, clock: Clock = system_clock) -> Unlocked:
    keyfile, slot_id, key, lock, said = _unwrap_held(db_path, name, passphrase, clock)
    try:
        db = _open(db_path, key, clock, keyfile, lock)
    except BaseException:
        lock.release()
        raise
    try:
        worker = workers.get_worker(db, uuid.UUID(slot_id))
        if not worker.active:
            raise LoginError("Dit account is gedeactiveerd. Vraag een coördinator.", field="name")
        _refuse_unsigned(db, worker)
        keyfile.clear_failures(slot_id)
        _flush_pending(db, keyfile)
        keyfile.save()
        _forget_unsaved(keyfile)
        audit.log(db, worker.id, "login")
        privacy.reapply_erasures(db)  # an older copy of the file may have been put in place
        held = _org_key_of(db, worker, passphrase)
        db.actor = worker.id
        if not worker.public_key and (held is not None or not workers.key_pinned(db)):
            _give_pair(db, keyfile, worker, passphrase, held)
        _take_accounts(db, keyfile)
        signals.seal_plain(db)  # (confidential text from before sealing, or before key pairs)
        pair = _pair_of(db, worker.id, passphrase)  # (after _give_pair: his new one)
    except BaseException:
        db.close()
        raise
    return Unlocked(db, worker.id, worker.name, worker.role, keyfile, org_key=held, notice=said, worker_key=pair)


def recover(db_path: Path, code: str, name: str, passphrase: str, repeat: str, clock: Clock = system_clock) -> Unlocked:
    """A forgotten passphrase: the recovery code opens the database and sets a new one."""
    _check_storage(db_path)
    held = _held(db_path)  # (as a login: never the key file of before a new key)
    try:
        rekey.settle(db_path)
        keyfile = load_keyfile(db_path)
        now = clock()
        _refuse_if_waiting(keyfile, RECOVERY_SLOT, now, "herstelcode")
        check_passphrase(passphrase, repeat, personal=(name,))
        slot = keyfile.slot(RECOVERY_SLOT)
        key = slot.open(normalise_recovery_code(code)) if slot else None
        if key is None:
            raise _fail(keyfile, RECOVERY_SLOT, now, "Deze herstelcode klopt niet.", "code")
        db = _open(db_path, key, clock, keyfile, held)
    except BaseException:
        held.release()
        raise
    try:
        worker = workers.find_by_name(db, name)
        if worker is None or not worker.active:
            raise LoginError("Geen actief account met deze naam.", field="name")
        _refuse_unsigned(db, worker)
        keyfile.clear_failures(RECOVERY_SLOT)
        _flush_pending(db, keyfile)

        # Once a key is pinned, a new key pair of his would need the organisation's key: his old
        # one stays, and the new passphrase holds on this laptop only (security.slots).
        own = None if workers.key_pinned(db) else slots.new_pair(passphrase, worker.name)

        def seal(row: Worker) -> None:
            keyfile.put(slots.slot_after(row, passphrase, key, own))
            keyfile.save()

        # Acting as the account itself: the recovery code stands in for the old passphrase.
        workers.set_passphrase_hash(db, worker.id, worker.id, kdf.hash_passphrase(passphrase), then=seal, own=own)
        audit.log(db, worker.id, "login", detail="recovery code")
        pair = _pair_of(db, worker.id, passphrase)
    except BaseException:
        db.close()
        raise
    return Unlocked(db, worker.id, worker.name, worker.role, keyfile, worker_key=pair)


# -- the lock screen ------------------------------------------------------------------
def unlock(session: Unlocked, name: str, passphrase: str) -> bool:
    """Check a passphrase at the lock screen. True: the same worker is back (else switched)."""
    db = session.db
    now = db.clock()
    worker = workers.find_by_name(db, name)
    key = worker.name.casefold() if worker else UNKNOWN
    count, last = session.unlock_failures.get(key, (0, now))
    left = int(login_delay(count) - (now - last).total_seconds() + 0.999) if count else 0
    if left > 0:
        raise LoginError(f"Te vaak een onjuist wachtwoord. Probeer het over {left} seconden opnieuw.", left)
    if worker is None or not worker.active or not _passphrase_ok(session, worker, passphrase, fresh=True):
        session.unlock_failures[key] = (count + 1, now)
        audit.log(db, worker.id if worker else None, "unlock.failed")
        raise LoginError("Onbekende naam of onjuist wachtwoord.", login_delay(count + 1))
    session.unlock_failures.pop(key, None)
    _refuse_unsigned(db, worker)
    same = worker.id == session.worker_id
    held = session.org_key if same else _org_key_of(db, worker, passphrase)
    pair = session.worker_key if same else _pair_of(db, worker.id, passphrase)
    session.switch_to(worker)
    session.org_key, session.worker_key = held, pair
    audit.log(db, worker.id, "unlock" if same else "unlock.switch")
    return same


def lock(session: Unlocked) -> None:
    audit.log(session.db, session.worker_id, "lock")


def new_recovery(session: Unlocked) -> str:
    """A new recovery code for this laptop (coordinators), shown once; the old code opens
    nothing from now on (needed after a new database key voided it: security.rekey)."""
    require(access.viewer_of(session.db, session.worker_id).role, "recovery")  # (the role as the database has it)
    keyfile = _fresh_keys(session)
    if keyfile is None or session.db.key is None:
        raise ValidationError("", "Deze database heeft geen sleutelbestand.")
    code = new_recovery_code()
    keyfile.put(Slot.seal(RECOVERY_SLOT, "", normalise_recovery_code(code), session.db.key))
    keyfile.save()
    audit.log(session.db, session.worker_id, "recovery.new")
    return code


# -- accounts ------------------------------------------------------------------------------
def _sealer(session: Unlocked, passphrase: str, own: OwnKey | None) -> Callable[[Worker], None]:
    def seal(worker: Worker) -> None:
        if session.keyfile is not None and session.db.key is not None:
            session.keyfile.put(slots.slot_after(worker, passphrase, session.db.key, own))
            session.keyfile.save()

    return seal


def _passphrase_ok(session: Unlocked, worker: Worker, passphrase: str, *, fresh: bool = False) -> bool:
    """Whether `passphrase` is `worker`'s here: his slot opens with it (his hash, when he has
    none: a passphrase set elsewhere reaches this laptop as his wrapped key pair, never a hash)."""
    keyfile = _fresh_keys(session) if fresh else session.keyfile  # (a sync elsewhere may have given him one)
    opened = slots.opens(keyfile, session.db.key, worker, passphrase)
    return opened if opened is not None else kdf.verify_passphrase(worker.passphrase_hash, passphrase)


def _fresh_keys(session: Unlocked) -> KeyFile | None:
    """The key file as it is now (another program may have changed it), kept in the session."""
    if session.keyfile is not None:
        with suppress(LoginError):
            session.keyfile = load_keys(session.keyfile.path)
    return session.keyfile


def _can_sign(session: Unlocked) -> bool:
    """Whether a new key pair made now would be honoured: nothing pinned, or the key held."""
    return session.org_key is not None or not workers.key_pinned(session.db)


def _take_accounts(db: Database, keyfile: KeyFile | None) -> list[str]:
    """The names that lost their slot here."""
    if keyfile is not None:
        with suppress(OSError):  # (a full disk: tried again at the next sync or login)
            return slots.reconcile(db, keyfile)[1]
    return []


def take_accounts(session: Unlocked) -> None:
    """After a sync: accounts that arrived get their slots here, switched-off ones lose them."""
    if _take_accounts(session.db, _fresh_keys(session)):
        from wijkwerk_tui.services import sync

        with suppress(sync.SyncError):  # (else at the next sync)
            sync.rotate_token_now(session.db)


def _personal(session: Unlocked, *names: str) -> tuple[str, ...]:
    """Names a passphrase must not lean on: the worker's, the organisation's, the areas'."""
    areas = [a.name for a in area_store.list_areas(session.db, include_inactive=True)]
    return (*names, settings.get(session.db, settings.ORGANISATION_KEY), *areas)


def add_account(session: Unlocked, name: str, role: str, passphrase: str, repeat: str) -> Worker:
    check_passphrase(passphrase, repeat, personal=_personal(session, name))
    own = slots.new_pair(passphrase, clean_line(name, "name", max_len=120))
    return workers.add_worker(
        session.db,
        session.worker_id,
        name,
        role,
        kdf.hash_passphrase(passphrase),
        then=_sealer(session, passphrase, own),
        keys=session.account_keys(passphrase),
        own=own,
    )


def set_passphrase(
    session: Unlocked, worker_id: uuid.UUID, passphrase: str, repeat: str, current: str | None = None
) -> None:
    """Reset someone's passphrase (coordinator), or change one's own (with the current one)."""
    worker = workers.get_worker(session.db, worker_id)
    check_passphrase(passphrase, repeat, personal=_personal(session, worker.name))
    own = None
    if worker_id == session.worker_id:
        if current is None or not worker.active or not _passphrase_ok(session, worker, current):
            raise ValidationError("current", "Uw huidige wachtwoord klopt niet.")
        own = slots.rewrapped(worker, current, passphrase)  # the same pair: signed as it was
    if own is None and _can_sign(session) and workers.honoured(session.db, worker):
        own = slots.new_pair(passphrase, worker.name)  # (a forged row keeps its pair: not signed as forged)
    workers.set_passphrase_hash(
        session.db,
        session.worker_id,
        worker_id,
        kdf.hash_passphrase(passphrase),
        then=_sealer(session, passphrase, own),
        keys=session.account_keys(passphrase),
        own=own,
    )


def set_active(session: Unlocked, worker_id: uuid.UUID, active: bool, passphrase: str = "") -> None:
    """Deactivate (its wrapped key is removed) or reactivate (needs a new passphrase)."""
    own = None
    if active:
        name = workers.get_worker(session.db, worker_id).name
        check_passphrase(passphrase, personal=_personal(session, name))
        own = slots.new_pair(passphrase, name)

    def update_slot(worker: Worker) -> None:
        if session.keyfile is None or session.db.key is None:
            return
        if active:
            session.keyfile.put(slots.slot_after(worker, passphrase, session.db.key, own))
        else:
            session.keyfile.remove(str(worker.id))
        session.keyfile.save()

    workers.set_active(
        session.db,
        session.worker_id,
        worker_id,
        active,
        kdf.hash_passphrase(passphrase) if active else None,
        then=update_slot,
        keys=session.account_keys(passphrase if active else ""),
        own=own,
    )


# -- the organisation's key (store.trust) ------------------------------------------------------
@dataclass(frozen=True)
class OrgKeyOffer:
    """`hub init` so far: the key the hub holds for this coordinator, and whether the hub's
    operator has confirmed it (`wijkwerk hub accept-key`)."""

    key: OrgKey
    wrapped: str
    accepted: bool
    # Each account's public key as the hub holds it (None: no hub asked, as in tests of the
    # vault alone): the init signs no other pair, so one swapped in here is not made real.
    pairs: dict[str, str] | None = None

    @property
    def fingerprint(self) -> str:
        return org_key.fingerprint(self.key.public)


def offer_org_key(session: Unlocked, passphrase: str) -> OrgKeyOffer:
    """`wijkwerk hub init`, first half, on a joined laptop: make the organisation's key and give
    its public half to the hub, which holds it until its operator confirms its fingerprint (a
    worker with a laptop's token could offer one too: the fingerprint read aloud decides). Run
    again before that, it offers a new one; after, it takes back the accepted key when he made
    it (wrapped by his passphrase)."""
    from wijkwerk_tui.services import sync

    db = session.db
    me = _coordinator_row(session)
    with db.reading() as reading:
        known = trust.pinned(reading)
    if known and trust.trusted(me, known):  # (not yet signed: the init's second run, pinned meanwhile)
        raise ValidationError("", f"Deze laptop kent al een sleutel van de organisatie ({org_key.fingerprint(known)}).")
    if not _passphrase_ok(session, me, passphrase):
        raise ValidationError("passphrase", "Het wachtwoord klopt niet.")
    key = org_key.new_org_key()
    wrapped = org_key.wrap(key, passphrase, session.worker_name)
    public, accepted, kept, pairs = sync.publish_org_key(db, session.worker_id, key.public, wrapped)
    if public != key.public:  # the hub holds an earlier one of his, or another accepted key
        earlier = org_key.unwrap(kept, passphrase, session.worker_name) if kept else None
        if earlier is None or earlier.public != public:
            raise ValidationError(
                "",
                f"De hub heeft al een sleutel van de organisatie ({org_key.fingerprint(public)}), niet deze "
                f"({org_key.fingerprint(key.public)}). Deze laptop neemt die over bij de volgende synchronisatie.",
            )
        key, wrapped = earlier, kept
    if known and key.public != known:
        raise ValidationError(
            "", f"De hub noemt een andere sleutel dan deze laptop kent ({org_key.fingerprint(known)})."
        )
    return OrgKeyOffer(key, wrapped, accepted, pairs)


def _coordinator_row(session: Unlocked) -> Worker:
    """`hub init` asks the account row itself: once the key is pinned here, and before this
    init signed it, no coordinator's row is honoured (store.trust), his own included."""
    me = workers.get_worker(session.db, session.worker_id)
    require(me.role if me.active else "", "hub.init")
    return me


def accounts_to_sign(session: Unlocked) -> list[Worker]:
    """Every account as it would be signed: shown to the coordinator before he does."""
    _coordinator_row(session)
    return workers.list_workers(session.db, include_inactive=True)


def adopt_org_key(session: Unlocked, offer: OrgKeyOffer, shown: list[Worker]) -> list[str]:
    """`hub init`, second half, once the hub's operator confirmed the key: pin it here and sign
    the accounts as they were shown (one changed meanwhile is left for `hub sign`)."""
    if not offer.accepted:
        raise ValidationError("", "De beheerder van de hub heeft deze sleutel nog niet bevestigd.")
    session.org_key = offer.key
    return workers.adopt_org_key(
        session.db,
        session.worker_id,
        offer.key.public,
        offer.wrapped,
        session.account_keys(),
        _as_shown(shown),
        offer.pairs,
    )


def _as_shown(rows: list[Worker]) -> dict[uuid.UUID, tuple[str, str, bool]]:
    return {w.id: (w.name, w.role, bool(w.active)) for w in rows}


def pinned_key(session: Unlocked) -> str:
    with session.db.reading() as reading:
        return trust.pinned(reading)


def unsigned_accounts(session: Unlocked) -> list[Worker]:
    with session.db.reading() as reading:
        require_role(reading, session.worker_id, "hub.init")
    return workers.unsigned(session.db)


def sign_accounts(session: Unlocked, shown: list[Worker]) -> list[str]:
    """`wijkwerk hub sign`: sign the accounts as they were shown (a row someone forged would be
    signed as forged: the coordinator looked first); one changed since is left alone."""
    if session.org_key is None:
        raise ValidationError("", trust.NEEDS_KEY)
    return workers.sign_all(session.db, session.worker_id, session.account_keys(), _as_shown(shown))


# -- restoring a backup ----------------------------------------------------------------
def _key_for_backup(
    db_path: Path, backup_file: Path, find: Callable[[KeyFile], Slot | None], secret: str, clock: Clock, field_name: str
) -> tuple[str, bytes]:
    """The slot id and database key that open `backup_file`.

    The live key file decides while it is there: a worker deactivated since the backup cannot
    use the slot the backup's copy still has. Only when it is lost or damaged does the backup's
    own copy open it (the passphrase or recovery code of that time); wrong tries against that
    copy are counted in memory, the restore point itself is not written to.
    """
    _check_storage(db_path)
    _check_belongs(db_path, backup_file)
    with _held(db_path):  # (a new key a kill interrupted is finished first: its backups with it)
        rekey.settle(db_path)
    live = keyfile_path(db_path)
    keyfile = None
    if live.exists():
        with suppress(LoginError):
            keyfile = load_keys(live)
    own = keyfile is None
    if keyfile is None:
        if not keyfile_path(backup_file).exists():
            raise LoginError(
                "Er is geen sleutelbestand: niet naast de database en niet naast deze back-up. "
                "Zonder sleutelbestand opent geen enkele kopie. Er is niets veranderd.",
                field="file",
            )
        keyfile = load_keys(keyfile_path(backup_file))
    now = clock()
    slot = find(keyfile)
    slot_id = slot.slot_id if slot else UNKNOWN
    what = "herstelcode" if field_name == "code" else "wachtwoord"
    _refuse_if_waiting(keyfile, slot_id, now, what, persist=not own)
    key = slot.open(secret) if slot else None
    if key is None:
        message = "Deze herstelcode klopt niet." if field_name == "code" else "Onbekende naam of onjuist wachtwoord."
        raise _fail(keyfile, slot_id, now, message, field_name, persist=not own)
    if not backup.is_good(backup_file, key):
        raise LoginError("Deze back-up is beschadigd of hoort niet bij deze database.", field="file")
    keyfile.clear_failures(slot_id)
    if not own:
        keyfile.save()
    _forget_unsaved(keyfile)
    return slot_id, key


def _check_belongs(db_path: Path, backup_file: Path) -> None:
    """A backup is restored only over the database it was made of: it lies in that database's
    backups folder under its name (a copy from elsewhere is put there first, on purpose)."""
    here = backup.backup_dir(db_path).resolve() == backup_file.parent.resolve()
    if here and backup_file.name.startswith(f"{db_path.stem}-"):
        return
    raise LoginError(
        f"Deze back-up hoort niet bij {db_path}: back-ups van die database staan in "
        f"{backup.backup_dir(db_path)} en beginnen met {db_path.stem}-. Kies de database met --db, "
        "of zet een kopie van elders eerst in die map. Er is niets veranderd.",
        field="file",
    )


def _put_back(db_path: Path, backup_file: Path, key: bytes, clock: Clock, actor: uuid.UUID | None) -> Database:
    """Swap the backup in (with its key file), open it with the key and record the restore."""
    kept = backup.restore(backup_file, db_path, key, clock())
    keyfile = load_keyfile(db_path)  # the backup's own key file, when it had one
    remember_database(keyfile, db_path)  # the backup is a file of its own, with its own salt
    db = _open(db_path, key, clock, keyfile)
    try:
        audit.log(db, actor, "backup.restore", detail=f"{backup_file.name}; vorige: {kept.name}")
        privacy.reapply_erasures(db)  # residents erased after the backup was made stay erased
    except BaseException:
        db.close()
        raise
    return db


def restore(db_path: Path, backup_file: Path, name: str, passphrase: str, clock: Clock = system_clock) -> Unlocked:
    """Put a backup in place of the database (even a damaged one) and log in to it.

    Only a coordinator who is active in the backup itself may do this; the key comes from their
    slot, so the current database need not open. The key file of that time comes back with it,
    so afterwards the passphrases of that time hold.
    """
    slot_id, key = _key_for_backup(
        db_path, backup_file, lambda k: k.find_by_name(name), passphrase, clock, "passphrase"
    )
    if backup.role_in(backup_file, key, slot_id) != COORDINATOR:
        raise LoginError("Alleen een coördinator mag een back-up terugzetten.", field="name")
    db = _put_back(db_path, backup_file, key, clock, uuid.UUID(slot_id))
    try:
        worker = workers.get_worker(db, uuid.UUID(slot_id))
        audit.log(db, worker.id, "login")
        pair = _pair_of(db, worker.id, passphrase)
    except BaseException:
        db.close()
        raise
    return Unlocked(db, worker.id, worker.name, worker.role, load_keyfile(db_path), worker_key=pair)


def restore_with_recovery_code(db_path: Path, backup_file: Path, code: str, clock: Clock = system_clock) -> None:
    """Put a backup back with the organisation's recovery code (when no coordinator's passphrase
    opens it any more). The recovery code is the coordinators' own, kept on paper; nobody is
    logged in afterwards and the audit trail records the restore without a worker."""
    normalised = normalise_recovery_code(code)
    _slot_id, key = _key_for_backup(db_path, backup_file, lambda k: k.slot(RECOVERY_SLOT), normalised, clock, "code")
    _put_back(db_path, backup_file, key, clock, None).close()
