"""Speed at scale. One command:

    python benchmarks/run.py --residents 100000 --out benchmarks/results.json

builds (or reuses, from benchmarks/.cache/) an encrypted demo database of N residents with
about ten history rows each, and one resident with 200 history rows, then measures each
figure as median and 95th percentile over repeated runs: start-up next to a bare Textual app,
search-as-you-type through the real app (pilot) and the query alone, opening the 200-row
resident, saving a quick intake, the yearly report, one inzage export, keys typed while a
backup runs, and peak memory (RSS) of a process that opens the database and searches.

Four figures have a floor measured the same way in the same run, and a ratio to it (the
targets are on the ratios): start-up next to a bare Textual app (`bare_textual_s`), the
search and the opening next to a bare Textual app with the same widgets filled from static
text (`search_floor_ms`, `open_floor_ms`), the yearly report next to its ladder figures
computed by one hand-written SQL query (`report_sql_s`, whose numbers are checked against
the app's report on every run). `--markdown BENCHMARKS.md` writes the table with the
previous run's figures beside it.

These are measurements, not tests: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
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
TARGETS = {  # key: (limit, unit); lower is better
    "startup_ratio": (1.3, "x"),
    "search_ratio": (1.5, "x"),
    "open_ratio": (2.0, "x"),
    "report_ratio": (1.5, "x"),
    "compare_ratio": (2.0, "x"),  # a frozen report compared with a new run, against the report
    "backup_key_p95_ms": (100, "ms"),
    "peak_rss_mb": (150, "MB"),
}
# The absolute targets before the floors: information only (their ratios are the targets now).
EARLIER_TARGETS = {
    "search_p95_ms": (50, "ms"),
    "open_p95_ms": (100, "ms"),
    "save_p95_ms": (50, "ms"),
    "report_year_s": (2.0, "s"),
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
# Spelled otherwise than the demo's residents (Jansen, Meijer, Smit, Kroeze): their last
# letters find no exact match, and the spelling-tolerant matches fill the list.
TOLERANT_QUERIES = ["janssen 1935", "meyer", "smid 1950", "kroese"]


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


def count_frames(app, frames: Signal) -> None:  # type: ignore[no-untyped-def]
    """Hit `frames` for every frame the app hands to its (headless) terminal."""
    display = app._display

    def counting_display(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = display(*args, **kwargs)
        frames.hit()
        return result

    app._display = counting_display


async def type_words(app, pilot, screen, search, words, frames: Signal, lists: Signal) -> list[float]:  # type: ignore[no-untyped-def]
    """Type `words` letter by letter into `search` (a key every ~150 ms); per key, the time from
    the key event to the first frame drawn after the list for exactly that text was filled.
    `screen.shown_query` says what the list shows; `lists` is hit (with the frames drawn so far)
    each time it was filled. The same for the app and its floor."""
    keys: list[float] = []
    for query in words:
        search.value = ""
        await settle(app, pilot)
        for n in range(1, len(query) + 1):
            keys.append(await timed_key(app, screen, query[:n], frames, lists))
            await asyncio.sleep(0.12)  # typing speed: a key every ~150 ms
    return keys


async def timed_key(app, screen, typed: str, frames: Signal, lists: Signal) -> float:  # type: ignore[no-untyped-def]
    """Post the last key of `typed`; seconds until the first frame after its list was filled."""
    from textual import events

    char = typed[-1]
    seen = len(lists.times)
    start = time.perf_counter()
    # The same event a terminal key press becomes (pilot.press adds its own waits).
    app.post_message(events.Key("space" if char == " " else char, char))
    while True:  # the list for exactly this text (an older search may land first)
        await lists.after(seen)
        seen = len(lists.times)
        if screen.shown_query == typed:
            break
    # The first frame drawn after the list was filled (counted when it was filled: the app
    # may draw it before this coroutine runs again).
    return await frames.after(lists.frames_before[seen - 1]) - start


async def timed_opens(app, pilot, count: int, open_one, shown: Signal, frames: Signal) -> list[float]:  # type: ignore[no-untyped-def]
    """`count` times: `open_one()`, then the first frame after the screen showed its data;
    back, and wait as a person does before the next one."""
    opens: list[float] = []
    for _ in range(count):
        seen = len(shown.times)
        start = time.perf_counter()
        open_one()
        await shown.after(seen)
        opens.append(await frames.after(shown.frames_before[seen]) - start)  # the frame with the data in it
        await pilot.pause()
        app.pop_screen()
        # A person opens the next one after the screen below settled: its workers done
        # (they may start only after the first wait) and a moment to read it.
        await settle(app, pilot)
        await asyncio.sleep(0.3)
        await settle(app, pilot)
    return opens


async def measure_ui(session, heavy, repeat: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Through the real app (Textual pilot): from a key press to the frame that shows the
    new list, and from opening a resident to the frame that shows their file."""
    from textual.widgets import Input

    from wijkwerk_tui.ui.app import WijkwerkApp
    from wijkwerk_tui.ui.screens.lists.residents import ResidentsScreen
    from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen

    app = WijkwerkApp(session)
    frames, lists, files = Signal(), Signal(), Signal()
    count_frames(app, frames)
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
            watch_list(screen, frames, lists)
            search = screen.query_one("#search", Input)
            keys = await type_words(app, pilot, screen, search, QUERIES[: max(2, repeat)], frames, lists)
            await pilot.press("escape")
            await settle(app, pilot)
            opens = await timed_opens(app, pilot, repeat, lambda: app.open_resident(heavy), files, frames)
    finally:
        ResidentScreen._show = show_file  # type: ignore[method-assign]
    return {"keys": keys, "opens": opens}


