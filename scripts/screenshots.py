"""Render the main screens from the demo data into screenshots/*.svg.

Run: python scripts/screenshots.py   (deterministic: fixed seed, frozen clock, fixed size)
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the example sheet comes from the tests' fixture script

from tests.importing.make_fixtures import example_sheet  # noqa: E402
from wijkwerk_tui.db.engine import Database, open_database  # noqa: E402
from wijkwerk_tui.ops.demo_data import build_demo  # noqa: E402
from wijkwerk_tui.ui.app import make_app  # noqa: E402

OUT = ROOT / "screenshots"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SIZE = (100, 30)

# name -> keys to press after the start screen has loaded
_FIND = ["slash", *"bakker", "down", "enter"]
SCREENS: dict[str, list[str]] = {
    "start": [],
    "residents": ["slash", *"ja"],
    "resident": _FIND,
    "ladder-dialog": [*_FIND, "p"],
    "signal-form": [*_FIND, "s"],
    "referral-form": [*_FIND, "d"],
    "intake": ["n", *"Jan Jansen"],
    "overviews": ["o"],
    "sociale-kaart": ["k"],
    "help": [*_FIND, "question_mark"],
    "lock": [*_FIND, "ctrl+l"],
    "accounts": ["ctrl+p", *"Medewerkers", "enter"],
    "report": ["ctrl+p", *"Rapportage", "enter"],
    "activities": ["ctrl+p", *"Groepsactiviteiten", "enter"],
    # The example sheet (tests/importing/make_fixtures.example_sheet) in the working folder.
    "import-preview": ["ctrl+p", *"Importeren", "enter", *"voorbeeld.xlsx", "enter"],
}


async def _shoot(db_path: Path, name: str, keys: list[str]) -> None:
    app = make_app(db=open_database(db_path, lambda: NOW), now=NOW)
    app.theme = "textual-dark"
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        db = open_database(db_path, lambda: NOW)
        build_demo(db, residents=600, seed=2026)
        on_file = _someone(db)
        db.close()
        os.chdir(tmp)
        example_sheet(Path(tmp) / "voorbeeld.xlsx", on_file)
        for name, keys in SCREENS.items():
            asyncio.run(_shoot(db_path, name, keys))
            print(OUT / f"{name}.svg")
        asyncio.run(_shoot_login(Path(tmp) / "login" / "demo.db"))
        print(OUT / "login.svg")
        for made in _report_example(db_path):
            print(made)
    return 0


def _someone(db: Database) -> tuple[str, str, int]:
    """A demo resident the example sheet names (spelled a little differently)."""
    from wijkwerk_tui.queries.search import search_residents
    from wijkwerk_tui.store import residents

    row = next(r for r in search_residents(db, "bakker", limit=20) if r.birth_year)
    found = residents.get_resident(db, None, row.id, audited=False)
    assert found.birth_year is not None
    return found.given_name, found.family_name, found.birth_year


def _report_example(db_path: Path) -> list[Path]:
    """The demo's report for 2026 as the municipality gets it (HTML, protected), and a PNG of
    its first page when a headless Chromium is installed (`apt-get install chromium`)."""
    import shutil
    import subprocess
    from dataclasses import replace
    from datetime import date

    from wijkwerk_tui.domain import report_build, story_check
    from wijkwerk_tui.exchange import report_files
    from wijkwerk_tui.queries import report_data, story_names
    from wijkwerk_tui.store import workers

    db = open_database(db_path, lambda: NOW)
    try:
        boss = next(w.id for w in workers.list_workers(db) if w.role == "coordinator")
        data = report_data.load(db, boss, report_data.Period(date(2026, 1, 1), date(2026, 10, 31)))
        built = report_build.build(data, "Welzijn De Wolden (demo)")
        names = story_names.known_names(db, boss)  # flagged stories stay out, as `wijkwerk report` does
        clean = [s for s in built.stories if not story_check.check(s[2], names, NOW.date())]
        built = replace(built, stories=clean)
        html = report_files.write(built, "html", OUT / "report-example.html")
    finally:
        db.close()
    made = [html]
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        png = OUT / "report-example.png"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--hide-scrollbars", f"--screenshot={png}",
             "--window-size=900,2400", html.as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        made.append(png)
    return made


async def _shoot_login(path: Path) -> None:
    """The login screen of an encrypted demo database, name half typed."""
    from wijkwerk_tui.security.demo import ensure_demo

    ensure_demo(path, residents=10, seed=2026, clock=lambda: NOW)
    app = make_app(path, now=NOW)
    app.theme = "textual-dark"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in "An":
            await pilot.press(key)
        await pilot.pause()
        app.save_screenshot(filename="login.svg", path=str(OUT))


if __name__ == "__main__":
    sys.exit(main())
