"""The demo database: encrypted like a real one, with a passphrase the login screen shows."""

from __future__ import annotations

from pathlib import Path

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.clock import Clock, system_clock
from wijkwerk_tui.ops.demo_file import build_or_reuse
from wijkwerk_tui.security import kdf
from wijkwerk_tui.security.keyfile import KeyFile, KeyFileError, Slot, keyfile_path, new_database_key
from wijkwerk_tui.store import workers

DEMO_PASSPHRASE = "demo-wijkwerk"


def ensure_demo(path: Path, residents: int, seed: int, clock: Clock = system_clock) -> tuple[Path, bool]:
    """Reuse the demo at `path` when its key file opens it; otherwise build it afresh."""
    keys = keyfile_path(path)
    if path.exists():
        try:
            keyfile = KeyFile.load(keys)
            key = keyfile.slots[0].open(DEMO_PASSPHRASE) if keyfile.is_demo and keyfile.slots else None
        except KeyFileError:
            key = None
        if key is not None:
            return build_or_reuse(path, residents, seed, clock, key)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), keys):
            stale.unlink(missing_ok=True)
    key = new_database_key()
    keyfile = KeyFile(keys, demo_passphrase=DEMO_PASSPHRASE)

    def accounts(db: Database) -> None:
        # Every demo worker gets the demo passphrase; the first coordinator is the CLI's default.
        digest = kdf.hash_passphrase(DEMO_PASSPHRASE)
        for worker in workers.list_workers(db):
            workers.set_passphrase_hash(db, worker.id, worker.id, digest)
            keyfile.put(Slot.seal(str(worker.id), worker.name, DEMO_PASSPHRASE, key))
        first = workers.default_worker(db)
        keyfile.demo_user = first.name if first else ""
        keyfile.save()

    return build_or_reuse(path, residents, seed, clock, key, before_move=accounts)
