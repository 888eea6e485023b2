"""The demo database: encrypted like a real one, with a passphrase the login screen shows."""

from __future__ import annotations

from pathlib import Path

from wijkwerk_tui.crypto import kdf
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.clock import Clock, system_clock
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.ops.demo_file import build_or_reuse
from wijkwerk_tui.security import slots
from wijkwerk_tui.security.gate import database_salt
from wijkwerk_tui.security.keyfile import KeyFile, KeyFileError, keyfile_path, new_database_key
from wijkwerk_tui.store import workers
from wijkwerk_tui.store.trust import OwnKey

DEMO_PASSPHRASE = "demo-wijkwerk"


class NotADemo(DomainError):
    """The path holds something that is not this demo: it is never replaced or deleted."""


def ensure_demo(path: Path, residents: int, seed: int, clock: Clock = system_clock) -> tuple[Path, bool]:
    """Reuse the demo at `path` when its key file opens it, or build one where there is nothing.

    Anything else at `path` (a real database, a key file of one, a database without its key
    file) is refused, never deleted: a real key file is the only way into its database and
    into every backup of it.
    """
    keys = keyfile_path(path)
    has_database = path.exists() and path.stat().st_size > 0
    if keys.exists():
        try:
            keyfile = KeyFile.load(keys)
        except KeyFileError:
            raise NotADemo(
                f"Naast {path.name} staat een sleutelbestand dat geen demo is; er is niets veranderd. "
                "Kies voor de demo een ander pad met --db, of laat --db weg."
            ) from None
        if not keyfile.is_demo:
            raise NotADemo(
                f"{path.name} is een echte wijkwerk-database; de demo raakt die niet aan. "
                "Kies voor de demo een ander pad met --db, of laat --db weg."
            )
        key = keyfile.slots[0].open(DEMO_PASSPHRASE) if keyfile.slots and has_database else None
        if key is not None:
            return build_or_reuse(path, residents, seed, clock, key)
        if has_database:
            raise NotADemo(
                f"De demodatabase {path.name} opent niet met haar sleutelbestand; er is niets veranderd. "
                "Verwijder beide bestanden zelf, of kies een ander pad met --db."
            )
    elif has_database:
        raise NotADemo(
            f"Op {path.name} staat al een database zonder sleutelbestand; de demo raakt die niet aan. "
            "Kies voor de demo een ander pad met --db, of laat --db weg."
        )
    key = new_database_key()
    keyfile = KeyFile(keys, demo_passphrase=DEMO_PASSPHRASE)

    def accounts(db: Database) -> None:
        # Every demo worker gets the demo passphrase; the first coordinator is the CLI's default.
        digest = kdf.hash_passphrase(DEMO_PASSPHRASE)
        for worker in workers.list_workers(db):
            own = slots.new_pair(DEMO_PASSPHRASE, worker.name)  # (each: one Argon2id, as a slot was)

            def seal(row: Worker, own: OwnKey = own) -> None:
                keyfile.put(slots.slot_after(row, DEMO_PASSPHRASE, key, own))

            workers.set_passphrase_hash(db, worker.id, worker.id, digest, then=seal, own=own)
        first = workers.default_worker(db)
        keyfile.demo_user = first.name if first else ""
        keyfile.belongs_to(database_salt(db.path))
        keyfile.save()

    return build_or_reuse(path, residents, seed, clock, key, before_move=accounts)
