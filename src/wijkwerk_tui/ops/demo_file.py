"""The demo database file: built once per size and seed, never left half-made."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.domain.clock import Clock, system_clock
from wijkwerk_tui.ops.demo_data import build_demo
from wijkwerk_tui.store.residents import count_residents


def build_or_reuse(
    path: Path,
    residents: int,
    seed: int,
    clock: Clock = system_clock,
    key: bytes | None = None,
    before_move: Callable[[Database], None] | None = None,
) -> tuple[Path, bool]:
    """Reuse the demo database at `path`, or build it. Returns (path, built_now).

    It is built under a temporary name and moved into place when complete, so a build
    that is interrupted never leaves a half-filled demo behind. `before_move` runs on
    the finished database (the accounts' passphrases are set there).
    """
    if path.exists():
        db = open_database(path, clock, key)
        try:
            if count_residents(db) > 0:
                return path, False
        finally:
            db.close()
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    db = open_database(partial, clock, key)
    try:
        build_demo(db, residents=residents, seed=seed)
        if before_move:
            before_move(db)
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    for side in (".write-turn", ".open-lock"):  # (nobody writes or opens the partial file any more)
        Path(f"{partial}{side}").unlink(missing_ok=True)
    return path, True
