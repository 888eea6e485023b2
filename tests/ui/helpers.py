"""Helpers for pilot tests: wait for the app to settle, read tables, open a resident by keys."""

from __future__ import annotations

from contextlib import suppress

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerCancelled, WorkerFailed

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.ui.widgets.row_list import RowList


async def workers_done(app: App[object]) -> None:
    """Wait for every worker; a failed one is the app's Dutch notice, which tests read."""
    for worker in list(app.workers):
        with suppress(WorkerFailed, WorkerCancelled):
            await worker.wait()


async def settle(pilot: Pilot[object]) -> None:
    """Let thread workers finish and the screen catch up."""
    for _ in range(3):
        await workers_done(pilot.app)
        await pilot.pause()
    # A DataTable sizes its columns when it next goes idle; wait until none is pending twice
    # in a row (snapshots; under load the idle pass can come late).
    quiet = 0
    for _ in range(200):
        pending = [
            t
            for t in pilot.app.screen.query(DataTable)
            if t._require_update_dimensions or t._updated_cells or t._new_rows
        ]
        quiet = 0 if pending else quiet + 1
        if quiet >= 2:
            break
        await pilot.pause(0.02)


def cells(table: DataTable | RowList) -> list[list[str]]:
    if isinstance(table, RowList):
        return table.rows
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def open_resident_by_search(pilot: Pilot, query: str) -> None:
    """`/`, type part of a name, Enter to the list, Enter to open: keys only."""
    await pilot.press("slash")
    await settle(pilot)
    await type_text(pilot, query)
    await settle(pilot)
    await pilot.press("enter")  # to the list (opens directly when there is one match)
    await settle(pilot)
    from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen

    if not isinstance(pilot.app.screen, ResidentScreen):
        await pilot.press("enter")
        await settle(pilot)


async def draft_kept(pilot: Pilot[object]) -> None:
    """Wait until the intake on screen has written its draft (it waits for a pause in the typing)."""
    from wijkwerk_tui.ui.screens.resident.intake import IntakeScreen

    screen = pilot.app.screen
    assert isinstance(screen, IntakeScreen)
    for _ in range(100):
        if not screen.draft_pending:
            break
        await pilot.pause(0.05)
    await settle(pilot)
    assert not screen.draft_pending


class KeyCounter:
    """Presses keys through the pilot and counts characters typed and other key presses."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.typed = 0
        self.other = 0

    async def type(self, value: str) -> None:
        await self.pilot.press(*[{" ": "space", ";": "semicolon"}.get(ch, ch) for ch in value])
        self.typed += len(value)

    async def key(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        self.other += len(keys)


def screen_text(app: object) -> str:
    """The screen on top as drawn, one line per row (what a person sees)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # type: ignore[attr-defined]


async def switch_worker(pilot: Pilot[object], name: str, passphrase: str) -> None:
    """Ctrl+L, then another worker's name (as typed, Enter completes it) and passphrase."""
    from textual.widgets import Input

    from wijkwerk_tui.ui.screens.gate.lock import LockScreen

    await pilot.press("ctrl+l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LockScreen)
    field = pilot.app.screen.query_one("#name", Input)
    field.value = ""
    field.focus()
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, passphrase)
    await pilot.press("enter")
    await settle(pilot)


async def open_intake(pilot: Pilot[object]):
    """`n` from the start screen, and the intake once it is there."""
    from wijkwerk_tui.ui.screens.resident.intake import IntakeScreen

    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, IntakeScreen)
    return pilot.app.screen


def planted_story(db: Database) -> str:
    """A story this year naming a resident of the demo, with an age."""
    from datetime import date

    from sqlmodel import col, select

    from wijkwerk_tui.db.tables import Resident

    with db.reading() as session:
        person = session.exec(select(Resident).where(col(Resident.deleted_at).is_(None)).limit(1)).one()
    story = f"{person.given_name} {person.family_name} (81) kwam weer naar de soos."
    from wijkwerk_tui.store import contacts, workers
    from wijkwerk_tui.store.contacts import ContactData

    boss = next(w.id for w in workers.list_workers(db) if w.role == "coordinator")
    contacts.add_contact(db, boss, person.id, ContactData(date(2026, 3, 3), "walk_in", is_story=True, story=story))
    return story