def watch_list(screen, frames: Signal, lists: Signal) -> None:  # type: ignore[no-untyped-def]
    """Hit `lists` each time the residents screen filled its list."""
    show_list = screen._show

    def list_shown(query, rows):  # type: ignore[no-untyped-def]
        show_list(query, rows)
        lists.hit(len(frames.times))

    screen._show = list_shown


# -- the floors: the same widgets in a bare Textual app, filled from static text ------------------
FAMILY = ["Jansen", "de Vries", "Bakker", "van Dijk", "Mulder", "Özdemir", "Visser", "Smit", "Bos", "Meijer"]
GIVEN = ["Anna", "Piet", "Fatima", "Henk", "Sanne", "Mohamed", "Els", "Kees", "Noor", "Willem", "Ria"]
AREAS = ["Centrum", "Noord", "Oost-Kwartier", "Zuid", "West", "Havenbuurt"]


def floor_residents(count: int = 300) -> list[tuple[str, ...]]:
    """Rows like the residents list shows (name, year, area, P, V), as static text."""
    return [
        (
            f"{FAMILY[n % len(FAMILY)]}, {GIVEN[n % len(GIVEN)]}",
            str(1930 + n % 70),
            AREAS[n % len(AREAS)],
            str(1 + n % 6),
            str(1 + n % 5),
        )
        for n in range(count)
    ]


def floor_file():  # type: ignore[no-untyped-def]
    """What the 200-row resident's screen shows (80 ladder steps, 30 signals, 90 contacts), as
    static text: (head, {ladder: (ladder text, history rows)}, signals, contacts)."""
    from rich.text import Text

    from wijkwerk_tui.domain.ladders import Ladder, steps
    from wijkwerk_tui.ui.widgets.ladder_view import render_ladder

    today = date.today()

    def day(n: int) -> str:
        return (today - timedelta(days=n)).strftime("%d-%m-%Y")

    head = Text()
    head.append("Veel Geschiedenis", style="bold")
    head.append(" · 76 jaar (1950) · Centrum\nToestemming registratie: ja (01-02-2025)\n")
    head.append("Participatieladder: ")
    head.append("trede 5", style="bold")
    head.append("   Verantwoordelijkheidsladder: ")
    head.append("trede 4", style="bold")
    ladders = {
        ladder: (
            render_ladder(steps(ladder), 4, 5),
            [(day(10 * n + 1), f"{1 + n % 5} ↑", "Coördinator Demo", "") for n in range(40)],
        )
        for ladder in Ladder
    }
    signals = [(day(20 * n), "Eenzaamheid", "normaal", "open", "") for n in range(30)]
    contacts = [(day(7 * n), "Inloop", "", "Benchmark") for n in range(90)]
    return head, ladders, signals, contacts


