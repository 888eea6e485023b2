"""The organisation's settings sync (coordinators change them on any laptop); a laptop's own
settings (its device id, the hub's token, its export folder, the last area used) never leave it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import col, select

from tests.conftest import FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from wijkwerk_tui.db.tables import OrgSetting
from wijkwerk_tui.security import vault
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import conflicts, settings


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _hub_texts(hub: Hub) -> list[str]:
    engine = create_engine(hub.database)
    try:
        with engine.connect() as connection:
            logged = connection.execute(text("SELECT table_name || ' ' || fields FROM hubchange")).scalars().all()
            kept = connection.execute(text("SELECT key || ' ' || value FROM setting")).scalars().all()
    finally:
        engine.dispose()
    return [*logged, *kept]


def test_issue17_organisation_settings_reach_every_laptop_and_laptop_settings_stay(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    folder = str(tmp_path / "exports-a")
    settings.save_organisation_settings(
        a.db, a.worker_id, organisation="Welzijn De Wolden", lock_minutes=10, retention_years=5, export_folder=folder
    )
    settings.set_value(a.db, "intake.last_area", "Ruinen-a")
    sync.sync(a.db)
    assert sync.sync(b.db).conflicts == 0  # both had the same name: one setting, no conflict
    assert (settings.retention_years(b.db), settings.lock_minutes(b.db)) == (5, 10)
    assert settings.get(b.db, settings.ORGANISATION_KEY) == "Welzijn De Wolden"
    assert settings.get(b.db, settings.EXPORT_FOLDER_KEY) == ""
    logged = "\n".join(_hub_texts(hub))
    assert "retention_years" in logged  # what the organisation shares went up...
    for own in (folder, "Ruinen-a", settings.get(a.db, sync.HUB_TOKEN), settings.get(a.db, sync.HUB_EPOCH)):
        assert own not in logged  # ...and nothing of the laptop's own


def test_issue17_two_laptops_set_up_with_other_names_give_one_conflict_a_coordinator_decides(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock, organisation="Welzijn De Wolden")
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock, organisation="Welzijn Westerveld")
    sync.sync(a.db)
    assert sync.sync(b.db).conflicts == 1
    assert settings.get(b.db, settings.ORGANISATION_KEY) == "Welzijn De Wolden"  # the hub's, until a choice
    [shown] = conflicts.open_for(b.db, b.worker_id)
    assert (shown.resident, shown.kept, shown.other) == (
        "instelling: naam van de organisatie",
        "Welzijn De Wolden",
        "Welzijn Westerveld",
    )
    conflicts.choose(b.db, b.worker_id, shown.id, take_other=True)
    sync.sync(b.db)
    sync.sync(a.db)
    for laptop in (a, b):
        assert settings.get(laptop.db, settings.ORGANISATION_KEY) == "Welzijn Westerveld"
        assert conflicts.open_for(laptop.db, laptop.worker_id) == []


def test_issue17_the_hub_takes_a_change_of_the_organisations_settings_only_from_a_coordinator(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a, b, jan, row = _term_of_five_with_a_worker_jan(tmp_path, hub, real_clock)
    # Laptop b claims laptop a's coordinator: a worker it never registered at the hub.
    for sender, worker, years in ((a, jan.id, "1"), (b, a.worker_id, "2"), (a, a.worker_id, "3")):
        forged = {
            "id": str(uuid.uuid4()),
            "table": "orgsetting",
            "row": str(row.id),
            "kind": "update",
            "fields": {"value": years},
            "base": 1,
            "hlc": a.db.hlc.now(datetime.now(UTC)).text(),
            "worker": str(worker),
        }
        with laptops.as_laptop(hub.url, sender) as client:
            assert client.post("/v1/push", json={"changes": [forged]}).status_code == 200
        sync.sync(b.db)
        # A worker's change of the retention period (a sweep on every laptop) is not taken.
        assert settings.retention_years(b.db) == (3 if years == "3" else 5)


def test_issue17_an_insert_of_an_account_the_hub_has_is_an_edit_without_role_and_registers_nobody(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a, b, jan, row = _term_of_five_with_a_worker_jan(tmp_path, hub, real_clock)
    sync.sync(b.db)
    stamp = lambda: b.db.hlc.now(datetime.now(UTC)).text()  # noqa: E731
    forged = [
        # Laptop b "inserts" Jan's account (as a coordinator) and laptop a's coordinator's...
        {"id": str(uuid.uuid4()), "table": "worker", "row": str(jan.id), "kind": "insert", "base": 99,
         "fields": {"id": str(jan.id), "name": "Jan Smit", "role": "coordinator", "active": True}, "hlc": stamp()},
        {"id": str(uuid.uuid4()), "table": "worker", "row": str(a.worker_id), "kind": "insert", "base": 99,
         "fields": {"id": str(a.worker_id), "name": "Sanne Kuiper", "role": "coordinator"}, "hlc": stamp()},
        # ...and then changes the retention period in either's name.
        {"id": str(uuid.uuid4()), "table": "orgsetting", "row": str(row.id), "kind": "update", "base": 1,
         "fields": {"value": "1"}, "hlc": stamp(), "worker": str(jan.id)},
        {"id": str(uuid.uuid4()), "table": "orgsetting", "row": str(row.id), "kind": "update", "base": 1,
         "fields": {"value": "1"}, "hlc": stamp(), "worker": str(a.worker_id)},
    ]  # fmt: skip
    with laptops.as_laptop(hub.url, b) as client:
        assert client.post("/v1/push", json={"changes": forged}).status_code == 200
    engine = create_engine(hub.database)
    try:
        with engine.connect() as connection:
            role = connection.execute(text("SELECT role FROM worker WHERE id = :id"), {"id": jan.id}).scalar()
    finally:
        engine.dispose()
    assert role == "worker"  # an account the hub has is not made a coordinator by an "insert"
    sync.sync(a.db)
    assert settings.retention_years(a.db) == 5
    assert workers_role(a, jan.id) == "worker"


def workers_role(laptop: vault.Unlocked, worker_id: uuid.UUID) -> str:
    from wijkwerk_tui.db.tables import Worker

    with laptop.db.reading() as session:
        return session.exec(select(Worker).where(col(Worker.id) == worker_id)).one().role


def _term_of_five_with_a_worker_jan(
    tmp_path: Path, hub: Hub, clock: FakeClock
) -> tuple[vault.Unlocked, vault.Unlocked, Any, OrgSetting]:
    """Laptops a and b; on a a worker Jan and a retention term of 5 years, synced up. Returns
    the laptops, Jan's account and the term's row."""
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, clock)
    jan = vault.add_account(a, "Jan Smit", "worker", "jan-wachtwoord-lang", "jan-wachtwoord-lang")
    settings.save_organisation_settings(
        a.db, a.worker_id, organisation="Welzijn De Wolden", lock_minutes=10, retention_years=5
    )
    sync.sync(a.db)
    with a.db.reading() as session:
        row = session.exec(select(OrgSetting).where(col(OrgSetting.key) == settings.RETENTION_KEY)).one()
    return a, b, jan, row
