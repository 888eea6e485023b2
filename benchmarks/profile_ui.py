"""Where the UI figures' time goes, written to benchmarks/profiles/:

- open_resident.txt, search_keys.txt: pyinstrument profiles (flat) of opening the 200-row
  resident and of typing in the residents search, in the real app;
- search_frames.txt: per key, in the app and in its floor (run.py `measure_floor`), when
  the first frame came, when the list was filled and when it was drawn: the app draws two
  frames per key (the typed letter, then the list), the floor one.

    python benchmarks/profile_ui.py [--residents 100000]     (needs: pip install pyinstrument)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

from pyinstrument import Profiler

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench


async def profile(path: Path, out: Path) -> None:
    from textual import events
    from textual.widgets import Input

    from wijkwerk_tui.store import settings
    from wijkwerk_tui.ui.app import WijkwerkApp
    from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen

    session = bench.login(path)
    heavy = uuid.UUID(settings.get(session.db, bench.HEAVY))
    app = WijkwerkApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await bench.settle(app, pilot)
        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
        for _ in range(5):
            app.open_resident(heavy)
            while not (isinstance(app.screen, ResidentScreen) and app.screen.file is not None):
                await asyncio.sleep(0.0005)
            await pilot.pause()
            app.pop_screen()
            await bench.settle(app, pilot)
        profiler.stop()
        (out / "open_resident.txt").write_text(profiler.output_text(unicode=True, flat=True, show_all=True))
        await pilot.press("slash")
        await bench.settle(app, pilot)
        screen = app.screen
        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
        for word in bench.QUERIES:
            screen.query_one("#search", Input).value = ""
            while getattr(screen, "shown_query", None) != "":
                await asyncio.sleep(0.001)
            for n in range(1, len(word) + 1):
                app.post_message(events.Key("space" if word[n - 1] == " " else word[n - 1], word[n - 1]))
                while getattr(screen, "shown_query", None) != word[:n]:
                    await asyncio.sleep(0.0005)
                await pilot.pause()
        profiler.stop()
        (out / "search_keys.txt").write_text(profiler.output_text(unicode=True, flat=True, show_all=True))


def search_frames(path: Path, out: Path) -> None:
    """Per key: key to first frame, key to list filled, filled to drawn, frames drawn."""
    from wijkwerk_tui.store import settings

    timed_key = bench.timed_key
    rows: list[tuple[float, float, float, int]] = []

    async def traced(app, screen, typed, frames, lists):  # type: ignore[no-untyped-def]
        drawn, start = len(frames.times), time.perf_counter()
        took = await timed_key(app, screen, typed, frames, lists)
        filled = lists.times[-1] - start
        frames_for_key = lists.frames_before[-1] - drawn + 1  # up to the one that showed the list
        rows.append(((frames.times[drawn] - start) * 1000, filled * 1000, (took - filled) * 1000, frames_for_key))
        return took

    bench.timed_key = traced
    session = bench.login(path)
    heavy = uuid.UUID(settings.get(session.db, bench.HEAVY))
    lines = []
    for name, measure in (
        ("app", lambda: bench.measure_ui(session, heavy, len(bench.QUERIES))),
        ("floor", lambda: bench.measure_floor(bench.QUERIES, 1)),
    ):
        rows.clear()
        asyncio.run(measure())
        total = sorted(row[1] + row[2] for row in rows)
        lines += [
            f"{name}: {len(rows)} keys; key to paint p50 {bench.med(total):.1f} ms, p95 {bench.pct(total, 95):.1f} ms",
            f"  median key -> first frame {bench.med([r[0] for r in rows]):.1f} ms, key -> list filled "
            f"{bench.med([r[1] for r in rows]):.1f} ms, filled -> drawn {bench.med([r[2] for r in rows]):.1f} ms, "
            f"frames per key {bench.med([r[3] for r in rows]):.0f}",
            "  key->first frame | key->filled | filled->drawn | frames (ms, first 16 keys)",
            *(f"  {a:6.1f} {b:6.1f} {c:6.1f} {n}" for a, b, c, n in rows[:16]),
            "",
        ]
    bench.timed_key = timed_key
    (out / "search_frames.txt").write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    args = parser.parse_args()
    path = bench.ensure_db(args.residents, bench.HERE / ".cache")
    out = bench.HERE / "profiles"
    out.mkdir(exist_ok=True)
    asyncio.run(profile(path, out))
    search_frames(path, out)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
