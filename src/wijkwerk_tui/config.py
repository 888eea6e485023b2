"""Where things live on this device. Nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "wijkwerk"
DB_ENV = "WIJKWERK_DB"


def data_dir() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH` first, then WIJKWERK_DB, then the per-user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    return data_dir() / "wijkwerk.db"


def keyfile_path(db_path: Path) -> Path:
    """The key file beside a database (or beside a backup: the one of that time)."""
    return db_path.with_name(db_path.name + ".keys")


def demo_db_path(residents: int, seed: int) -> Path:
    """Demo databases live in their own folder, one file per size and seed."""
    return data_dir() / "demo" / f"demo-{residents}-{seed}.db"


EXPORT_ENV = "WIJKWERK_EXPORTS"


def export_dir() -> Path:
    """Where exports go unless a coordinator chose a folder: WIJKWERK_EXPORTS, else `exports/`
    in the app's own data folder (Documents is often synced to a cloud: OneDrive, iCloud)."""
    if os.environ.get(EXPORT_ENV):
        return Path(os.environ[EXPORT_ENV]).expanduser()
    return data_dir() / "exports"
