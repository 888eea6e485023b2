"""What the app needs before anyone logs in: which gate to show, and the key file's names.

Deliberately light (no database layer, no crypto): the login screen is on screen before
the rest of the app has loaded.
"""

from __future__ import annotations

from pathlib import Path

from wijkwerk_tui.security.keyfile import keyfile_path


def state(db_path: Path) -> str:
    """ "new" (first run: set up), "ready" (log in) or "unprotected" (a plain file, refused)."""
    if keyfile_path(db_path).exists():
        return "ready"
    if db_path.exists() and db_path.stat().st_size > 0:
        return "unprotected"
    return "new"