async def measure_floor(words: list[str], opens: int) -> dict[str, list[float]]:
    """The floors, measured exactly like `measure_ui`: a bare Textual app with an Input and a
    list of the residents list's size (100 rows, 5 columns) filled from static text on each
    key; and a screen with the resident screen's widgets (head, two ladders with their
    history, the four sections, footer) filled with static text of the 200-row resident's size."""
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.screen import Screen
    from textual.widgets import Input, Static

    from wijkwerk_tui.domain.ladders import LADDER_NAMES, Ladder
    from wijkwerk_tui.ui import memory
    from wijkwerk_tui.ui.app import WijkwerkApp
    from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen
    from wijkwerk_tui.ui.widgets.footer import Footer
    from wijkwerk_tui.ui.widgets.ladder_view import LadderView
    from wijkwerk_tui.ui.widgets.row_list import Column, RowList

    rows = floor_residents()
    head, ladders, signals, contacts = floor_file()
    frames, lists, files = Signal(), Signal(), Signal()

    class FloorSearch(Screen[None]):
        shown_query = ""

        def compose(self) -> ComposeResult:
            yield Input(id="search")
            yield RowList(
                Column("Naam", flex=True), "Jaar", Column("Gebied", max_width=18), "P", "V", zebra=True, id="results"
            )

        def on_mount(self) -> None:
            self.query_one("#search", Input).focus()

        def on_input_changed(self, event: Input.Changed) -> None:
            first = len(event.value) * 7 % 200  # other rows for every text, as a search gives
            self.query_one("#results", RowList).set_rows(rows[first : first + 100], [str(n) for n in range(100)])
            self.shown_query = event.value
            lists.hit(len(frames.times))

    class FloorResident(Screen[None]):
        DEFAULT_CSS = ResidentScreen.DEFAULT_CSS.replace("ResidentScreen", "FloorResident")
        BINDINGS = ResidentScreen.BINDINGS  # the same keys in the footer

        def compose(self) -> ComposeResult:  # the widgets of ResidentScreen.compose
            with VerticalScroll(id="resident-body"):
                yield Static(id="resident-head")
                with Horizontal(id="ladders"):
                    for ladder in Ladder:
                        with Vertical(classes="ladder-column", id=f"column-{ladder.value}") as column:
                            column.border_title = LADDER_NAMES[ladder]
                            yield LadderView(id=f"ladder-{ladder.value}")
                            yield RowList(
                                "Datum",
                                "Trede",
                                Column("Door", max_width=14),
                                Column("Notitie", flex=True),
                                id=f"history-{ladder.value}",
                                classes="ladder-history",
                            )
                yield Static("Signalen (Enter: status wijzigen)", classes="section-title")
                yield RowList("Datum", "Categorie", "Urgentie", "Status", "Opvolgen", id="signals", classes="section")
                yield Static("Doorverwijzingen (Enter: status en terugkoppeling)", classes="section-title")
                yield RowList(
                    "Datum", Column("Partner", flex=True), "Status", "Terug vóór", "", id="referrals", classes="section"
                )
                yield Static("Contactmomenten", classes="section-title")
                yield RowList(
                    "Datum",
                    "Soort",
                    "Min.",
                    Column("Notitie", flex=True, max_width=60),
                    id="contacts",
                    classes="section",
                )
                yield Static("Doelen en afspraken (Enter: status wijzigen)", classes="section-title")
                yield RowList(Column("Doel", flex=True), "Wie", "Evaluatie", "Status", id="goals", classes="section")
            yield Footer()

        def on_mount(self) -> None:  # filled as ResidentScreen._show fills it, from static text
            self.title = "Veel Geschiedenis"
            self.query_one("#resident-head", Static).update(head)
            for ladder, (drawn, history) in ladders.items():
                self.query_one(f"#ladder-{ladder.value}", LadderView).update(drawn)
                self.query_one(f"#history-{ladder.value}", RowList).set_rows(history)
            self.query_one("#signals", RowList).set_rows(signals, [str(n) for n in range(len(signals))])
            self.query_one("#referrals", RowList).set_rows([], [])
            self.query_one("#contacts", RowList).set_rows(contacts, [str(n) for n in range(len(contacts))])
            self.query_one("#goals", RowList).set_rows([], [])
            files.hit(len(frames.times))

    class Floor(App[None]):
        CSS_PATH = WijkwerkApp.CSS_PATH  # the app's own styles

        def get_default_screen(self) -> Screen[None]:
            return FloorSearch()

    app = Floor()
    count_frames(app, frames)
    thresholds = gc.get_threshold()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        search = screen.query_one("#search", Input)
        # Warm, as the app is by the time it is measured (its start screen drew the same kinds
        # of widget, and its first open is one of twenty): one word and one open, not timed.
        await type_words(app, pilot, screen, search, words[:1], frames, lists)
        await timed_opens(app, pilot, 1, lambda: app.push_screen(FloorResident()), files, frames)
        # The app's garbage collection (ui/memory.py): long-lived objects frozen, full
        # collections rare. Without it a full collection lands in an open now and then.
        gc.collect()
        gc.freeze()
        gc.set_threshold(*memory.THRESHOLDS)
        try:
            keys = await type_words(app, pilot, screen, search, words, frames, lists)
            shown = await timed_opens(app, pilot, opens, lambda: app.push_screen(FloorResident()), files, frames)
        finally:
            gc.set_threshold(*thresholds)
    return {"keys": keys, "opens": shown}


