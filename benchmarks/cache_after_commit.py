"""Search-as-you-type right after another connection committed, against a warm cache:

    python benchmarks/cache_after_commit.py --residents 100000

In WAL mode a connection drops its whole page cache when it sees that another one committed,
and SQLCipher decrypts every page it then reads again. That is what a sync in another process
costs each search that follows one of its commits (db/read_snapshot.py, db/write_turn.py).
The benchmark's cached database (benchmarks/run.py) is copied; a second connection writes one
laptop setting before each timed search in the "after a commit" rounds. Measurements, not tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hub_join import QUERIES, _p95  # type: ignore[import-not-found]  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    args = parser.parse_args()
    from run import ensure_db, login  # type: ignore[import-not-found]

    from wijkwerk_tui.config import keyfile_path
    from wijkwerk_tui.db.engine import open_database
    from wijkwerk_tui.queries import search
    from wijkwerk_tui.store import settings

    source = ensure_db(args.residents, HERE / ".cache")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "probe.db"
        shutil.copyfile(source, copy)
        shutil.copyfile(keyfile_path(source), keyfile_path(copy))
        db = login(copy).db
        other = open_database(copy, key=db.key)  # as the sync process has the file

        def rounds(after_commit: bool) -> list[float]:
            out = []
            for query in QUERIES:
                for n in range(1, len(query) + 1):
                    if after_commit:
                        settings.set_value(other, "bench.probe", f"{query}{n}")
                    start = time.perf_counter()
                    search.search_residents(db, query[:n], limit=101, tolerant=True)
                    out.append(time.perf_counter() - start)
            return out

        rounds(False)  # (once, untimed: the file in the OS cache)
        warm = rounds(False) + rounds(False) + rounds(False)
        cold = rounds(True) + rounds(True) + rounds(True)
        other.close()
        db.close()
    ms = 1000
    figures = {
        "residents": args.residents,
        "searches": len(warm),
        "warm_p95_ms": round(_p95(warm) * ms, 1),
        "warm_median_ms": round(statistics.median(warm) * ms, 1),
        "after_commit_p95_ms": round(_p95(cold) * ms, 1),
        "after_commit_median_ms": round(statistics.median(cold) * ms, 1),
        "ratio_p95": round(_p95(cold) / _p95(warm), 2),
    }
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
