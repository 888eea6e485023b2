"""Wiping a revoked laptop (lost or stolen): everything of this database on this device goes.

The key files go first, each overwritten before it is removed: without them the database
and its backups are random bytes, so a wipe cut off halfway (power, kill -9) has already
done what matters. Then the database, its WAL and the files beside it, its backups and
restore copies. The files of other databases in the same folder are not touched.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from wijkwerk_tui.ops.backup import backup_dir


def files_of(db_path: Path) -> list[Path]:
    """This database's files on this device, key files first: the database and what SQLite and
    wijkwerk keep beside it (`-wal`, `.keys`, `.erased`, `.voor-herstel-…`), its backups
    (`backups/<stem>-YYYYmmdd-HHMMSS.db…`) and its restore note."""
    name = db_path.name
    beside = [
        p for p in _files(db_path.parent) if p.name == name or p.name[: len(name) + 1] in (f"{name}-", f"{name}.")
    ]
    mine = re.compile(rf"{re.escape(db_path.stem)}(-\d{{8}}-\d{{6}}\.(db|partial)|\.restored\.json)")
    kept = [p for p in _files(backup_dir(db_path)) if mine.match(p.name)]
    return sorted(beside + kept, key=lambda p: (not p.name.endswith(".keys"), str(p)))


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []


def wipe(db_path: Path) -> int:
    """Remove every file of this database (see `files_of`); how many went. One that cannot be
    removed does not stop the others."""
    gone = 0
    for path in files_of(db_path):
        if path.name.endswith(".keys"):
            _overwrite(path)
        try:
            path.unlink(missing_ok=True)
        except OSError:
            continue
        gone += 1
    backups = backup_dir(db_path)
    if backups.is_dir() and not any(backups.iterdir()):
        shutil.rmtree(backups, ignore_errors=True)
    return gone


def _overwrite(path: Path) -> None:
    """Zeros over the key file, on disk before it is removed (an SSD may keep the old blocks:
    the wrapped keys there still need a worker's passphrase)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        pass  # removed below all the same