async def measure_backup_keys(session, path: Path) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """In the real app, "Back-up maken" (`action_backup_now`) on the benchmark database, and
    meanwhile keys typed into the residents search at a person's pace until it is done
    (at least one word), each timed like the search figure. The backup it made (and the files
    beside it) is removed again."""
    from textual.widgets import Input

    from wijkwerk_tui.ops import backup
    from wijkwerk_tui.ui.app import WijkwerkApp
    from wijkwerk_tui.ui.screens.lists.residents import ResidentsScreen

    app = WijkwerkApp(session)
    frames, lists = Signal(), Signal()
    count_frames(app, frames)
    folder = backup.backup_dir(path)
    before = set(folder.iterdir()) if folder.is_dir() else set()
    keys: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ResidentsScreen)
        watch_list(screen, frames, lists)
        search = screen.query_one("#search", Input)
        start = time.perf_counter()
        app.action_backup_now()
        running = [w for w in app.workers if w.group == "backup"][-1]
        done: list[float] = []
        waiting = asyncio.ensure_future(running.wait())
        waiting.add_done_callback(lambda _: done.append(time.perf_counter()))
        words = 0
        while not running.is_finished or words == 0:
            word = QUERIES[words % len(QUERIES)]
            for n in range(1, len(word) + 1):
                keys.append(await timed_key(app, screen, word[:n], frames, lists))
                await asyncio.sleep(0.12)  # a key every ~150 ms, as in the search figure
                if running.is_finished and words:
                    break
            words += 1
            seen = len(lists.times)
            search.value = ""  # the next word (no settle: that would wait for the backup)
            while screen.shown_query != "":
                await lists.after(seen)
                seen = len(lists.times)
        await settle(app, pilot)
        if running.error is not None:
            raise RuntimeError("the backup failed") from running.error
        took = done[0] - start
    for made in set(folder.iterdir()) - before:
        made.unlink()
    return {"keys": keys, "backup": [took]}


