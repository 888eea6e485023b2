"""Faults the sync must survive: processes killed mid-way, a day offline, wrong clocks."""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PASS, FakeClock
from tests.hub.dumps import canonical
from tests.hub.hub_process import Hub, free_port, running_hub
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import devices
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import contacts, ladders, residents

ROUNDS = 20


def _joined(tmp_path: Path, name: str, hub_url: str, database: str, clock: FakeClock) -> Unlocked:
    session, _code = vault.setup(
        tmp_path / f"{name}.db", "Welzijn", [f"Gebied {name}"], f"Coördinator {name}", PASS, PASS, clock
    )
    engine = hub_engine(database)
    code = devices.make_invite(engine, name, datetime.now(UTC))
    engine.dispose()
    sync.join(session.db, session.worker_id, hub_url, code, name)
    return session


def _work(laptop: Unlocked, n: int, seed: int) -> None:
    """n residents, each with a placement and a contact: 3n changes."""
    rng = random.Random(seed)
    for i in range(n):
        person = residents.add_resident(
            laptop.db, laptop.worker_id, PersonalData(f"Naam{seed}-{i}", "", "Jansen", 1940 + rng.randrange(60)), None
        )
        ladders.record_step(
            laptop.db, laptop.worker_id, person.id, Ladder.PARTICIPATION, rng.randint(1, 6), date(2026, 11, 2)
        )
        contacts.add_contact(laptop.db, laptop.worker_id, person.id, contacts.ContactData(date(2026, 11, 3)))


def _same_as_hub(laptop: Unlocked, database: str) -> None:
    hub_engine_ = create_engine(database)
    try:
        assert canonical(laptop.db.engine) == canonical(hub_engine_)
        with hub_engine_.connect() as connection:
            doubles = connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT row_id FROM hubchange WHERE kind = 'insert' GROUP BY row_id HAVING count(*) > 1) d"
                )
            ).scalar()
        assert doubles == 0
    finally:
        hub_engine_.dispose()


def test_issue17_a_laptop_killed_during_its_sync_loses_and_doubles_nothing(tmp_path: Path, hub: Hub) -> None:
    clock = FakeClock(datetime.now(UTC))
    laptop = _joined(tmp_path, "a", hub.url, hub.database, clock)
    rng = random.Random(17)
    env = {**os.environ, "TEST_DB_KEY": (laptop.db.key or b"").hex(), "PYTHONPATH": os.pathsep.join(sys.path)}
    for round_ in range(ROUNDS):
        _work(laptop, 20, round_)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.hub.laptop_sync", str(laptop.db.path)], env=env, stdout=subprocess.PIPE
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"open"
        threading.Event().wait(rng.uniform(0, 0.4))  # a random moment in the push or the pull
        child.kill()
        child.wait()
    sync.sync(laptop.db)
    assert sync.status(laptop.db).waiting == 0
    _same_as_hub(laptop, hub.database)


def test_issue17_the_hub_killed_mid_request_loses_and_doubles_nothing(tmp_path: Path, pg_url: str) -> None:
    clock = FakeClock(datetime.now(UTC))
    port = free_port()
    rng = random.Random(71)
    with running_hub(pg_url, port) as first:
        laptop = _joined(tmp_path, "a", first.url, pg_url, clock)
    for round_ in range(ROUNDS):
        _work(laptop, 20, round_)
        with running_hub(pg_url, port) as hub:

            def run() -> None:
                with contextlib.suppress(sync.SyncError):  # the hub went away mid-request
                    sync.sync(laptop.db)

            worker = threading.Thread(target=run)
            worker.start()
            threading.Event().wait(rng.uniform(0, 0.3))
            hub.process.kill()  # kill -9, whatever it was doing
            worker.join()
    with running_hub(pg_url, port):
        sync.sync(laptop.db)
    assert sync.status(laptop.db).waiting == 0
    _same_as_hub(laptop, pg_url)


def test_issue17_a_day_offline_500_changes_wait_and_go_up_later(tmp_path: Path, pg_url: str) -> None:
    clock = FakeClock(datetime.now(UTC))
    port = free_port()
    with running_hub(pg_url, port) as first:
        laptop = _joined(tmp_path, "a", first.url, pg_url, clock)
        sync.sync(laptop.db)
    _work(laptop, 167, 5)  # the hub is down: nothing waits on it
    assert sync.status(laptop.db).waiting >= 500
    with pytest.raises(sync.SyncError, match="niet bereikbaar"):
        sync.sync(laptop.db)
    with running_hub(pg_url, port):
        result = sync.sync(laptop.db)
    assert result.pushed >= 500
    _same_as_hub(laptop, pg_url)


def test_issue17_a_clock_set_back_a_day_keeps_the_order_and_loses_nothing(tmp_path: Path, hub: Hub) -> None:
    clock = FakeClock(datetime.now(UTC))
    a = _joined(tmp_path, "a", hub.url, hub.database, clock)
    b = _joined(tmp_path, "b", hub.url, hub.database, FakeClock(datetime.now(UTC)))
    _work(a, 3, 1)
    sync.sync(a.db)
    clock.advance(days=-1)  # laptop a's clock goes back a day
    _work(a, 3, 2)
    sync.sync(a.db)
    sync.sync(b.db)
    engine = create_engine(hub.database)
    with engine.connect() as connection:
        stamps = (
            connection.execute(
                text("SELECT hlc FROM hubchange WHERE device_id = :d ORDER BY seq"), {"d": a.db.device_id}
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert stamps == sorted(stamps), "a's stamps keep the order in which it made its changes"
    _same_as_hub(b, hub.database)
    assert len(canonical(b.db.engine)["resident"]) == 6
