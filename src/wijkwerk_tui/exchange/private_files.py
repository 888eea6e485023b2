"""Files that leave the encrypted database: readable only by the user who made them.

Exports are plaintext by design (a municipality reads the report, a resident their inzage),
so each is created 0600 from the start (no moment in which another user could open it) in a
folder that is 0700 when wijkwerk made it.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_folder(folder: Path) -> Path:
    """Create `folder` for this user only (an existing folder someone chose keeps its mode)."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is filtered through the umask
    return folder


def private_file(path: Path) -> Path:
    """Create (or empty) `path` as 0600 before anything is written to it."""
    private_folder(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)  # an existing file keeps its old mode through open()
    return path
