"""The app's sync, in a process of its own.

sqlcipher3 holds Python's GIL for the whole of every SQLite call, so a sync taking a page in
on a thread of the app makes a search typed meanwhile wait (measured: 3.5x slower at p95 with
100 000 residents). In a child process the two share nothing but the file (WAL: readers never
wait for the writer). The database key goes to the child through a pipe, never in its
arguments or environment; the child answers with one line of JSON and nothing else (its
errors are not shown: they could hold personal data).

Run as `python -m wijkwerk_tui.services.sync_process` by `sync_apart`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

from wijkwerk_tui.db.engine import Database, open_database, restart_sync_clock
from wijkwerk_tui.services import sync

TIMEOUT_S = 30 * 60  # a first join of a large organisation takes minutes, not hours
NICENESS = 10


def sync_apart(db: Database, page: int = sync.APP_PAGE) -> sync.SyncResult:
    """`sync.sync` for this database, run by a child process; SyncError (Dutch) as there.
    Afterwards this process takes over the device id and clock the child may have moved."""
    request = {
        "db": str(db.path),
        "key": db.key.hex() if db.key is not None else None,
        "actor": str(db.actor) if db.actor else None,
        "page": page,
    }
    try:
        with db.syncing_elsewhere():
            done = subprocess.run(
                [sys.executable, "-m", "wijkwerk_tui.services.sync_process"],
                input=json.dumps(request),
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        answer = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    except (OSError, subprocess.SubprocessError, ValueError):
        answer = {}
    finally:
        restart_sync_clock(db)
    if answer.get("ontkoppeld") is True:  # (set by the child only when the hub proved it)
        raise sync.LaptopRevoked()
    if "fout" in answer:
        raise sync.SyncError(str(answer["fout"]), offline=bool(answer.get("offline")), code=str(answer.get("code", "")))
    if "pushed" not in answer:
        raise sync.SyncError("Synchroniseren is niet gelukt. Alles blijft bewaard; het wordt later opnieuw geprobeerd.")
    sync.finish_erasures(db)  # (what the child could not: this process's read snapshot held the WAL)
    return sync.SyncResult(
        int(answer["pushed"]),
        int(answer["pulled"]),
        int(answer["conflicts"]),
        bool(answer.get("copied")),
        int(answer.get("alerts") or 0),
        int(answer.get("came") or 0),
        frozenset(uuid.UUID(str(i)) for i in answer.get("gone") or []),
    )


def _run(request: dict[str, Any]) -> dict[str, Any]:
    key = request.get("key")
    db = open_database(Path(request["db"]), key=bytes.fromhex(key) if key else None)
    try:
        db.actor = uuid.UUID(request["actor"]) if request.get("actor") else None
        result = sync.sync(db, int(request.get("page") or sync.APP_PAGE))
    except sync.LaptopRevoked as error:
        return {"fout": error.message, "ontkoppeld": True}
    except sync.SyncError as error:
        return {"fout": error.message, "offline": error.offline, "code": error.code}
    finally:
        db.close()
    return {
        "pushed": result.pushed,
        "pulled": result.pulled,
        "conflicts": result.conflicts,
        "copied": result.copied,
        "alerts": result.alerts,
        "came": result.came,
        "gone": sorted(str(i) for i in result.gone),
    }


def _in_the_background() -> None:
    """The sync is background work: a search typed or a file opened in the app goes first
    for the CPU (laptops in village halls have two cores, and the sync keeps one busy)."""
    with suppress(AttributeError, OSError):  # (no `nice` on Windows)
        os.nice(NICENESS)


if __name__ == "__main__":
    _in_the_background()
    try:
        said = _run(json.loads(sys.stdin.read()))
    except Exception:  # noqa: BLE001 - nothing of it is shown or logged: it may hold personal data
        said = {}
    print(json.dumps(said), flush=True)
