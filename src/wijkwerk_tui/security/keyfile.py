"""The key file beside the database: the database key, wrapped once per account.

The database is encrypted with one random 256-bit key. That key is never stored as
is: each account (and the recovery code) has a *slot* holding it encrypted with
AES-256-GCM under a key derived from that account's passphrase with Argon2id. The
slot id is bound in as associated data, so a slot cannot be copied to another name.
Removing a slot (a deactivated account) means that passphrase opens nothing.

A worker with a key pair of his own (crypto.worker_key) has a *sealed* slot instead: the
database key sealed to his public key, beside his private key as it travels (wrapped by his
passphrase). Such a slot is made without his passphrase, by whoever has the database open when
his signed account arrives (security.slots): that is how he logs in on a laptop he never used.

The file also remembers failed tries, so the growing delay survives a restart, and
failed logins that happened while the database was closed, so they reach the audit
trail at the next successful login. It holds workers' names, never residents' data.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypedDict

from wijkwerk_tui.config import keyfile_path as keyfile_path  # re-exported: the gate and vault use it
from wijkwerk_tui.crypto import worker_key
from wijkwerk_tui.crypto.kdf import KdfParams, current_params, derive_key
from wijkwerk_tui.domain.errors import DomainError

VERSION = 1
RECOVERY_SLOT = "recovery"
KEY_BYTES = 32
REKEY_DUE = "account uitgeschakeld"


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())


@dataclass
class Slot:
    slot_id: str  # a worker's UUID, or "recovery"
    name: str  # shown in the login list; the recovery slot has none
    salt: str
    nonce: str
    wrapped: str
    kdf: dict[str, int]
    private: str = ""  # a sealed slot: the worker's wrapped key pair (crypto.worker_key.wrap)
    sealed: str = ""  # a sealed slot: the database key sealed to his public key
    basis: str = ""  # a passphrase slot: his wrapped key pair in his row when it was made

    @property
    def is_sealed(self) -> bool:
        return bool(self.sealed)

    @classmethod
    def seal(cls, slot_id: str, name: str, passphrase: str, db_key: bytes) -> Slot:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # not needed to draw the login

        params = current_params()
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        kek = derive_key(passphrase, salt, params)
        wrapped = AESGCM(kek).encrypt(nonce, db_key, slot_id.encode())
        return cls(slot_id, name, _b64(salt), _b64(nonce), _b64(wrapped), params.as_dict())

    @classmethod
    def seal_to(cls, slot_id: str, name: str, private: str, public: str, db_key: bytes) -> Slot:
        """A slot for a worker's key pair: no passphrase needed to make it (no Argon2 either)."""
        return cls(slot_id, name, "", "", "", {}, private, worker_key.seal(db_key, public, _context(slot_id)))

    def open(self, passphrase: str) -> bytes | None:
        """The database key, or None when the passphrase is wrong."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if self.is_sealed:
            mine = worker_key.unwrap(self.private, passphrase, self.name)
            return worker_key.unseal(self.sealed, mine, _context(self.slot_id)) if mine else None
        kek = derive_key(passphrase, _unb64(self.salt), KdfParams(**self.kdf))
        try:
            return AESGCM(kek).decrypt(_unb64(self.nonce), _unb64(self.wrapped), self.slot_id.encode())
        except InvalidTag:
            return None


def _context(slot_id: str) -> str:
    return f"wijkwerk-slot|{slot_id}"


class FailedTries(TypedDict, total=False):
    """One slot's failed tries in a row, as the key file keeps them."""

    count: int
    last: str  # ISO time of the latest


