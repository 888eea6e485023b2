"""A laptop given areas in a grown organisation (issue 18: each laptop holds only what its
workers need). One command:

    python benchmarks/laptop_scope.py --residents 100000

starts a throwaway PostgreSQL cluster and a hub process (as benchmarks/hub_join.py), pushes the
cached demo database of that many residents as the organisation's first laptop, then joins a new
laptop given one area and measures: its first sync (scoped_join_s: the feed with every other
resident left out, then its residents sent whole), a sync with nothing new (scoped_resync_s:
the hub works out the laptop's residents again, every sync), and at the hub a page of the feed
for it against one for a laptop without areas (feed_page_ms_*). With --narrow, a second laptop
takes the whole organisation in and is then given one area (narrow_s: its next sync drops the
rest). Measurements, not tests; results in benchmarks/laptop_scope.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

PASS = "correct horse battery staple"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--narrow", action="store_true", help="also a laptop holding everything given one area")
    parser.add_argument("--out", type=Path, default=HERE / "laptop_scope.json")
    args = parser.parse_args()
    from run import ensure_db, login  # type: ignore[import-not-found]
    from sqlmodel import func, select
    from sync_speed import _timed  # type: ignore[import-not-found]

    from tests.hub.hub_process import running_hub
    from tests.hub.laptops import invite
    from tests.hub.postgres import cluster, new_database
    from wijkwerk_tui.config import keyfile_path
    from wijkwerk_tui.crypto import kdf
    from wijkwerk_tui.db.tables import Area, Resident
    from wijkwerk_tui.hub import devices, feed, scope
    from wijkwerk_tui.hub.serve import hub_engine
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.services import sync

    source = ensure_db(args.residents, HERE / ".cache")
    kdf.use_params(kdf.KdfParams(time_cost=1, memory_kib=64, parallelism=1))  # setup is not measured
    figures: dict[str, object] = {"residents": args.residents}
    with cluster() as socket, tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "first.db"
        shutil.copyfile(source, copy)
        shutil.copyfile(keyfile_path(source), keyfile_path(copy))
        database = new_database(socket)
        with running_hub(database) as hub:
            first = login(copy)
            sync.join(first.db, first.worker_id, hub.url, invite(database), "a")
            sync.sync(first.db)
            with first.db.reading() as session:
                area, name = session.exec(
                    select(Area.id, Area.name).join(Resident, Resident.area_id == Area.id).group_by(Area.id).limit(1)
                ).one()
                in_area = session.exec(select(func.count()).select_from(Resident).where(Resident.area_id == area)).one()
            engine = hub_engine(database)
            code = devices.make_invite(engine, "b", datetime.now(UTC), scope.invite_areas(engine, [name]))
            laptop, _code = vault.setup(Path(folder) / "scoped.db", "Bench", ["Elders"], "Nieuw", PASS, PASS)
            sync.join(laptop.db, laptop.worker_id, hub.url, code, "b")
            join_s, _ = _timed(lambda: sync.sync(laptop.db))
            with laptop.db.reading() as session:
                held = session.exec(select(func.count()).select_from(Resident)).one()
            resync_s, _ = _timed(lambda: sync.sync(laptop.db))
            figures |= {
                "area_residents": in_area,
                "scoped_join_s": join_s,
                "scoped_held": held,
                "scoped_resync_s": resync_s,
                "hub_pending_s": _timed(lambda: scope.pending(engine, laptop.db.device_id))[0],
                "feed_page_ms_scoped": round(
                    _timed(lambda: feed.changes_after(engine, 0, feed.PAGE, laptop.db.device_id))[0] * 1000
                ),
                "feed_page_ms_whole": round(_timed(lambda: feed.changes_after(engine, 0, feed.PAGE))[0] * 1000),
            }
            if args.narrow:
                wide, _code = vault.setup(Path(folder) / "wide.db", "Bench", ["Elders"], "Nieuw", PASS, PASS)
                sync.join(wide.db, wide.worker_id, hub.url, invite(database), "c")
                sync.sync(wide.db)
                scope.set_areas(engine, wide.db.device_id, [name])
                figures["narrow_s"], _ = _timed(lambda: sync.sync(wide.db))
                with wide.db.reading() as session:
                    figures["narrow_held"] = session.exec(select(func.count()).select_from(Resident)).one()
            engine.dispose()
    args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
