"""The register of erased residents: their ids (nothing else), in a file beside the database.

An erasure on request (AVG art. 17) must hold: restoring a backup made before it, or putting
an older copy of the file in place, must not bring the person back. The register lives
outside the database, so neither undoes it, and is applied again (`services.privacy`)
after a restore and at every login.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from pathlib import Path


def register_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".erased")


def erased_ids(db_path: Path) -> set[uuid.UUID]:
    try:
        data = json.loads(register_path(db_path).read_text(encoding="utf-8"))
        return {uuid.UUID(str(item)) for item in data}
    except FileNotFoundError:
        return set()
    except (OSError, ValueError, TypeError):  # a damaged register is rebuilt from the next erasure on
        return set()


def add(db_path: Path, resident_id: uuid.UUID) -> None:
    """Write the id down (atomically: a crash never leaves half a register)."""
    ids = sorted(str(i) for i in erased_ids(db_path) | {resident_id})
    path = register_path(db_path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(ids, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
