"""Import speed (issue 16). One command:

    python benchmarks/import_speed.py --rows 10000 --residents 100000

makes a long-form sheet of N rows (about three measurements per person, by the tests' own
fixture script), then, on an encrypted copy of the benchmark database of `--residents`
residents (benchmarks/.cache, built by run.py) and on a new encrypted one, measures: the dry
run (file read, rows read, matched with the residents on file: median of three), the import
(one transaction), a second dry run (everything already there) and the undo. Targets: the
dry run under 10 s, the import under 30 s. Measurements, not tests: nothing fails on a time.
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
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # tests.importing.make_fixtures

PASS = "correct horse battery staple"


def _timed(action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def measure(session, sheet: Path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from wijkwerk_tui.exchange import import_files
    from wijkwerk_tui.services import import_apply

    db, actor = session.db, session.worker_id
    dry = []
    for _ in range(3):
        seconds, shown = _timed(lambda: import_files.preview(db, sheet))
        dry.append(seconds)
    apply_s, done = _timed(lambda: import_apply.apply(db, actor, shown))
    again_s, again = _timed(lambda: import_files.preview(db, sheet))
    undo_s, undone = _timed(lambda: import_apply.undo(db, actor, done.batch_id))
    return {
        "dry_run_s": round(statistics.median(dry), 2),
        "import_s": round(apply_s, 2),
        "second_dry_run_s": round(again_s, 2),
        "undo_s": round(undo_s, 2),
        "residents_new": done.residents_new,
        "facts": done.facts,
        "second_run_writes": again.writes,
        "undone_rows": undone.removed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--out", type=Path, default=HERE / "import_speed.json")
    args = parser.parse_args()

    from benchmarks.run import ensure_db, login
    from tests.importing.make_fixtures import big_sheet
    from wijkwerk_tui.security import vault

    results: dict[str, object] = {"rows": args.rows}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sheet = work / "metingen.xlsx"
        seconds, _expected = _timed(lambda: big_sheet(sheet, args.rows))
        print(f"sheet of {args.rows} rows made in {seconds:.1f} s", file=sys.stderr)

        source = ensure_db(args.residents, args.cache)
        copy = work / source.name
        shutil.copy(source, copy)
        shutil.copy(source.with_name(source.name + ".keys"), copy.with_name(copy.name + ".keys"))
        session = login(copy)
        try:
            results[f"on_{args.residents}_residents"] = measure(session, sheet)
        finally:
            session.db.close()

        fresh = work / "nieuw.db"
        session, _code = vault.setup(fresh, "Welzijn", ["Ruinen"], "Sanne Kuiper", PASS, PASS)
        try:
            results["on_a_new_database"] = measure(session, sheet)
        finally:
            session.db.close()
    text = json.dumps(results, indent=2, sort_keys=True)
    args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
