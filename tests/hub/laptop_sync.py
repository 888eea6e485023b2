"""Run by the fault tests as its own process: open a laptop's database and sync, to be killed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.services import sync

if __name__ == "__main__":
    db = open_database(Path(sys.argv[1]), key=bytes.fromhex(os.environ["TEST_DB_KEY"]))
    print("open", flush=True)
    sync.sync(db)
    print("done", flush=True)
