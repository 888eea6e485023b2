"""A new database key survives kill -9 at random moments (issue 18): 20 times a process giving
the key is killed somewhere in its steps; each time the next login finishes or undoes it,
nothing is lost, no copy stays behind, every backup opens with the key the database has, and
the key the database had before opens nothing once the login is done."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PASS, FakeClock
from wijkwerk_tui.db import open_lock
from wijkwerk_tui.db.engine import DatabaseError, open_database
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import rekey, vault
from wijkwerk_tui.security.keyfile import REKEY_DUE, KeyFile, keyfile_path

COORDINATOR = "Sanne Kuiper"
FILLER = 6000  # rows of 1 KiB: a copy takes long enough for kills to land in every step
KILLS = 20

CHILD = """
import json, sys
from pathlib import Path
from wijkwerk_tui.security import rekey
job = json.loads(sys.stdin.readline())
print("ready", flush=True)
rekey.rekey(Path(job["path"]), bytes.fromhex(job["key"]))
print("done", flush=True)
"""


def _fill(path: Path, key: bytes) -> None:
    db = open_database(path, key=key)
    try:
        with db.transaction() as session:
            for n in range(FILLER):
                session.connection().exec_driver_sql(
                    "INSERT INTO setting (key, value) VALUES (?, ?)", (f"filler.{n}", f"{n:06d}" * 170)
                )
    finally:
        db.close()


def _content(path: Path, key: bytes) -> tuple[int, str]:
    db = open_database(path, key=key)
    try:
        with db.engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT count(*), max(value) FROM setting WHERE key LIKE 'filler.%'"
            ).fetchone()
    finally:
        db.close()
    assert row is not None
    return int(row[0]), str(row[1])


def _due(path: Path) -> None:
    """As a slot removed here marks it."""
    keys = KeyFile.load(keyfile_path(path))
    with keys.locked():
        keys = KeyFile.load(keys.path)
        keys.rekey_due = REKEY_DUE
        keys.write_as_is()


def _give_key_in_a_child(path: Path, key: bytes, kill_after_s: float | None) -> float:
    """Run a rekey in its own process; kill -9 it `kill_after_s` after it began. How long it ran."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(json.dumps({"path": str(path), "key": key.hex()}) + "\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "ready"  # (the event: imports done, the rekey begins)
    began = time.monotonic()
    if kill_after_s is None:
        assert child.stdout.readline().strip() == "done"
        took = time.monotonic() - began
    else:
        time.sleep(kill_after_s)  # (the random moment is the point of this test)
        child.send_signal(signal.SIGKILL)
        took = kill_after_s
    child.wait(timeout=120)
    return took


def _current_key(path: Path, clock: FakeClock) -> bytes:
    """The next login: it settles (and gives the key when still due)."""
    session = vault.login(path, COORDINATOR, PASS, clock)
    key = session.db.key
    session.db.close()
    assert key is not None
    return key


def test_kill_9_at_random_moments_while_the_key_is_given(setup_db, clock: FakeClock) -> None:
    session, _code, path = setup_db
    key = session.db.key
    assert key is not None
    backup.make_backup(session.db, session.worker_id)
    session.db.close()
    _fill(path, key)
    before = _content(path, key)
    _due(path)
    whole = _give_key_in_a_child(path, key, None)  # once to the end: how long it takes
    key = _current_key(path, clock)
    seed = random.randrange(10**6)
    chance = random.Random(seed)
    for attempt in range(KILLS):
        _due(path)
        _give_key_in_a_child(path, key, chance.uniform(0, whole))
        where = f"seed {seed}, kill {attempt}"
        with open_lock.shared(path):  # what every opening does first
            rekey.settle(path)
        assert not list(path.parent.glob("*.rekey*")), where
        assert KeyFile.load(keyfile_path(path)).rekey_next == {}, where
        try:  # the old key holds and the new one is still due, or the new one holds
            _content(path, key)
        except DatabaseError:
            assert not KeyFile.load(keyfile_path(path)).rekey_due, where
        else:
            assert KeyFile.load(keyfile_path(path)).rekey_due, where
        now = _current_key(path, clock)
        assert now != key, where  # given, by the child or by the login after it
        assert _content(path, now) == before, where
        try:
            open_database(path, key=key).close()
        except DatabaseError:
            pass
        else:
            raise AssertionError(f"the old key still opens the database ({where})")
        assert all(backup.is_good(b, now) for b in backup.list_backups(path)), where
        key = now
