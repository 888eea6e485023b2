"""A laptop joining a grown organisation, and searching while a sync runs (issue 17). One command:

    python benchmarks/hub_join.py --residents 100000

starts a throwaway PostgreSQL cluster (tests/hub/postgres.py: a Unix socket, fsync off) and a
hub process on 127.0.0.1. The benchmark's demo database of that many residents (built once by
benchmarks/run.py, cached in benchmarks/.cache) is copied and joins as the organisation's first
laptop: everything it holds is queued (join_queue_s) and pushed (first_push_s); the hub's
database is vacuumed and checkpointed (hub_vacuum_s, as autovacuum would have long before a
laptop joins a grown organisation). Then a new,
empty laptop joins and takes the whole organisation in (hub_join_s: the issue's
hub_join_100k_s at 100 000 residents). Last, on that laptop: search-as-you-type queries and
opening a file, first alone and then while a sync takes in 10 000 changes another laptop made
(search_during_sync_ratio, open_during_sync_ratio: p95 during three syncs against p95 of the
same activity alone just before each; the other laptop's new residents are named Oosterhuis,
which nobody searches, so "alone" stays comparable), and the same sync with nobody reading
(sync_idle_s: the sync rests only while a worker reads, db.in_use), twice: with the hub
and PostgreSQL as they run for the join (`hub_here`), and at the lowest priority (`hub_as_server`:
an organisation's hub runs on its server, not on the laptop's two cores). Measurements, not
tests; results in benchmarks/hub_join.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # tests.hub.postgres, tests.hub.hub_process
sys.path.insert(0, str(HERE))  # run.py: the cached demo databases and their login

PASS = "correct horse battery staple"
UNSEARCHED = "Oosterhuis"  # the other laptop's new residents: in no search below
QUERIES = ["jansen", "de vries", "bakker", "van dijk", "mulder", "visser", "smit"]


def _timed(action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    return round(time.perf_counter() - start, 2), result


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _rows(db) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from wijkwerk_tui.db.sync_codec import SYNCED, table_of

    with db.engine.connect() as connection:
        return sum(int(connection.execute(select(func.count()).select_from(table_of(n))).scalar() or 0) for n in SYNCED)


def _searches(db) -> list[float]:  # type: ignore[no-untyped-def]
    from wijkwerk_tui.queries import search

    out = []
    for query in QUERIES:
        for n in range(1, len(query) + 1):
            start = time.perf_counter()
            search.search_residents(db, query[:n], limit=101, tolerant=True)
            out.append(time.perf_counter() - start)
    return out


def _opens(db, actor, ids) -> list[float]:  # type: ignore[no-untyped-def]
    """What the resident screen reads before its first frame (timed); then, as it shows, the
    view's audit entry (not timed: the user does not wait for it; during a sync it waits for
    the end of the sync's page)."""
    from wijkwerk_tui.services import resident_file
    from wijkwerk_tui.ui.screens.resident.resident import fetch

    out = []
    for resident_id in ids:
        start = time.perf_counter()
        fetch(db, actor, resident_id)
        out.append(time.perf_counter() - start)
        resident_file.record_view(db, actor, resident_id)
    return out


def _activity(db, actor, ids, searches: list[float], opens: list[float]) -> None:  # type: ignore[no-untyped-def]
    """A worker at the keyboard: search-as-you-type for seven names, and ten files opened."""
    searches += _searches(db)
    opens += _opens(db, actor, ids[:10])


def _as_server(hub_pid: int, socket: Path) -> None:
    """The hub and its PostgreSQL at the lowest priority: on a real organisation they run on a
    server, not on the laptop's two cores (here they would take CPU from the app being timed).
    Connections PostgreSQL opens later inherit it from the postmaster. Every thread: Linux
    gives each its own priority, and the hub answers from a pool of threads started before."""
    postmaster = int((socket.parent / "data" / "postmaster.pid").read_text().split()[0])
    pids = {hub_pid, postmaster}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                pids.add(int(stat.parent.name))
    threads = {int(task.name) for pid in pids for task in Path(f"/proc/{pid}/task").glob("[0-9]*")}
    for tid in threads | pids:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, tid, 19)


