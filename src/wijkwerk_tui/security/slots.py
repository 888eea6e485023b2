"""Who opens this laptop's database: the key file's slots kept in step with the accounts.

A worker's key pair (crypto.worker_key) travels with his account. Once this laptop has pinned
the organisation's key, every active worker whose record that key signed, public key included,
gets a slot sealed to his public key; it is made by whoever has the database open when his
account arrives (at login, after a sync), without his passphrase. An account switched off
(signed so) loses its slot here at the next sync. A forged row (not as signed) is left as it
is: its login is refused anyway (vault), and taking its slot away would let whoever writes to
the hub's database lock anyone out.

A passphrase set here while the new key pair could not be signed (a recovery code, or a
coordinator here without the organisation's key) makes a slot for this laptop only, which
remembers the key pair his row had (`basis`): it stays until that key pair changes elsewhere.
"""

from __future__ import annotations

import hmac

from wijkwerk_tui.crypto import worker_key
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.security.keyfile import KeyFile, Slot
from wijkwerk_tui.store import audit, settings, trust, workers
from wijkwerk_tui.store.trust import OwnKey


def new_pair(passphrase: str, name: str) -> OwnKey:
    """A new key pair for `name`, wrapped by his passphrase (one Argon2id derivation)."""
    key = worker_key.new_worker_key()
    return OwnKey(key.public, worker_key.wrap(key, passphrase, name, 1))


def rewrapped(worker: Worker, current: str, passphrase: str) -> OwnKey | None:
    """His key pair wrapped by his new passphrase, numbered on, when his current one opens it."""
    if not worker.wrapped_key:
        return None
    key = worker_key.unwrap(worker.wrapped_key, current, worker.name)
    if key is None or key.public != worker.public_key:
        return None
    return OwnKey(key.public, worker_key.wrap(key, passphrase, worker.name, worker_key.counter(worker.wrapped_key) + 1))


def slot_after(worker: Worker, passphrase: str, db_key: bytes, own: OwnKey | None) -> Slot:
    """The slot once `passphrase` is set here: sealed to the key pair just wrapped by it, else one
    for this laptop only."""
    if own is not None and worker.wrapped_key == own.wrapped:
        return Slot.seal_to(str(worker.id), worker.name, own.wrapped, own.public, db_key)
    slot = Slot.seal(str(worker.id), worker.name, passphrase, db_key)
    slot.basis = worker.wrapped_key
    return slot


def opens(keyfile: KeyFile | None, db_key: bytes | None, worker: Worker, passphrase: str) -> bool | None:
    """Whether `passphrase` opens `worker`'s slot here (None: he has none, ask his hash)."""
    slot = keyfile.slot(str(worker.id)) if keyfile is not None else None
    if slot is None or db_key is None:
        return None
    opened = slot.open(passphrase)
    return opened is not None and hmac.compare_digest(opened, db_key)


def _usable(worker: Worker, public: str) -> bool:
    return (
        bool(worker.public_key)
        and trust.trusted(worker, public)
        and worker_key.copy_signed(worker.wrapped_key, worker.public_key, worker.name)
    )


def _outdated(slot: Slot | None, worker: Worker) -> bool:
    if slot is None:
        return True
    if not slot.is_sealed:  # his own for this laptop: until his key pair changes elsewhere
        return slot.basis != worker.wrapped_key
    if slot.private == worker.wrapped_key:
        return False
    # Another copy: a new key pair (signed: `_usable`), or his passphrase changed elsewhere. An
    # older copy of the same pair (a hub sending one back) would bring an old passphrase back.
    same_pair = worker_key.copy_signed(slot.private, worker.public_key, worker.name)
    return not same_pair or worker_key.counter(worker.wrapped_key) > worker_key.counter(slot.private)


def reconcile(db: Database, keyfile: KeyFile) -> tuple[list[str], list[str]]:
    """Bring the slots in step with the accounts; the names given a slot and those losing one.
    Nothing before a key is pinned: accounts from elsewhere are then not known to be real."""
    if db.key is None:
        return [], []
    public = workers.pinned_key(db)
    if not public:
        return [], []
    added: list[str] = []
    removed: list[str] = []
    for worker in workers.every_account(db):
        slot = keyfile.slot(str(worker.id))
        if not trust.trusted(worker, public):
            continue  # (not as signed: a forged switch-off takes no slot away either)
        if not worker.active or worker.deleted_at is not None:
            if slot is not None:
                keyfile.remove(str(worker.id))
                removed.append(worker.name)
        elif _usable(worker, public) and _outdated(slot, worker):
            try:
                made = Slot.seal_to(str(worker.id), worker.name, worker.wrapped_key, worker.public_key, db.key)
            except ValueError:  # (a key nothing can be sealed to: never one account's login for all)
                continue
            keyfile.put(made)
            added.append(worker.name)
    if added or removed:
        keyfile.save()
        with db.transaction() as session:
            audit.record(session, db, db.actor, "account.slots", detail=f"{len(added)} erbij, {len(removed)} eraf")
            if removed:  # (the device token is rotated too: he may have read it out of the database)
                settings.put(session, settings.ROTATE_TOKEN, "1")
    return added, removed
