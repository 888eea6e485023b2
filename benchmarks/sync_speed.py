"""Sync speed (issue 17). One command:

    python benchmarks/sync_speed.py --changes 10000

starts a throwaway PostgreSQL cluster (tests/hub/postgres.py: a Unix socket, fsync off) and a
hub process on 127.0.0.1, joins an encrypted laptop, makes `--changes` changes on it in one
transaction (new residents, a placement each, and their audit entries, as an import would
make them), and measures the push
of all of them (sync_push_s), then a second laptop joining and pulling them (sync_pull_s), then
the first laptop's next sync with nothing new (idle_sync_s). Measurements, not tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # tests.hub.postgres, tests.hub.hub_process

PASS = "correct horse battery staple"


def _laptop(folder: Path, name: str, hub_url: str, database: str):  # type: ignore[no-untyped-def]
    from tests.hub.laptops import invite
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.services import sync

    session, _code = vault.setup(folder / f"{name}.db", "Bench", [f"Gebied {name}"], f"Coördinator {name}", PASS, PASS)
    sync.join(session.db, session.worker_id, hub_url, invite(database), name)
    return session


def make_changes(session, count: int, family: str = "Jansen") -> None:  # type: ignore[no-untyped-def]
    from wijkwerk_tui.domain.ladders import Ladder
    from wijkwerk_tui.domain.names import PersonalData
    from wijkwerk_tui.store import ladders, residents

    people = count // 4  # a resident, his placement, and the audit entry of each: four changes
    with session.db.transaction() as transaction:
        made = residents.create_many_in(
            transaction,
            session.db,
            session.worker_id,
            [
                residents.NewResident(PersonalData(f"Naam{i}", "", family, 1950), None, None, None)
                for i in range(people)
            ],
        )
        ladders.record_many_in(
            transaction,
            session.db,
            session.worker_id,
            [ladders.Placement(r.id, Ladder.PARTICIPATION, 3, date(2026, 11, 2)) for r in made],
        )


def _timed(action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    return round(time.perf_counter() - start, 2), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=HERE / "sync_speed.json")
    args = parser.parse_args()
    from tests.hub.hub_process import running_hub
    from tests.hub.postgres import cluster, new_database
    from wijkwerk_tui.crypto import kdf
    from wijkwerk_tui.services import sync

    kdf.use_params(kdf.KdfParams(time_cost=1, memory_kib=64, parallelism=1))  # setup is not measured
    with cluster() as socket, tempfile.TemporaryDirectory() as folder:
        database = new_database(socket)
        with running_hub(database) as hub:
            first = _laptop(Path(folder), "a", hub.url, database)
            sync.sync(first.db)
            make_changes(first, args.changes)
            waiting = sync.status(first.db).waiting
            get = sync.settings.get
            url, token, epoch = (
                get(first.db, sync.HUB_URL),
                get(first.db, sync.HUB_TOKEN),
                get(first.db, sync.HUB_EPOCH),
            )
            with sync.hub_client(url, token, epoch) as client:
                push_s, (pushed, _conflicts) = _timed(lambda: sync.push(first.db, client))
            second = _laptop(Path(folder), "b", hub.url, database)
            pull_s, result = _timed(lambda: sync.sync(second.db))
            idle_s, _ = _timed(lambda: sync.sync(first.db))
    figures = {
        "changes": waiting,
        "sync_push_s": push_s,
        "pushed": pushed,
        "sync_pull_s": pull_s,
        "pulled": result.pulled,
        "idle_sync_s": idle_s,
    }
    args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
