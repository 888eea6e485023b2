"""Workers (medewerkers): the people who use the app."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import func
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, stamp_new, touch
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.accounts import WORKER, require
from wijkwerk_tui.domain.activities import ROLES
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line
from wijkwerk_tui.domain.vocab import check_code
from wijkwerk_tui.store import audit, settings, trust
from wijkwerk_tui.store.access import require_role
from wijkwerk_tui.store.trust import AccountKeys, OwnKey

# Called inside the transaction once the row is written: the key file is updated there,
# so a failure on either side leaves neither changed.
AfterWrite = Callable[[Worker], None]


def add_worker(
    db: Database,
    actor: uuid.UUID | None,
    name: str,
    role: str = "worker",
    passphrase_hash: str = "",
    then: AfterWrite | None = None,
    keys: AccountKeys | None = None,
    own: OwnKey | None = None,
) -> Worker:
    name = clean_line(name, "name", max_len=120, required=True, what="een naam")
    role = check_code(ROLES, role, "role", "rol")
    with db.transaction() as session:
        if actor is not None:
            require_role(session, actor, "accounts")
        if session.exec(select(Worker).where(func.lower(Worker.name) == name.lower())).first():
            raise ValidationError("name", "Er is al een medewerker met deze naam.")
        worker = stamp_new(db, actor, Worker(name=name, role=role, passphrase_hash=passphrase_hash))
        trust.take_key(worker, own)
        trust.sign_row(session, worker, keys)
        trust.hand_key(session, worker, keys)
        session.add(worker)
        session.flush()
        audit.record(session, db, actor, "account.add", detail=f"role={role}")
        if then:
            then(worker)
        return worker


def set_passphrase_hash(
    db: Database,
    actor: uuid.UUID | None,
    worker_id: uuid.UUID,
    passphrase_hash: str,
    then: AfterWrite | None = None,
    keys: AccountKeys | None = None,
    own: OwnKey | None = None,
) -> None:
    """A new passphrase: one's own, or a coordinator's reset of someone else's (with `own`, his
    key pair wrapped by it: the same pair, or a new one that is signed here)."""
    with db.transaction() as session:
        if actor != worker_id:
            require_role(session, actor, "accounts")
        worker = get_live(session, Worker, worker_id, "Medewerker")
        worker.passphrase_hash = passphrase_hash
        if own is not None and own.public != worker.public_key:
            trust.check_trusted(session, worker)  # (a forged row is not signed as it stands)
            trust.take_key(worker, own)
            trust.sign_row(session, worker, keys)
        else:
            trust.take_key(worker, own)
        trust.hand_key(session, worker, keys)
        session.add(touch(db, worker))
        audit.record(session, db, actor, "account.passphrase" if actor == worker_id else "account.reset")
        if then:
            then(worker)


def give_pair(db: Database, worker_id: uuid.UUID, own: OwnKey, keys: AccountKeys, then: AfterWrite) -> None:
    """A coordinator from before key pairs, at his login with the organisation's key: his own
    pair, signed with his record (so his login reaches every laptop from now on)."""
    with db.transaction() as session:
        worker = get_live(session, Worker, worker_id, "Medewerker")
        if worker.public_key:
            return
        trust.check_trusted(session, worker)
        trust.take_key(worker, own)
        trust.sign_row(session, worker, keys)
        session.add(touch(db, worker))
        audit.record(session, db, worker_id, "account.key_pair")
        then(worker)


def set_active(
    db: Database,
    actor: uuid.UUID | None,
    worker_id: uuid.UUID,
    active: bool,
    passphrase_hash: str | None = None,
    then: AfterWrite | None = None,
    keys: AccountKeys | None = None,
    own: OwnKey | None = None,
) -> None:
    """Deactivate, or reactivate with a new passphrase hash (and a new key pair)."""
    with db.transaction() as session:
        require_role(session, actor, "accounts")
        if worker_id == actor and not active:
            raise ValidationError("worker", "U kunt uw eigen account niet deactiveren.")
        worker = get_live(session, Worker, worker_id, "Medewerker")
        if not active and worker.role == "coordinator":
            others = session.exec(
                select(func.count())
                .select_from(Worker)
                .where(
                    Worker.role == "coordinator",
                    col(Worker.active).is_(True),
                    Worker.id != worker_id,
                    col(Worker.deleted_at).is_(None),
                )
            ).one()
            if not others:
                raise ValidationError("worker", "Er moet minstens één actieve coördinator blijven.")
        if active:  # (switching off a forged account is safe to sign; switching one on is not)
            trust.check_trusted(session, worker)
        elif not trust.trusted_here(session, worker):
            worker.role = WORKER  # signed off as a worker: a later reactivation makes no forged coordinator
            trust.keep_signed_pair(worker, pinned_in(session))
        elif (keys is None or keys.signer is None) and pinned_in(session):
            # Unsigned, the hub would drop it: he would stay on every other laptop.
            raise ValidationError("worker", trust.NEEDS_KEY)
        worker.active = active
        if active:
            trust.take_key(worker, own)
        if active or (keys is not None and keys.signer is not None):
            trust.sign_row(session, worker, keys)
        # (switched off without the key: the row is then not as signed, and honoured nowhere)
        if passphrase_hash is not None:
            worker.passphrase_hash = passphrase_hash
            trust.hand_key(session, worker, keys)
        session.add(touch(db, worker))
        if not active:
            settings.put(session, settings.ROTATE_TOKEN, "1")  # (he may have read the device token)
        audit.record(session, db, actor, "account.activate" if active else "account.deactivate")
        if then:
            then(worker)


def find_by_name(db: Database, name: str) -> Worker | None:
    with db.reading() as session:
        return session.exec(
            select(Worker).where(func.lower(Worker.name) == name.strip().lower(), col(Worker.deleted_at).is_(None))
        ).first()


def list_workers(db: Database, include_inactive: bool = False) -> list[Worker]:
    with db.reading() as session:
        query = select(Worker).where(col(Worker.deleted_at).is_(None))
        if not include_inactive:
            query = query.where(col(Worker.active).is_(True))
        return list(session.exec(query.order_by(Worker.name)))


def get_worker(db: Database, worker_id: uuid.UUID) -> Worker:
    with db.reading() as session:
        return get_live(session, Worker, worker_id, "Medewerker")


def names(db: Database) -> dict[uuid.UUID, str]:
    """Every worker's name by id, inactive ones included (they made history rows)."""
    with db.reading() as session:
        return {w.id: w.name for w in session.exec(select(Worker))}


