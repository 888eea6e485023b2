"""One sync at a time per database file, across processes (the app's runs in a child;
`wijkwerk sync`): a lock file beside the database. Opening the file takes it for a moment
too when a join left indexes to build (db.bulk_load), so they are never built under a join
that is still running."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Busy(Exception):
    """Another process holds the sync lock of this file."""


@contextmanager
def one_sync(path: Path) -> Iterator[None]:
    import fcntl

    with open(f"{path}.sync-lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy from None
        yield
