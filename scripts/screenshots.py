"""Render the main screens from the demo data into screenshots/*.svg.

Run: python scripts/screenshots.py   (deterministic: fixed seed, frozen clock, fixed size)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.ops.demo_data import build_demo
from wijkwerk_tui.ui.app import make_app

ROOT = Path(__file__).resolve().parents[1]
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
        db.close()
        for name, keys in SCREENS.items():
            asyncio.run(_shoot(db_path, name, keys))
            print(OUT / f"{name}.svg")
        asyncio.run(_shoot_login(Path(tmp) / "login" / "demo.db"))
        print(OUT / "login.svg")
    return 0


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
