"""A revoked laptop (lost or stolen) wipes what it holds: the database with its key files,
WAL and backups (`ops.wipe`), and the exports wijkwerk wrote (an inzage holds a whole file)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from wijkwerk_tui.exchange import export_folder
from wijkwerk_tui.ops import wipe


def wipe_laptop(db_path: Path, export_folders: Iterable[Path]) -> int:
    """How many files went."""
    gone = wipe.wipe(db_path)
    for folder in set(export_folders):
        gone += export_folder.remove([f.path for f in export_folder.list_exports(folder)])
    return gone