def _settle(database: str) -> None:
    """VACUUM (ANALYZE) and a checkpoint of the hub's database, as after any bulk load."""
    from sqlalchemy import create_engine

    engine = create_engine(database, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE)")
            connection.exec_driver_sql("CHECKPOINT")
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--during", type=int, default=10_000, help="changes taken in while searching")
    parser.add_argument("--rounds", type=int, default=6, help="syncs timed against, each after the same alone")
    parser.add_argument("--out", type=Path, default=HERE / "hub_join.json")
    args = parser.parse_args()
    from run import ensure_db, login  # type: ignore[import-not-found]
    from sync_speed import make_changes  # type: ignore[import-not-found]

    from tests.hub.hub_process import running_hub
    from tests.hub.laptops import invite
    from tests.hub.postgres import cluster, new_database
    from wijkwerk_tui.config import keyfile_path
    from wijkwerk_tui.crypto import kdf
    from wijkwerk_tui.queries import search
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.services import sync
    from wijkwerk_tui.services.sync_process import sync_apart

    source = ensure_db(args.residents, HERE / ".cache")
    kdf.use_params(kdf.KdfParams(time_cost=1, memory_kib=64, parallelism=1))  # setup is not measured
    with cluster() as socket, tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "first.db"
        shutil.copyfile(source, copy)
        shutil.copyfile(keyfile_path(source), keyfile_path(copy))
        database = new_database(socket)
        with running_hub(database) as hub:
            first = login(copy)
            rows = _rows(first.db)
            queue_s, queued = _timed(lambda: sync.join(first.db, first.worker_id, hub.url, invite(database), "a"))
            push_s, _ = _timed(lambda: sync.sync(first.db))
            # What autovacuum would have done long before a laptop joins a grown organisation:
            # otherwise it runs during what is timed next, taking a core and the disk.
            settle_s, _ = _timed(lambda: _settle(database))
            second, _code = vault.setup(Path(folder) / "second.db", "Bench", ["Elders"], "Nieuw", PASS, PASS)
            sync.join(second.db, second.worker_id, hub.url, invite(database), "b")
            join_s, joined = _timed(lambda: sync.sync(second.db))
            db = second.db
            ids = [r.id for r in search.search_residents(db, "jansen", limit=40)]
            # The same activity alone and during the sync (the writes of views included: any
            # commit makes the reading connection drop its page cache); once first, untimed.
            alone: list[float] = []
            opens_alone: list[float] = []
            _activity(db, second.worker_id, ids, [], [])
            for _ in range(5):
                _activity(db, second.worker_id, ids, alone, opens_alone)
            runs = {}
            for where in ("hub_here", "hub_as_server"):
                if where == "hub_as_server":
                    _as_server(hub.process.pid, socket)
                # Several syncs, each just after the same activity alone on the data it starts
                # from: one p95 of ~400 timings moved by a fifth between runs of the same code.
                during: list[float] = []
                opens_during: list[float] = []
                before: list[float] = []
                opens_before: list[float] = []
                pull_s = []
                for _ in range(args.rounds):
                    make_changes(first, args.during, UNSEARCHED)
                    sync.sync(first.db)
                    for _ in range(2):
                        _activity(db, second.worker_id, ids, before, opens_before)
                    pulling = threading.Thread(target=lambda: sync_apart(db))  # as the app syncs: its own process
                    pull_start = time.perf_counter()
                    pulling.start()
                    while pulling.is_alive():
                        _activity(db, second.worker_id, ids, during, opens_during)
                    pulling.join()
                    pull_s.append(round(time.perf_counter() - pull_start, 2))
                make_changes(first, args.during, UNSEARCHED)
                sync.sync(first.db)
                idle_s, _ = _timed(lambda: sync_apart(db))  # nobody reads: no rests
                runs[where] = (during, opens_during, before, opens_before, statistics.median(pull_s), idle_s)
    ms = 1000
    figures = {
        "residents": args.residents,
        "rows": rows,
        "join_queue_s": queue_s,
        "queued": queued,
        "first_push_s": push_s,
        "hub_vacuum_s": settle_s,
        "hub_join_s": join_s,
        "hub_join_pulled": joined.pulled,
        "search_p95_ms_alone": round(_p95(alone) * ms, 1),
        "open_p95_ms_alone": round(_p95(opens_alone) * ms, 1),
    }
    for where, (during, opens_during, before, opens_before, pull_s, idle_s) in runs.items():
        figures |= {
            f"{where}.search_p95_ms_alone": round(_p95(before) * ms, 1),
            f"{where}.search_p95_ms_during_sync": round(_p95(during) * ms, 1),
            f"{where}.search_during_sync_ratio": round(_p95(during) / _p95(before), 2),
            f"{where}.searches_during_sync": len(during),
            f"{where}.open_p95_ms_alone": round(_p95(opens_before) * ms, 1),
            f"{where}.open_p95_ms_during_sync": round(_p95(opens_during) * ms, 1),
            f"{where}.open_during_sync_ratio": round(_p95(opens_during) / _p95(opens_before), 2),
            f"{where}.open_median_ms_during_sync": round(statistics.median(opens_during) * ms, 1),
            f"{where}.sync_during_s": pull_s,
            f"{where}.sync_idle_s": idle_s,
        }
    args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
