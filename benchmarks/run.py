"""Speed at scale. One command:

    python benchmarks/run.py --residents 100000 --out benchmarks/results.json

builds (or reuses, from benchmarks/.cache/) an encrypted demo database of N residents with
about ten history rows each, and one resident with 200 history rows, then measures each
figure as median and 95th percentile over repeated runs: start-up next to a bare Textual app,
search-as-you-type through the real app (pilot) and the query alone, opening the 200-row
resident, saving a quick intake, the yearly report, one inzage export, and peak memory
(RSS) of a process that opens the database and searches. `--markdown BENCHMARKS.md` writes
the table with the previous run's figures beside it.

These are measurements, not tests: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = 2026
HEAVY = "bench.heavy_resident"
TARGETS = {  # key: (limit, unit, lower is better)
    "startup_ratio": (1.5, "x"),
    "search_p95_ms": (50, "ms"),
    "open_p95_ms": (100, "ms"),
    "save_p95_ms": (50, "ms"),
    "report_year_s": (2.0, "s"),
    "peak_rss_mb": (250, "MB"),
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def med(values: list[float]) -> float:
    return statistics.median(values)


# -- the database --------------------------------------------------------------------------
def ensure_db(residents: int, cache: Path) -> Path:
    path = cache / f"bench-{residents}.db"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"Building the {residents}-resident database (once; cached in {cache})...", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "wijkwerk_tui",
                "--db",
                str(path),
                "demo",
                "--no-run",
                "--residents",
                str(residents),
                "--seed",
                str(SEED),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    session = login(path)
    try:
        ensure_heavy_resident(session)
        # Today's backup now, so the app's first-start-of-the-day backup does not run
        # alongside the measurements.
        from wijkwerk_tui.ops import backup

        backup.daily_backup(session.db, session.worker_id)
    finally:
        session.db.close()
    return path


def login(path: Path):  # type: ignore[no-untyped-def]
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.security.keyfile import KeyFile, keyfile_path

    keyfile = KeyFile.load(keyfile_path(path))
    return vault.login(path, keyfile.demo_user, keyfile.demo_passphrase)


def ensure_heavy_resident(session) -> None:  # type: ignore[no-untyped-def]
    """One resident with 200 history rows (ladder steps, contacts, signals), made once."""
    from wijkwerk_tui.domain.ladders import Ladder
    from wijkwerk_tui.domain.names import PersonalData
    from wijkwerk_tui.store import contacts, ladders, residents, settings, signals
    from wijkwerk_tui.store.contacts import ContactData
    from wijkwerk_tui.store.signals import SignalData

    db, actor = session.db, session.worker_id
    if settings.get(db, HEAVY):
        return
    resident = residents.add_resident(db, actor, PersonalData("Veel", "", "Geschiedenis", 1950), None, True)
    today = db.today()
    for n in range(80):
        day = today - timedelta(days=10 * n + 1)
        ladders.record_step(db, actor, resident.id, Ladder.PARTICIPATION if n % 2 else Ladder.SUPPORT, 1 + n % 5, day)
    for n in range(90):
        contacts.add_contact(
            db, actor, resident.id, ContactData(today - timedelta(days=7 * n), "walk_in", note="Benchmark")
        )
    for n in range(30):
        signals.add_signal(db, actor, resident.id, SignalData("loneliness", noticed_on=today - timedelta(days=20 * n)))
    settings.set_value(db, HEAVY, str(resident.id))


# -- measurements ------------------------------------------------------------------------
def measure_startup(path: Path, repeat: int) -> tuple[list[float], list[float]]:
    # Byte-compile the app first, as `pip install` does: a checkout run with
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start.
    import compileall

    import wijkwerk_tui

    compileall.compile_dir(Path(wijkwerk_tui.__file__).parent, quiet=1)

    def once(*args: str) -> float:
        start = time.time()
        done = subprocess.run(
            [sys.executable, str(HERE / "startup_probe.py"), *args], check=True, capture_output=True, text=True
        )
        if args[0] == "app" and "LoginScreen" not in done.stdout:
            raise RuntimeError(f"the app did not reach its login screen: {done.stdout[-300:]}")
        ready = next(float(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("ready "))
        return ready - start

    once("bare"), once("app", str(path))  # warm the file cache for both
    bare, app = [], []
    for _ in range(repeat):  # interleaved, so machine noise hits both alike
        bare.append(once("bare"))
        app.append(once("app", str(path)))
    return bare, app


QUERIES = ["jansen", "de vries", "bakker", "van dijk", "mulder", "ozdemir", "visser", "smit"]


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    from textual.worker import WorkerCancelled

    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()
    await pilot.pause()


class Signal:
    """An asyncio event that the app's own code sets (no polling: a polling loop would take
    the GIL from the worker thread it is waiting for, and slow down what it measures)."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.times: list[float] = []
        self.frames_before: list[int] = []  # frames already drawn at each hit

    def hit(self, frames_drawn: int = 0) -> None:
        self.times.append(time.perf_counter())
        self.frames_before.append(frames_drawn)
        self.event.set()

    async def after(self, count: int) -> float:
        """The time of the first hit after `count` hits."""
        while True:
            self.event.clear()
            if len(self.times) > count:
                return self.times[count]
            await self.event.wait()


