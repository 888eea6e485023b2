"""pyinstrument profiles of the two UI figures that miss their target: opening the
200-row resident and typing in the residents search. Writes benchmarks/profiles/*.txt.

    python benchmarks/profile_ui.py [--residents 100000]     (needs: pip install pyinstrument)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    args = parser.parse_args()
    path = bench.ensure_db(args.residents, bench.HERE / ".cache")
    out = bench.HERE / "profiles"
    out.mkdir(exist_ok=True)
    asyncio.run(profile(path, out))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
