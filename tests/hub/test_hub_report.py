"""The organisation-wide report (`wijkwerk report --hub`) equals the report over the union of
the laptops' data (a third laptop that joined and took in everything)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from tests.conftest import PASS, FakeClock
from tests.hub.hub_process import Hub
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.db.sync_codec import SYNCED, UNIQUE_NAMES, table_of
from wijkwerk_tui.domain import report_build
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.report import Period, PeriodReport
from wijkwerk_tui.hub import devices
from wijkwerk_tui.hub import report as hub_report
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.queries import report_data
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import areas, contacts, ladders, residents, signals, workers

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def _joined(tmp_path: Path, name: str, hub: Hub) -> Unlocked:
    session, _code = vault.setup(
        tmp_path / f"{name}.db",
        "Welzijn De Wolden",
        ["Ruinen", "Zuidwolde"],
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


def _work(laptop: Unlocked, seed: int, people: int) -> None:
    rng = random.Random(seed)
    places = {a.name: a.id for a in areas.list_areas(laptop.db)}
    for i in range(people):
        area = places["Ruinen" if rng.random() < 0.6 else "Zuidwolde"]
        person = residents.add_resident(
            laptop.db, laptop.worker_id, PersonalData(f"Naam{seed}x{i}", "", "Jansen", rng.randint(1930, 2005)), area
        )
        day = date(2026, 1, 5) + timedelta(days=rng.randrange(250))
        for ladder, top in ((Ladder.PARTICIPATION, 6), (Ladder.SUPPORT, 5)):
            ladders.record_step(laptop.db, laptop.worker_id, person.id, ladder, rng.randint(1, top), day)
            if rng.random() < 0.5:
                later = day + timedelta(days=rng.randrange(1, 30))
                ladders.record_step(laptop.db, laptop.worker_id, person.id, ladder, rng.randint(1, top), later)
        for _ in range(rng.randrange(4)):
            contacts.add_contact(
                laptop.db,
                laptop.worker_id,
                person.id,
                contacts.ContactData(day + timedelta(days=rng.randrange(20)), duration_min=30),
            )
        if rng.random() < 0.4:
            signals.add_signal(laptop.db, laptop.worker_id, person.id, signals.SignalData("loneliness", noticed_on=day))


def _union(tmp_path: Path, laptops: list[Unlocked]) -> Database:
    """Every laptop's own rows copied into one new database, not through the hub: areas and workers
    with one name become one (the first laptop's)."""
    union = open_database(tmp_path / "union.db")
    same: dict[object, object] = {}
    with union.transaction() as session:
        for laptop in laptops:
            with laptop.db.engine.connect() as source:
                for name in SYNCED:
                    table = table_of(name)
                    mine = select(table).where(table.c.device_id == laptop.db.device_id)  # made there
                    for row in source.execute(mine).mappings():
                        values = {k: same.get(v, v) for k, v in row.items() if k not in ("pk", "seq")}
                        unique = UNIQUE_NAMES.get(name)
                        if unique:
                            known = session.execute(
                                select(table.c.id).where(table.c[unique] == values[unique])
                            ).scalar()
                            if known is not None:
                                same[row["id"]] = known
                                continue
                        session.execute(table.insert().values(**values))
    return union


def _at_hub(hub: Hub) -> PeriodReport:
    """The year's report made on the hub's database, for its coordinator."""
    db = hub_report.hub_database(hub.database)
    try:
        boss = hub_report.coordinator(db, "Sanne Kuiper")
        return report_build.build(report_data.load(db, boss.id, YEAR), "Welzijn De Wolden")
    finally:
        db.close()


def test_issue17_the_hub_report_equals_the_report_over_every_laptops_data(tmp_path: Path, hub: Hub) -> None:
    a, b = _joined(tmp_path, "a", hub), _joined(tmp_path, "b", hub)
    _work(a, 1, 25)
    _work(b, 2, 25)
    sync.sync(a.db)
    sync.sync(b.db)
    union = _union(tmp_path, [a, b])
    boss_here = workers.find_by_name(union, "Sanne Kuiper")
    assert boss_here is not None
    on_laptop = report_build.build(report_data.load(union, boss_here.id, YEAR), "Welzijn De Wolden")
    at_hub = _at_hub(hub)
    assert at_hub == on_laptop
    assert residents.count_residents(union) == 50
    union.close()


def test_issue17_report_hub_on_the_command_line(tmp_path: Path, hub: Hub) -> None:
    a = _joined(tmp_path, "a", hub)
    _work(a, 3, 8)
    sync.sync(a.db)
    env = {**os.environ, "WIJKWERK_HUB_DATABASE": hub.database}
    command = [sys.executable, "-m", "wijkwerk_tui", "report", "--hub", "--from", "1-1-2026", "--to", "31-12-2026"]
    done = subprocess.run(
        [*command, "--user", "Sanne Kuiper", "--format", "json"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert '"Ruinen"' in done.stdout
    refused = subprocess.run([*command, "--user", "Niemand"], env=env, capture_output=True, text=True)
    assert refused.returncode == 1 and "coördinator" in refused.stderr


async def test_issue17_the_report_screen_shows_the_organisations_report_from_the_hub(tmp_path: Path, hub: Hub) -> None:
    from textual.widgets import Select

    from tests.ui.helpers import settle
    from wijkwerk_tui.ui.app import make_app
    from wijkwerk_tui.ui.screens.lists.report import ReportScreen

    a, b = _joined(tmp_path, "a", hub), _joined(tmp_path, "b", hub)
    _work(a, 1, 12)
    _work(b, 2, 12)
    sync.sync(a.db)
    sync.sync(b.db)
    app = make_app(db=b.db, now=datetime(2026, 12, 31, 12, 0, tzinfo=UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # (the sync at login)
        _work(a, 3, 6)  # laptop b has not seen these yet: only the hub's report counts them
        sync.sync(a.db)
        at_hub = _at_hub(hub)
        here = report_build.build(report_data.load(b.db, b.worker_id, YEAR), "Welzijn De Wolden")
        assert here != at_hub
        app.action_report()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert screen.report == here  # this laptop's own, first
        screen.query_one("#source", Select).value = "hub"
        await settle(pilot)
        assert screen.report == at_hub
        assert "hele organisatie (hub)" in str(screen.query_one("#report-status").render())
        await pilot.press("ctrl+t")  # a report of the organisation is not frozen on a laptop
        await settle(pilot)
        assert "niet op een laptop vastgesteld" in " ".join(str(n.message) for n in app._notifications)
        hub.process.kill()
        hub.process.wait()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "De hub is niet bereikbaar" in str(screen.query_one("#report-status").render())
