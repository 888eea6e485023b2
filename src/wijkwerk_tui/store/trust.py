"""Which accounts this laptop honours: once it has pinned the organisation's public key (at
the end of its first sync that brought everything in, once `wijkwerk hub init` is done),
only those whose record the organisation's key signed. Whoever can write to the hub's
database, or a laptop's token holder with Python, can change a worker's row; he cannot make
its signature."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db.tables import Setting, Worker
from wijkwerk_tui.domain.accounts import COORDINATOR
from wijkwerk_tui.domain.activities import ROLES
from wijkwerk_tui.domain.errors import ValidationError

PINNED_KEY = "hub.org_key"  # this laptop's setting: the organisation's public key, never replaced
UNTRUSTED_FIRST = (
    "Dit account is gewijzigd zonder de sleutel van de organisatie. Kijk het eerst na en onderteken "
    "het (wijkwerk hub sign); pas daarna kunt u het hier wijzigen."
)
NEEDS_KEY = (
    "Hiervoor is de sleutel van de organisatie nodig, en uw wachtwoord op deze laptop opent die niet. "
    "Vraag een coördinator die hem heeft (wijkwerk hub init)."
)


@dataclass(frozen=True)
class AccountKeys:
    """What a coordinator's session lends the store for one account change: the organisation
    key's signing, and wrapping it for a coordinator whose passphrase is being set."""

    wrap_for: Callable[[str, int], str] | None = None  # his name and the copy's number -> his copy
    signer: org_key.OrgKey | None = None


def pinned(session: Session) -> str:
    row = session.get(Setting, PINNED_KEY)
    return row.value if row is not None else ""


def pin(session: Session, public: str) -> None:
    """Pin the organisation's key on this laptop; a pinned key is never replaced."""
    known = pinned(session)
    if known and known != public:
        raise ValidationError("", "Deze laptop kent al een andere sleutel van de organisatie.")
    session.merge(Setting(key=PINNED_KEY, value=public))


@dataclass(frozen=True)
class OwnKey:
    """A worker's key pair as his row holds it (crypto.worker_key): the public half, signed with
    his record, and the private halves wrapped by his passphrase."""

    public: str
    wrapped: str


@functools.lru_cache(maxsize=4096)  # lists ask per row and per action; a verification is ~0.1 ms
def _verifies(public: str, name: str, role: str, active: bool, signature: str, worker_key: str) -> bool:
    return org_key.account_signed(public, name, role, active, signature, worker_key)


def trusted(worker: Worker, public: str) -> bool:
    """Whether this laptop honours `worker`'s row as it stands (always, before a key is pinned)."""
    if not public:
        return True
    return _verifies(public, worker.name, worker.role, bool(worker.active), worker.signature, worker.public_key)


def trusted_here(session: Session, worker: Worker) -> bool:
    with session.no_autoflush:
        return trusted(worker, pinned(session))


def check_trusted(session: Session, worker: Worker) -> None:
    """Before a change is signed: the row must be as the key signed it, or the signing would
    make a forged promotion or reactivation real."""
    with session.no_autoflush:
        public = pinned(session)
    if not trusted(worker, public):
        raise ValidationError("worker", UNTRUSTED_FIRST)


def sign_row(session: Session, worker: Worker, keys: AccountKeys | None) -> None:
    """Sign the row as it now stands, in the caller's transaction, with the next serial;
    refuses without the key once one is pinned (an unsigned change would lock the account out
    on every laptop)."""
    with session.no_autoflush:  # the change and its signature must go out as one (the hub checks both)
        public = pinned(session)
    if not public:
        return
    if keys is None or keys.signer is None:
        raise ValidationError("worker", NEEDS_KEY)
    serial = org_key.signature_serial(worker.signature) + 1
    worker.signature = org_key.sign_account(
        keys.signer, worker.name, worker.role, bool(worker.active), serial, worker.public_key
    )


def keep_signed_pair(worker: Worker, public: str) -> None:
    """Before a row someone changed without the key is signed as it stands (`hub sign`, or
    switched off): its key pair stays only if the current signature covers it, whatever role or
    state the forger gave the row. A pair swapped in by a token holder is dropped, not signed:
    a coordinator looking at the row sees a name, a role and a state, never the pair, and
    signing it would seal every laptop's database key to the forger's pair. His account then
    has no pair (no login on other laptops) until a coordinator sets his passphrase."""
    if not public or not worker.public_key:
        return
    for role in ROLES:
        for active in (True, False):
            if _verifies(public, worker.name, role, active, worker.signature, worker.public_key):
                return
    worker.public_key, worker.wrapped_key = "", ""


def take_key(worker: Worker, own: OwnKey | None) -> None:
    """His new key pair, or his key pair wrapped again (a passphrase of his own changed): before
    `sign_row`, so a new public half is in what the organisation's key signs."""
    if own is not None:
        worker.public_key, worker.wrapped_key = own.public, own.wrapped


def hand_key(session: Session, worker: Worker, keys: AccountKeys | None) -> None:
    """A coordinator whose passphrase is being set gets a copy of the key wrapped by it (when the
    session setting it holds the key, and his row is as the key signed it): that is how a
    second coordinator comes to hold it."""
    if keys is None or keys.wrap_for is None or worker.role != COORDINATOR:
        return
    with session.no_autoflush:
        public = pinned(session)
    if public and trusted(worker, public):
        worker.org_key = keys.wrap_for(worker.name, org_key.copy_counter(worker.org_key) + 1)