# The ladder figures of the yearly report (per area and ladder: residents per step at the end,
# and up / down / same / new), computed by SQLite alone from the raw history rows, without the
# app's summary table: the floor for `report_year_s`. The step in force on a day is the last
# placement on or before it (on one day the later entry wins), as in the app. One window pass
# marks each resident's last row on or before the start and their last row overall; a
# sequential scan and one sort beat walking the history index with a lookup per row (4.5 s
# against 6 s at 100 000 residents).
REPORT_SQL = """
WITH placed AS (
    SELECT resident_id, ladder, step, measured_on,
           lead(measured_on) OVER (PARTITION BY resident_id, ladder ORDER BY measured_on, created_at, step) AS next_on
    FROM ladderstep NOT INDEXED
    WHERE deleted_at IS NULL AND measured_on <= :end
),
moved AS (  -- per resident and ladder: the step at the end (and its date), and before the start (none: new)
    SELECT resident_id, ladder,
           max(CASE WHEN next_on IS NULL THEN step END) AS end_step,
           max(CASE WHEN next_on IS NULL THEN measured_on END) AS end_on,
           max(CASE WHEN measured_on <= :before AND (next_on IS NULL OR next_on > :before) THEN step END) AS start_step
    FROM placed
    WHERE next_on IS NULL OR (measured_on <= :before AND next_on > :before)
    GROUP BY resident_id, ladder
),
seen AS (SELECT DISTINCT resident_id FROM contact WHERE deleted_at IS NULL AND contact_on BETWEEN :since AND :end),
back AS (  -- where a resident who moved after the end lived at the end
    SELECT resident_id, from_area_id FROM (
        SELECT resident_id, from_area_id,
               row_number() OVER (PARTITION BY resident_id ORDER BY moved_on, created_at) AS n
        FROM residentmove WHERE deleted_at IS NULL AND moved_on > :end) WHERE n = 1
)
SELECT a.name, m.ladder, m.end_step, count(*),
       count(CASE WHEN m.end_step > m.start_step THEN 1 END),
       count(CASE WHEN m.end_step < m.start_step THEN 1 END),
       count(CASE WHEN m.end_step = m.start_step THEN 1 END),
       count(CASE WHEN m.start_step IS NULL THEN 1 END)
FROM moved m JOIN resident r ON r.id = m.resident_id
LEFT JOIN back b ON b.resident_id = m.resident_id
LEFT JOIN area a ON a.id = coalesce(b.from_area_id, r.area_id)
WHERE r.deleted_at IS NULL
  AND (m.end_on >= :since OR m.resident_id IN (SELECT resident_id FROM seen))  -- in beeld
GROUP BY coalesce(b.from_area_id, r.area_id), m.ladder, m.end_step
"""


def report_sql(db, period) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(area name, ladder, end step, residents, up, down, same, new) on the app's own connection."""
    with db.reading() as session:
        from wijkwerk_tui.queries.report_ladders import in_view_from

        values = {
            "before": (period.start - timedelta(days=1)).isoformat(),
            "end": period.end.isoformat(),
            "since": in_view_from(period.end).isoformat(),
        }
        result = session.connection().exec_driver_sql(REPORT_SQL, values)
        return [tuple(row) for row in result]


def ladder_figures_of_sql(rows: list[tuple]) -> dict[tuple[str, str], tuple[dict[int, int], tuple[int, ...]]]:
    """{(ladder, area): ({end step: residents}, (up, down, same, new))}, with "all areas"."""
    from wijkwerk_tui.domain.report import ALL, NO_AREA

    figures: dict[tuple[str, str], tuple[dict[int, int], list[int]]] = {}
    for area, ladder, end_step, n, *moves in rows:
        for key in ((ladder, NO_AREA if area is None else area), (ladder, ALL)):
            at_end, counted = figures.setdefault(key, ({}, [0, 0, 0, 0]))
            at_end[end_step] = at_end.get(end_step, 0) + n
            for i, m in enumerate(moves):
                counted[i] += m
    return {key: ({s: n for s, n in at_end.items() if n}, tuple(counted)) for key, (at_end, counted) in figures.items()}


def ladder_figures_of_report(built) -> dict[tuple[str, str], tuple[dict[int, int], tuple[int, ...]]]:  # type: ignore[no-untyped-def]
    """The same figures, read from the app's report tables (in beeld; moves by their words)."""
    from wijkwerk_tui.domain.ladders import Ladder
    from wijkwerk_tui.domain.report import Count

    words = {"participation": ("omhoog", "omlaag"), "support": ("zwaarder", "lichter")}

    def number(cell) -> int:  # type: ignore[no-untyped-def]
        return cell.n if isinstance(cell, Count) else int(cell)

    figures = {}
    for ladder in Ladder:
        distribution = built.table(f"{ladder.value}_distribution")
        steps = [c for c in distribution.columns if c.startswith("trede ")]
        table = built.table(f"{ladder.value}_movement")
        order = [*words[ladder.value], "gelijk", "nieuw"]
        movement = {row[0]: tuple(number(row[table.columns.index(name)]) for name in order) for row in table.rows}
        for row in distribution.rows:
            at_end = {
                int(step.split()[-1]): number(row[distribution.columns.index(step)])
                for step in steps
                if number(row[distribution.columns.index(step)])
            }
            if at_end or any(movement[row[0]]):
                figures[(ladder.value, row[0])] = (at_end, movement[row[0]])
    return figures