async def measure_ui(session, heavy, repeat: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Through the real app (Textual pilot): from a key press to the frame that shows the
    new list, and from opening a resident to the frame that shows their file."""
    from textual import events
    from textual.widgets import Input

    from wijkwerk_tui.ui.app import WijkwerkApp
    from wijkwerk_tui.ui.screens.lists.residents import ResidentsScreen
    from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen

    app = WijkwerkApp(session)
    keys: list[float] = []
    opens: list[float] = []
    frames, lists, files = Signal(), Signal(), Signal()
    display = app._display

    def counting_display(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = display(*args, **kwargs)
        frames.hit()  # a frame handed to the (headless) terminal
        return result

    app._display = counting_display  # type: ignore[method-assign]
    show_file = ResidentScreen._show

    def file_shown(self, *args):  # type: ignore[no-untyped-def]
        show_file(self, *args)
        files.hit(len(frames.times))

    ResidentScreen._show = file_shown  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("slash")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, ResidentsScreen)
            show_list = screen._show

            def list_shown(query, rows):  # type: ignore[no-untyped-def]
                show_list(query, rows)
                lists.hit(len(frames.times))

            screen._show = list_shown  # type: ignore[method-assign]
            search = screen.query_one("#search", Input)
            for query in QUERIES[: max(2, repeat)]:
                search.value = ""
                await settle(app, pilot)
                for n in range(1, len(query) + 1):
                    char = query[n - 1]
                    seen = len(lists.times)
                    start = time.perf_counter()
                    # The same event a terminal key press becomes (pilot.press adds its own waits).
                    app.post_message(events.Key("space" if char == " " else char, char))
                    while True:  # the list for exactly this text (an older search may land first)
                        await lists.after(seen)
                        seen = len(lists.times)
                        if screen.shown_query == query[:n]:
                            break
                    # The first frame drawn after the list was filled (counted when it was filled:
                    # the app may draw it before this coroutine runs again).
                    keys.append(await frames.after(lists.frames_before[seen - 1]) - start)
                    await asyncio.sleep(0.12)  # typing speed: a key every ~150 ms
            await pilot.press("escape")
            await settle(app, pilot)
            for _ in range(repeat):
                seen = len(files.times)
                start = time.perf_counter()
                app.open_resident(heavy)
                await files.after(seen)
                opens.append(await frames.after(files.frames_before[seen]) - start)  # the frame with the file in it
                await pilot.pause()
                app.pop_screen()
                # A person opens the next one after the start screen settled: its workers done
                # (they may start only after the first wait) and a moment to read it.
                await settle(app, pilot)
                await asyncio.sleep(0.3)
                await settle(app, pilot)
    finally:
        ResidentScreen._show = show_file  # type: ignore[method-assign]
    return {"keys": keys, "opens": opens}


def measure_store(session, heavy, repeat: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    from wijkwerk_tui.domain import report as period
    from wijkwerk_tui.exchange import inzage_document as inzage_doc
    from wijkwerk_tui.exchange import report_files as export
    from wijkwerk_tui.queries import inzage, report_data, search
    from wijkwerk_tui.services import intake
    from wijkwerk_tui.services.intake import IntakeData
    from wijkwerk_tui.store import areas

    db = session.db
    area = areas.list_areas(db)[0].id
    out: dict[str, list[float]] = {"query": [], "save": [], "report": [], "inzage": []}
    for query in QUERIES:
        for n in range(1, len(query) + 1):
            start = time.perf_counter()
            search.search_residents(db, query[:n], limit=101)
            out["query"].append(time.perf_counter() - start)
    for n in range(max(10, repeat)):
        start = time.perf_counter()
        intake.save_intake(
            db,
            session.worker_id,
            IntakeData(
                name=f"Bench Intake{n}",
                birth_year="1960",
                area_id=area,
                participation="2",
                support="3",
                categories=("loneliness",),
                consent=True,
            ),
        )
        out["save"].append(time.perf_counter() - start)
    today = db.today()
    year = report_data.Period(today - timedelta(days=365), today)
    for _ in range(3):
        start = time.perf_counter()
        built = period.build(report_data.load(db, session.worker_id, year))
        export.to_csv(built)
        out["report"].append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(3):
            start = time.perf_counter()
            inzage_doc.write(inzage.collect(db, session.worker_id, heavy), Path(folder))
            out["inzage"].append(time.perf_counter() - start)
    return out


def rss_probe(path: Path) -> None:
    """Child process: open the database, search through the app, print peak RSS in MB."""
    import uuid

    from wijkwerk_tui.store import settings

    session = login(path)
    heavy = uuid.UUID(settings.get(session.db, HEAVY))
    asyncio.run(measure_ui(session, heavy, 2))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def history_rows(session) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with session.db.reading() as s:
        return sum(
            int(s.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0)
            for t in ("ladderstep", "contact", "signal", "referral")
        )


def run(residents: int, repeat: int, cache: Path) -> dict[str, object]:
    import uuid

    from wijkwerk_tui.store import residents as resident_store
    from wijkwerk_tui.store import settings

    path = ensure_db(residents, cache)
    bare, app = measure_startup(path, repeat)
    rss = float(
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--rss-probe", str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    session = login(path)
    try:
        heavy = uuid.UUID(settings.get(session.db, HEAVY))
        ui = asyncio.run(measure_ui(session, heavy, repeat))
        session = login(path)  # the app closed the database on exit
        store = measure_store(session, heavy, repeat)
        count = resident_store.count_residents(session.db)
        rows = history_rows(session)
    finally:
        session.db.close()
    ms = 1000
    return {
        "residents": count,
        "history_rows": rows,
        "startup_s": round(med(app), 3),
        "startup_p95_s": round(pct(app, 95), 3),
        "bare_textual_s": round(med(bare), 3),
        "startup_ratio": round(med(app) / med(bare), 2),
        "search_p50_ms": round(med(ui["keys"]) * ms, 1),
        "search_p95_ms": round(pct(ui["keys"], 95) * ms, 1),
        "search_query_p50_ms": round(med(store["query"]) * ms, 1),
        "search_query_p95_ms": round(pct(store["query"], 95) * ms, 1),
        "open_p50_ms": round(med(ui["opens"]) * ms, 1),
        "open_p95_ms": round(pct(ui["opens"], 95) * ms, 1),
        "save_p50_ms": round(med(store["save"]) * ms, 1),
        "save_p95_ms": round(pct(store["save"], 95) * ms, 1),
        "report_year_s": round(med(store["report"]), 2),
        "inzage_s": round(med(store["inzage"]), 3),
        "peak_rss_mb": round(rss, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        "date": date.today().isoformat(),
        "repeat": repeat,
        "encrypted": True,
    }


def markdown(result: dict[str, object], previous: dict[str, object] | None, command: str) -> str:
    """The table, then benchmarks/notes.md (what the figures mean, where time goes)."""
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {result['machine']}  ",
        f"Date: {result['date']}  ",
        f"Command: `{command}`  ",
        f"Database: {result['residents']} residents, {result['history_rows']} history "
        "rows (ladder steps, contacts, signals, referrals), encrypted (SQLCipher)",
        "",
        "| figure | now | previous | target |",
        "|---|---|---|---|",
    ]
    for key, value in result.items():
        if key in ("machine", "date", "repeat", "encrypted", "residents", "history_rows"):
            continue
        target = TARGETS.get(key)
        mark = "" if target is None else (f"≤ {target[0]} {target[1]}" + (" ✓" if float(value) <= target[0] else " ✗"))  # type: ignore[arg-type]
        before = previous.get(key, "–") if previous else "–"
        lines.append(f"| `{key}` | {value} | {before} | {mark} |")
    notes = HERE / "notes.md"
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--repeat", type=int, default=20, help="runs per figure (start-up, opening, saving)")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--markdown", type=Path, help="write this Markdown table (e.g. BENCHMARKS.md)")
    parser.add_argument(
        "--markdown-only",
        action="store_true",
        help="only rewrite --markdown from --out and the run before it (notes changed)",
    )
    parser.add_argument("--rss-probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_probe:
        rss_probe(args.rss_probe)
        return 0
    before = args.out.with_name(args.out.stem + ".previous.json")
    if args.markdown_only:
        result = json.loads(args.out.read_text())
    else:
        if args.out.exists():  # keep the last run for the comparison column
            before.write_text(args.out.read_text())
        result = run(args.residents, args.repeat, args.cache)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    if args.markdown:
        previous = json.loads(before.read_text()) if before.exists() else None
        out = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
        command = f"python benchmarks/run.py --residents {args.residents} --out {out} --markdown BENCHMARKS.md"
        args.markdown.write_text(markdown(result, previous, command))
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