def default_worker(db: Database) -> Worker | None:
    """The first coordinator, else the first worker: for tests and screenshots that skip login."""
    active = list_workers(db)
    coordinators = [w for w in active if w.role == "coordinator"]
    chosen = coordinators or active
    return chosen[0] if chosen else None


def key_pinned(db: Database) -> bool:
    return bool(pinned_key(db))


def pinned_in(session: Session) -> str:
    with session.no_autoflush:
        return trust.pinned(session)


def pinned_key(db: Database) -> str:
    with db.reading() as session:
        return trust.pinned(session)


def honoured(db: Database, worker: Worker) -> bool:
    """Whether this laptop honours `worker`'s row as it stands (store.trust)."""
    return trust.trusted(worker, pinned_key(db))


def every_account(db: Database) -> list[Worker]:
    """Every row, deleted and inactive ones included (security.slots takes their slots away)."""
    with db.reading() as session:
        return list(session.exec(select(Worker).order_by(Worker.name)))


def unsigned(db: Database) -> list[Worker]:
    """Accounts this laptop does not honour as they stand (none before a key is pinned)."""
    with db.reading() as session:
        public = trust.pinned(session)
        rows = session.exec(select(Worker).where(col(Worker.deleted_at).is_(None)).order_by(Worker.name))
        return [w for w in rows if not trust.trusted(w, public)]


def sign_all(
    db: Database, actor: uuid.UUID, keys: AccountKeys, shown: dict[uuid.UUID, tuple[str, str, bool]]
) -> list[str]:
    """Sign the accounts `shown` (name, role, active as the coordinator saw them), in one
    transaction; one that changed since (a sync meanwhile) is left for another look. The names."""
    with db.transaction() as session:
        require_role(session, actor, "hub.init")
        signed = _sign_as_shown(db, session, keys, shown, keep_pairs=False)
        audit.record(session, db, actor, "account.sign", detail=f"{len(signed)} accounts")
        return signed


def _sign_as_shown(
    db: Database,
    session: Session,
    keys: AccountKeys,
    shown: dict[uuid.UUID, tuple[str, str, bool]],
    *,
    keep_pairs: bool = True,
    hub_pairs: dict[str, str] | None = None,
) -> list[str]:
    """Sign each account in `shown` that still stands as shown; the names signed. Without
    `keep_pairs` (`hub sign`, once a key is pinned: not `hub init`), a key pair the current
    signature does not cover is dropped rather than signed (store.trust.keep_signed_pair)."""
    signed = []
    public = pinned_in(session)
    for worker in session.exec(select(Worker).where(col(Worker.id).in_(list(shown))).order_by(Worker.name)):
        if shown[worker.id] != (worker.name, worker.role, bool(worker.active)) or worker.deleted_at is not None:
            continue
        if not keep_pairs:
            trust.keep_signed_pair(worker, public)
        elif hub_pairs is not None and worker.public_key != hub_pairs.get(worker.name, ""):
            worker.public_key, worker.wrapped_key = "", ""  # (swapped in here: not the hub's)
        trust.sign_row(session, worker, keys)
        session.add(touch(db, worker))
        signed.append(worker.name)
    return signed


def adopt_org_key(
    db: Database,
    actor: uuid.UUID,
    public: str,
    wrapped: str,
    keys: AccountKeys,
    shown: dict[uuid.UUID, tuple[str, str, bool]],
    hub_pairs: dict[str, str] | None = None,
) -> list[str]:
    """After `hub init`: pin the key, keep this coordinator's wrapped copy and sign the accounts
    as `shown` to him, in one transaction (a cut-off init leaves nothing half done here). One
    that changed since it was shown is left for `hub sign`. The names signed."""
    with db.transaction() as session:
        # Holding the accepted key stands in for the role check: once it is pinned here (at the
        # sync before this), no row is honoured until this signs it, the coordinator's included.
        me = get_live(session, Worker, actor, "Medewerker")
        if keys.signer is None or keys.signer.public != public:
            raise ValidationError("worker", trust.NEEDS_KEY)
        require(me.role if me.active else "", "hub.init")
        trust.pin(session, public)
        me.org_key = wrapped
        signed = _sign_as_shown(db, session, keys, shown, hub_pairs=hub_pairs)
        audit.record(session, db, actor, "hub.org_key", detail=f"{len(signed)} accounts")
        return signed