@dataclass
class KeyFile:
    path: Path
    slots: list[Slot] = field(default_factory=list)
    demo_passphrase: str = ""  # set only for the demo database, and shown on its login screen
    demo_user: str = ""
    database_salt: str = ""  # the database's own salt (gate.database_salt): whose key file this is
    failures: dict[str, FailedTries] = field(default_factory=dict)
    pending: list[dict[str, str]] = field(default_factory=list)
    # A new database key (security.rekey): due since an account lost its slot here; the step
    # under way (the new slots and the copy's salt, until the copy took the file's place); the
    # salt the file had before its last new key.
    rekey_due: str = ""
    rekey_next: dict[str, object] = field(default_factory=dict)
    previous_salt: str = ""
    # The slots put or removed since loading: `save` replays them on the file as it is then,
    # so two programs on one database (two windows, the app and `wijkwerk sync`) never write
    # back each other's older copy (a slot made by the other would be lost).
    _changes: list[tuple[str, Slot | str]] = field(default_factory=list, repr=False)
    _adopting: bool = field(default=False, repr=False)

    @property
    def is_demo(self) -> bool:
        return bool(self.demo_passphrase)

    # -- file ---------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            slots = [Slot(**raw) for raw in data["slots"]]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise KeyFileError("Het sleutelbestand ontbreekt of is beschadigd.") from error
        return cls(
            path,
            slots,
            data.get("demo_passphrase", ""),
            data.get("demo_user", ""),
            data.get("database_salt", ""),
            data.get("failures", {}),
            data.get("pending", []),
            str(data.get("rekey_due", "")),
            dict(data.get("rekey_next", {})),
            str(data.get("previous_salt", "")),
        )

    def save(self) -> None:
        """Write atomically (temp file, fsync, rename): a crash never leaves half a key file.
        Under a lock, on top of the slots the file holds by then (`_changes`)."""
        with self.locked():
            self._on_top_of_the_file()
            self._write()
        self._changes = []
        self._adopting = False

    @contextmanager
    def locked(self) -> Iterator[None]:
        """The key file's own lock: one program at a time reads it to write it back."""
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.path}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _on_top_of_the_file(self) -> None:
        try:
            there = KeyFile.load(self.path)
        except KeyFileError:
            return  # (none yet, or damaged: this one's slots are what there is)
        if self._adopting:
            return  # (a file of its own from now on: a restore's, a new demo's)
        # Loaded before the database got a new key (or holding a salt changed by hand): the file
        # as it is stays, with this one's removals only. Its slots may hold an old key, and
        # written back they would lock everyone out.
        stale = there.database_salt != self.database_salt
        for kind, what in self._changes:
            if kind == "put" and isinstance(what, Slot) and not stale:
                there.put(what)
            elif isinstance(what, str):
                there.remove(what)
        self.slots = there.slots
        self.rekey_due = there.rekey_due or (self.rekey_due if not stale else "")
        self.rekey_next, self.previous_salt = there.rekey_next, there.previous_salt
        self.database_salt = there.database_salt

    def belongs_to(self, salt: str) -> None:
        """From now on the key file of the database with this salt (setup, a restore, a demo)."""
        self.database_salt = salt
        self._adopting = True

    def write_as_is(self) -> None:
        """Write exactly this (security.rekey, holding `locked`): nothing merged."""
        self._write()
        self._changes = []

    def _write(self) -> None:
        data = {
            "version": VERSION,
            "demo_passphrase": self.demo_passphrase,
            "demo_user": self.demo_user,
            "database_salt": self.database_salt,
            "slots": [slot.__dict__ for slot in self.slots],
            "failures": self.failures,
            "pending": self.pending,
            "rekey_due": self.rekey_due,
            "rekey_next": self.rekey_next,
            "previous_salt": self.previous_salt,
        }
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    # -- slots --------------------------------------------------------------------
    def slot(self, slot_id: str) -> Slot | None:
        return next((s for s in self.slots if s.slot_id == slot_id), None)

    def find_by_name(self, name: str) -> Slot | None:
        wanted = name.strip().casefold()
        return next((s for s in self.slots if s.slot_id != RECOVERY_SLOT and s.name.casefold() == wanted), None)

    def names(self) -> list[str]:
        return sorted((s.name for s in self.slots if s.slot_id != RECOVERY_SLOT), key=str.casefold)

    def put(self, slot: Slot) -> None:
        self.slots = [s for s in self.slots if s.slot_id != slot.slot_id] + [slot]
        self._changes.append(("put", slot))

    def remove(self, slot_id: str) -> None:
        """An account loses its slot here. An old copy of this file would still open the
        database with it: the database gets a new key at the next chance (security.rekey)."""
        if self.slot(slot_id) is not None:
            self.rekey_due = REKEY_DUE
        self.slots = [s for s in self.slots if s.slot_id != slot_id]
        self.failures.pop(slot_id, None)
        self._changes.append(("remove", slot_id))

    # -- failed tries ---------------------------------------------------------------
    def failure_count(self, slot_id: str) -> int:
        return int(self.failures.get(slot_id, {}).get("count", 0))

    def last_failure(self, slot_id: str) -> datetime | None:
        raw = self.failures.get(slot_id, {}).get("last")
        return datetime.fromisoformat(str(raw)) if raw else None

    def note_failure(self, slot_id: str, at: datetime, action: str = "login.failed") -> None:
        self.failures[slot_id] = {"count": self.failure_count(slot_id) + 1, "last": at.isoformat()}
        self.pending.append({"at": at.isoformat(), "slot": slot_id, "action": action})

    def note_refused(self, slot_id: str, at: datetime) -> None:
        """A try refused during the login delay: audited later, not counted."""
        self.pending.append({"at": at.isoformat(), "slot": slot_id, "action": "login.refused"})

    def clear_failures(self, slot_id: str) -> None:
        self.failures.pop(slot_id, None)


class KeyFileError(DomainError):
    """The key file is missing or damaged. Message is Dutch."""


def new_recovery_code() -> str:
    """120 random bits as 6 groups of 4 letters/digits, without look-alikes (0/O, 1/I/L)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    chars = [secrets.choice(alphabet) for _ in range(24)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, 24, 4))


def normalise_recovery_code(text: str) -> str:
    """Accept the code typed with spaces, without dashes, or in lower case."""
    chars = [c for c in text.upper() if c.isalnum()]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, len(chars), 4))