def check_report_sql(built, rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    """The SQL's figures must be the app's (a guard for the hand-written SQL)."""
    app, sql = ladder_figures_of_report(built), ladder_figures_of_sql(rows)
    if app != sql:
        wrong = sorted(key for key in app.keys() | sql.keys() if app.get(key) != sql.get(key))
        raise RuntimeError(
            f"report_sql differs from the app's report for {wrong[:5]}: {[(app.get(k), sql.get(k)) for k in wrong[:2]]}"
        )


def measure_queries(db) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """`search_residents` alone, as the residents list calls it (a page of 101, spelling-tolerant),
    for every prefix of QUERIES ("query") and of TOLERANT_QUERIES ("tolerant_query")."""
    from wijkwerk_tui.queries import search

    out: dict[str, list[float]] = {"query": [], "tolerant_query": []}
    for name, words in (("query", QUERIES), ("tolerant_query", TOLERANT_QUERIES)):
        for query in words:
            for n in range(1, len(query) + 1):
                start = time.perf_counter()
                search.search_residents(db, query[:n], limit=101, tolerant=True)
                out[name].append(time.perf_counter() - start)
    return out


def measure_store(session, heavy, repeat: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    from wijkwerk_tui.domain import report_build
    from wijkwerk_tui.exchange import inzage_document as inzage_doc
    from wijkwerk_tui.exchange import report_files as export
    from wijkwerk_tui.queries import inzage, report_data
    from wijkwerk_tui.services import intake
    from wijkwerk_tui.services.intake import IntakeData
    from wijkwerk_tui.store import areas

    db = session.db
    area = areas.list_areas(db)[0].id
    out: dict[str, list[float]] = {"save": [], "report": [], "report_sql": [], "inzage": []}
    out.update(measure_queries(db))
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
    for _ in range(3):  # interleaved, so machine noise hits both alike
        start = time.perf_counter()
        built = report_build.build(report_data.load(db, session.worker_id, year))
        export.to_csv(built.view())  # protected, as it is written
        out["report"].append(time.perf_counter() - start)
        start = time.perf_counter()
        rows = report_sql(db, year)
        out["report_sql"].append(time.perf_counter() - start)
    check_report_sql(built, rows)
    from wijkwerk_tui.services import report_compare
    from wijkwerk_tui.store import frozen_reports

    frozen_id = frozen_reports.freeze(db, session.worker_id, built, None)
    out["compare"] = []
    for _ in range(3):  # a frozen report against a new run: the report, the diff, the records since
        start = time.perf_counter()
        report_compare.compare(db, session.worker_id, frozen_id)
        out["compare"].append(time.perf_counter() - start)
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
        # The floors half before and half after the app, so machine noise hits both alike.
        words, half = QUERIES[: max(2, repeat)], max(1, repeat // 2)
        floor = asyncio.run(measure_floor(words[::2], half))
        ui = asyncio.run(measure_ui(session, heavy, repeat))
        after = asyncio.run(measure_floor(words[1::2], max(1, repeat - half)))
        floor = {name: floor[name] + after[name] for name in floor}
        session = login(path)  # the app closed the database on exit
        during_backup = asyncio.run(measure_backup_keys(session, path))
        session = login(path)
        store = measure_store(session, heavy, repeat)
        count = resident_store.count_residents(session.db)
        rows = history_rows(session)
    finally:
        session.db.close()
    ms = 1000
    search_p95, search_floor = pct(ui["keys"], 95), pct(floor["keys"], 95)
    open_p95, open_floor = pct(ui["opens"], 95), pct(floor["opens"], 95)
    report, report_floor = med(store["report"]), med(store["report_sql"])
    return {
        "residents": count,
        "history_rows": rows,
        "startup_s": round(med(app), 3),
        "startup_p95_s": round(pct(app, 95), 3),
        "bare_textual_s": round(med(bare), 3),
        "startup_ratio": round(med(app) / med(bare), 2),
        "search_p50_ms": round(med(ui["keys"]) * ms, 1),
        "search_p95_ms": round(search_p95 * ms, 1),
        "search_floor_ms": round(search_floor * ms, 1),
        "search_ratio": round(search_p95 / search_floor, 2),
        "search_query_p50_ms": round(med(store["query"]) * ms, 1),
        "search_query_p95_ms": round(pct(store["query"], 95) * ms, 1),
        "search_tolerant_query_p50_ms": round(med(store["tolerant_query"]) * ms, 1),
        "search_tolerant_query_p95_ms": round(pct(store["tolerant_query"], 95) * ms, 1),
        "open_p50_ms": round(med(ui["opens"]) * ms, 1),
        "open_p95_ms": round(open_p95 * ms, 1),
        "open_floor_ms": round(open_floor * ms, 1),
        "open_ratio": round(open_p95 / open_floor, 2),
        "save_p50_ms": round(med(store["save"]) * ms, 1),
        "save_p95_ms": round(pct(store["save"], 95) * ms, 1),
        "report_year_s": round(report, 3),
        "report_sql_s": round(report_floor, 4),
        "report_ratio": round(report / report_floor, 2),
        "compare_s": round(med(store["compare"]), 3),
        "compare_ratio": round(med(store["compare"]) / report, 2),
        "backup_key_p50_ms": round(med(during_backup["keys"]) * ms, 1),
        "backup_key_p95_ms": round(pct(during_backup["keys"], 95) * ms, 1),
        "backup_s": round(during_backup["backup"][0], 2),
        "inzage_s": round(med(store["inzage"]), 3),
        "peak_rss_mb": round(rss, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        "date": date.today().isoformat(),
        "repeat": repeat,
        "encrypted": True,
    }


def run_search(residents: int, repeat: int, cache: Path) -> dict[str, object]:
    """Only the search figures (`--only search`): the floor, the app's keys and the query alone,
    measured as `run` measures them."""
    import uuid

    from wijkwerk_tui.store import settings

    path = ensure_db(residents, cache)
    session = login(path)
    try:
        heavy = uuid.UUID(settings.get(session.db, HEAVY))
        words, half = QUERIES[: max(2, repeat)], max(1, repeat // 2)
        floor = asyncio.run(measure_floor(words[::2], half))
        ui = asyncio.run(measure_ui(session, heavy, repeat))
        after = asyncio.run(measure_floor(words[1::2], max(1, repeat - half)))
        floor = {name: floor[name] + after[name] for name in floor}
        session = login(path)  # the app closed the database on exit
        queries = measure_queries(session.db)
    finally:
        session.db.close()
    ms = 1000
    search_p95, search_floor = pct(ui["keys"], 95), pct(floor["keys"], 95)
    return {
        "search_p50_ms": round(med(ui["keys"]) * ms, 1),
        "search_p95_ms": round(search_p95 * ms, 1),
        "search_floor_ms": round(search_floor * ms, 1),
        "search_ratio": round(search_p95 / search_floor, 2),
        "search_query_p50_ms": round(med(queries["query"]) * ms, 1),
        "search_query_p95_ms": round(pct(queries["query"], 95) * ms, 1),
        "search_tolerant_query_p50_ms": round(med(queries["tolerant_query"]) * ms, 1),
        "search_tolerant_query_p95_ms": round(pct(queries["tolerant_query"], 95) * ms, 1),
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
        "Floors (`*_floor_*`, `report_sql_s`, `bare_textual_s`) are measured in the same run, the same way; "
        "a ratio is the figure divided by its floor (lower is better).",
        "",
        "| figure | now | previous | target |",
        "|---|---|---|---|",
    ]
    for key, value in result.items():
        if key in ("machine", "date", "repeat", "encrypted", "residents", "history_rows"):
            continue
        target = TARGETS.get(key)
        mark = "" if target is None else f"≤ {target[0]} {target[1]}" + (" ✓" if float(value) <= target[0] else " ✗")  # type: ignore[arg-type]
        before = previous.get(key, "–") if previous else "–"
        lines.append(f"| `{key}` | {value} | {before} | {mark} |")
    earlier = [
        f"`{key}` ≤ {limit} {unit} (now {result[key]})"
        for key, (limit, unit) in EARLIER_TARGETS.items()
        if key in result
    ]
    lines += ["", "Earlier absolute targets, kept as information beside the ratios: " + ", ".join(earlier) + "."]
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
    parser.add_argument(
        "--only",
        choices=["search"],
        help="measure only these figures and print them (results.json and the table stay as they are)",
    )
    parser.add_argument("--rss-probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_probe:
        rss_probe(args.rss_probe)
        return 0
    if args.only == "search":
        for key, value in run_search(args.residents, args.repeat, args.cache).items():
            print(f"{key:>28}: {value}")
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
