"""The app's side of the sync, with a real hub process: F5, the title line, offline."""

from __future__ import annotations

import asyncio
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from tests.ui.helpers import settle
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import devices
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync, sync_process
from wijkwerk_tui.store import ladders, residents
from wijkwerk_tui.ui.app import make_app


def _joined(tmp_path: Path, name: str, hub: Hub) -> Unlocked:
    session, _code = vault.setup(
        tmp_path / f"{name}.db",
        "Welzijn De Wolden",
        ["Ruinen"],
        "Sanne Kuiper",
        PASS,
        PASS,
        FakeClock(datetime.now(UTC)),
    )
    engine = hub_engine(hub.database)
    code = devices.make_invite(engine, name, datetime.now(UTC))
    engine.dispose()
    sync.join(session.db, session.worker_id, hub.url, code, name)
    return session


def _title(app: object) -> str:
    return str(app.screen.query_one("#sync-line").render())  # type: ignore[attr-defined]


def _notices(app: object) -> str:
    return " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


async def test_issue17_f5_brings_the_other_laptops_step_and_the_title_says_so(tmp_path: Path, hub: Hub) -> None:
    ruinen, zuidwolde = _joined(tmp_path, "ruinen", hub), _joined(tmp_path, "zuidwolde", hub)
    anna = residents.add_resident(ruinen.db, ruinen.worker_id, PersonalData("Anna", "de", "Vries", 1950), None)
    ladders.record_step(ruinen.db, ruinen.worker_id, anna.id, Ladder.PARTICIPATION, 4, date(2026, 11, 2))
    sync.sync(ruinen.db)
    app = make_app(db=zuidwolde.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sync at login ran in a worker
        assert "Gesynchroniseerd" in _title(app)
        ladders.record_step(ruinen.db, ruinen.worker_id, anna.id, Ladder.PARTICIPATION, 5, date(2026, 11, 20))
        sync.sync(ruinen.db)
        await pilot.press("f5")
        await settle(pilot)
        assert re.search(r"Gesynchroniseerd: 0 verstuurd, [1-9]\d* ontvangen\.", _notices(app))
        steps = [s.step for s in ladders.history(zuidwolde.db, anna.id, Ladder.PARTICIPATION)]
        assert steps == [4, 5]
        assert residents.get_resident(zuidwolde.db, None, anna.id, audited=False).participation_step == 5


async def test_issue17_f5_during_the_login_sync_runs_after_it_and_sends_what_was_saved(
    tmp_path: Path, hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F5 pressed while the login's sync still runs (a slow hall network, a busy laptop) is
    not refused with "er loopt al een synchronisatie": it runs once that one ended."""
    laptop = _joined(tmp_path, "ruinen", hub)
    sync.sync(laptop.db)
    real, started, gate = sync_process.sync_apart, threading.Event(), threading.Event()
    running: list[int] = []
    overlaps: list[int] = []

    def gated(db: Database, page: int = sync.APP_PAGE) -> sync.SyncResult:
        overlaps.append(len(running))
        running.append(1)
        try:
            result = real(db, page)
            if not started.is_set():  # the login's sync, past its push: held until the test lets it go
                started.set()
                gate.wait(30)
            return result
        finally:
            running.pop()

    monkeypatch.setattr(sync_process, "sync_apart", gated)
    app = make_app(db=laptop.db)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await asyncio.to_thread(started.wait, 30)
        residents.add_resident(laptop.db, laptop.worker_id, PersonalData("Jan", "", "Smit", 1960), None)
        await pilot.press("f5")
        await pilot.pause()
        gate.set()
        await settle(pilot)
        await settle(pilot)  # (the second sync starts when the first has ended)
        assert overlaps == [0, 0]
        assert re.search(r"Gesynchroniseerd: [1-9]\d* verstuurd", _notices(app))
        assert "Er loopt al een synchronisatie" not in _notices(app)
        assert sync.status(laptop.db).waiting == 0


async def test_issue17_offline_the_app_goes_on_and_the_title_says_since_when(tmp_path: Path, hub: Hub) -> None:
    laptop = _joined(tmp_path, "ruinen", hub)
    sync.sync(laptop.db)
    hub.process.kill()
    hub.process.wait()
    app = make_app(db=laptop.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        residents.add_resident(laptop.db, laptop.worker_id, PersonalData("Jan", "", "Smit", 1960), None)
        await pilot.press("f5")
        await settle(pilot)
        assert "De hub is niet bereikbaar" in _notices(app)
        title, waiting = _title(app), sync.status(laptop.db).waiting  # Jan and his audit entry
        assert "Offline sinds" in title and f"{waiting} wijzigingen wachten" in title and waiting >= 2


async def test_issue17_the_coordinator_chooses_between_two_phone_numbers_and_both_laptops_follow(
    tmp_path: Path, hub: Hub
) -> None:
    a, b = _joined(tmp_path, "a", hub), _joined(tmp_path, "b", hub)
    piet = residents.add_resident(a.db, a.worker_id, PersonalData("Piet", "", "Bakker", 1944), None)
    sync.sync(a.db)
    sync.sync(b.db)
    for laptop, phone in ((a, "0612345678"), (b, "0687654321")):
        data = PersonalData("Piet", "", "Bakker", 1944, phone=phone)
        residents.update_resident(laptop.db, laptop.worker_id, piet.id, data, None, None)
    sync.sync(a.db)
    assert sync.sync(b.db).conflicts == 1
    sync.sync(a.db)  # the conflict reaches laptop a too
    app = make_app(db=a.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Conflicten")
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#conflict-detail").render())
        assert "Piet Bakker, telefoon" in shown
        assert "1: 0612345678 (Sanne Kuiper" in shown and "2: 0687654321 (Sanne Kuiper" in shown
        await pilot.press("2")
        await settle(pilot)
        assert "Geen conflicten" in str(app.screen.query_one("#conflict-detail").render())
    sync.sync(a.db)
    sync.sync(b.db)
    for laptop in (a, b):
        assert residents.get_resident(laptop.db, None, piet.id, audited=False).phone == "0687654321"
        assert sync.status(laptop.db).waiting == 0
    from wijkwerk_tui.store import conflicts

    assert conflicts.open_for(b.db, b.worker_id) == []


async def test_issue17_a_restored_laptop_is_told_it_goes_on_as_a_new_device(tmp_path: Path, hub: Hub) -> None:
    laptop = _joined(tmp_path, "ruinen", hub)
    sync.sync(laptop.db)
    taken = backup.make_backup(laptop.db)
    sync.sync(laptop.db)  # the backup is older than what the hub saw since
    laptop.db.close()
    restored = vault.restore(tmp_path / "ruinen.db", taken, "Sanne Kuiper", PASS, FakeClock(datetime.now(UTC)))
    app = make_app(db=restored.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sync at login
        assert "teruggezet of gekopieerd en gaat verder als nieuw apparaat" in _notices(app)
        assert "Gesynchroniseerd" in _title(app)


async def test_issue17_a_joined_laptop_leaves_the_retention_period_to_the_hub(tmp_path: Path, hub: Hub) -> None:
    laptop = _joined(tmp_path, "ruinen", hub)
    app = make_app(db=laptop.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_retention()
        await settle(pilot)
        assert "de bewaartermijn past de hub toe voor de hele organisatie" in _notices(app)
        assert not app.screen_stack[-1].__class__.__name__.startswith("Confirm")


def test_issue17_the_sync_process_runs_at_a_lower_priority_than_the_app() -> None:
    """The app's sync child is background work: the scheduler gives a search typed meanwhile
    the CPU first. (It lowers its priority before it reads its request.)"""
    import os
    import subprocess
    import sys
    import time

    from wijkwerk_tui.services import sync_process

    child = subprocess.Popen(
        [sys.executable, "-m", "wijkwerk_tui.services.sync_process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        mine, wanted = os.getpriority(os.PRIO_PROCESS, 0), None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # (until it has imported and lowered itself)
            wanted = os.getpriority(os.PRIO_PROCESS, child.pid)
            if wanted != mine:
                break
            time.sleep(0.05)
        assert wanted == min(mine + sync_process.NICENESS, 19)
    finally:
        out, _ = child.communicate("", timeout=30)  # (no request: it answers {} and ends)
    assert out.strip() == "{}"


async def test_issue18_residents_leaving_the_laptops_areas_leave_the_screen_at_f5(tmp_path: Path, hub: Hub) -> None:
    from tests.hub.test_laptop_scope import _person, _scoped
    from wijkwerk_tui.store import areas as area_store

    clock = FakeClock(datetime.now(UTC))
    desk = _joined(tmp_path, "desk", hub)
    area_store.add_area(desk.db, desk.worker_id, "Zuidwolde")
    roel = _person(desk, "Roel", "Ruinerwold", "Ruinen")
    _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    sync.sync(desk.db)
    hall = _scoped(tmp_path, "hall", hub, clock, ["Ruinen"])
    sync.sync(hall.db)
    app = make_app(db=hall.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sync at login ran in a worker
        counts = app.screen.query_one("#area-counts")
        assert "Ruinen 1" in str(counts.render()) and "Zuidwolde 0" in str(counts.render())
        assert laptops.give_areas(hub.database, hall, ["Zuidwolde"])
        app.open_resident(roel)  # his file is open when he leaves the laptop
        await settle(pilot)
        assert type(app.screen).__name__ == "ResidentScreen"
        await pilot.press("f5")
        await settle(pilot)
        assert "1 inwoner buiten zijn gebieden van deze laptop gehaald" in _notices(app)
        assert type(app.screen).__name__ == "StartScreen"  # his file closed; the start screen shows now
        counts = app.screen.query_one("#area-counts")
        assert "Ruinen 0" in str(counts.render()) and "Zuidwolde 1" in str(counts.render())
