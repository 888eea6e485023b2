"""Writers of one database file take turns through a lock file, polled every half millisecond.

SQLite makes a writer that finds the file locked sleep and retry with growing pauses (up to
100 ms each), so a file opened while the app's sync process wrote waited for the pause, not
for the write. The turn is taken before SQLite's own lock, in every wijkwerk process and
thread that writes; a writer that cannot take it in time (a holder stuck, a file system
without locks, Windows without `fcntl`) goes on to SQLite's lock, which still decides.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: SQLite's lock alone
    fcntl = None  # type: ignore[assignment]

POLL_S = 0.0005  # between tries while another writer has the turn


@contextmanager
def write_turn(path: Path, timeout_s: float) -> Iterator[None]:
    try:
        handle = os.open(f"{path}.write-turn", os.O_CREAT | os.O_RDWR, 0o600) if fcntl else -1
    except OSError:
        handle = -1  # (a read-only folder)
    if handle < 0:
        yield
        return
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(POLL_S)
            except OSError:
                break  # (no locks on this file system)
        yield
    finally:
        os.close(handle)  # (closing lets go of the turn)
