"""Which accounts this laptop honours: once it has pinned the organisation's public key (at
joining the hub, or at the first sync after `wijkwerk hub init`), only those whose record the
organisation's key signed. Whoever can write to the hub's database, or a laptop's token holder
with Python, can change a worker's row; he cannot make its signature."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db.tables import Setting, Worker
from wijkwerk_tui.domain.accounts import COORDINATOR, account_record
from wijkwerk_tui.domain.errors import ValidationError

PINNED_KEY = "hub.org_key"  # this laptop's setting: the organisation's public key, never replaced
NEEDS_KEY = (
    "Hiervoor is de sleutel van de organisatie nodig, en uw wachtwoord op deze laptop opent die niet. "
    "Vraag een coördinator die hem heeft (wijkwerk hub init)."
)


@dataclass(frozen=True)
class AccountKeys:
    """What a coordinator's session lends the store for one account change: the organisation
    key's signing, and wrapping it for a coordinator whose passphrase is being set."""

    sign: Callable[[bytes], str] | None = None
    wrap_for: Callable[[str], str] | None = None  # the coordinator's name -> his wrapped copy


def pinned(session: Session) -> str:
    row = session.get(Setting, PINNED_KEY)
    return row.value if row is not None else ""


def pin(session: Session, public: str) -> None:
    """Pin the organisation's key on this laptop; the caller checked none was pinned."""
    session.merge(Setting(key=PINNED_KEY, value=public))


@functools.lru_cache(maxsize=4096)  # lists ask per row and per action; a verification is ~0.1 ms
def _verifies(public: str, record: bytes, signature: str) -> bool:
    return org_key.verify(public, record, signature)


def trusted(worker: Worker, public: str) -> bool:
    """Whether this laptop honours `worker`'s row as it stands (always, before a key is pinned)."""
    if not public:
        return True
    return _verifies(public, account_record(worker.name, worker.role, worker.active), worker.signature)


def sign_row(session: Session, worker: Worker, keys: AccountKeys | None) -> None:
    """Sign the row as it now stands, in the caller's transaction; refuses without the key once
    one is pinned (an unsigned change would lock the account out on every laptop)."""
    with session.no_autoflush:  # the change and its signature must go out as one (the hub checks both)
        public = pinned(session)
    if not public:
        return
    if keys is None or keys.sign is None:
        raise ValidationError("worker", NEEDS_KEY)
    worker.signature = keys.sign(account_record(worker.name, worker.role, worker.active))


def hand_key(worker: Worker, keys: AccountKeys | None) -> None:
    """A coordinator whose passphrase is being set gets a copy of the key wrapped by it (when the
    session setting it holds the key): that is how a second coordinator comes to hold it."""
    if keys is not None and keys.wrap_for is not None and worker.role == COORDINATOR:
        worker.org_key = keys.wrap_for(worker.name)
