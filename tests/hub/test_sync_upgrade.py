"""A laptop joined before an update that changed what syncs (device epochs in 0017, the
organisation's settings and the audit trail in 0017-0018) goes on syncing after it: it is not
taken for a copy, and what it held in the tables that sync since goes up once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import col, select

from tests.conftest import FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from wijkwerk_tui.db.tables import AuditEvent
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import audit, settings


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _hub(hub: Hub, query: str, **params: object) -> list[tuple]:
    engine = create_engine(hub.database)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query), params)]
    finally:
        engine.dispose()


def _hub_do(hub: Hub, statement: str, **params: object) -> None:
    engine = create_engine(hub.database)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement), params)
    finally:
        engine.dispose()


def test_issue17_a_laptop_joined_before_epochs_is_not_taken_for_a_copy(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    before = a.db.device_id
    # As 0017 left it: the hub's device has no epoch yet, and the laptop shows none.
    _hub_do(hub, "UPDATE hubdevice SET epoch = '', epoch_next = NULL WHERE id = :id", id=before)
    settings.set_value(a.db, sync.HUB_EPOCH, "")
    result = sync.sync(a.db)
    assert not result.copied
    assert a.db.device_id == before
    assert _hub(hub, "SELECT count(*) FROM hubdevice") == [(1,)]
    # From now on it has an epoch like any laptop: an old one is refused again.
    stale = settings.get(a.db, sync.HUB_EPOCH)
    sync.sync(a.db)
    settings.set_value(a.db, sync.HUB_EPOCH, stale)
    assert sync.sync(a.db).copied


def test_issue17_a_laptop_joined_before_settings_and_audit_synced_sends_what_it_held_once(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    sync.sync(b.db)
    sync.sync(a.db)  # (a holds b's audit entries now: they are b's to send, not a's)
    # Written while these tables did not sync yet: nothing went into the outbox.
    a.db.sync_on = False
    settings.save_organisation_settings(
        a.db, a.worker_id, organisation="Welzijn De Wolden", lock_minutes=7, retention_years=4, export_folder=""
    )
    audit.log(a.db, a.worker_id, "resident.view")
    a.db.sync_on = True
    settings.set_value(a.db, sync.QUEUED_TABLES, "")  # as a laptop joined before 0018 has it
    audit.log(a.db, a.worker_id, "login")  # the first login after the update: waits to be sent
    monkeypatch.setattr(sync, "PUSH_PAGE", 3)  # (its trail goes up over several pushes)
    with a.db.reading() as reading:
        own = set(reading.exec(select(col(AuditEvent.id)).where(col(AuditEvent.device_id) == a.db.device_id)))
    assert sync.sync(a.db).pushed >= len(own) + 1
    # Only its own entries (those it had sent since 0018 go again, and the hub knows them): b's
    # would have been refused at the hub as another laptop's chain.
    refused = (
        "SELECT count(*) FROM hubchange h JOIN auditevent e ON e.id = h.row_id "
        "WHERE h.table_name = 'auditevent' AND h.kind = 'lost' AND e.device_id <> :a"
    )
    assert _hub(hub, refused, a=a.db.device_id) == [(0,)]
    at_hub = {row[0] for row in _hub(hub, "SELECT id FROM auditevent")}
    assert own <= at_hub
    assert _hub(hub, "SELECT value FROM orgsetting WHERE key = 'retention_years'") == [("4",)]
    assert _hub(hub, "SELECT kind FROM hubauditalert") == []  # its trail went up in its order: no gap
    # Once: the next sync sends nothing of it again.
    assert sync.sync(a.db).pushed == 0
