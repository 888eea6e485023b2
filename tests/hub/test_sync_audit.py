"""The audit trail travels: every laptop's entries reach the hub and the other laptops, each
in its own chain, so "Wie keek mee" shows views made anywhere and no chain breaks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from wijkwerk_tui.db import capture
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops.maintenance import check
from wijkwerk_tui.queries.who_looked import who_looked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import audit, residents


def test_issue17_views_on_one_laptop_show_on_the_other_and_every_chain_holds(tmp_path: Path, hub: Hub) -> None:
    clock = FakeClock(datetime.now(UTC))
    # Both laptops made "Sanne Kuiper": the organisation knows her under laptop a's id.
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, clock)
    anna = residents.add_resident(a.db, a.worker_id, PersonalData("Anna", "de", "Vries", 1950), None)
    sync.sync(a.db)
    sync.sync(b.db)
    residents.get_resident(b.db, b.worker_id, anna.id)  # a view, on laptop b
    sync.sync(b.db)
    sync.sync(a.db)

    for laptop in (a, b):
        chain = audit.verify_chain(laptop.db)
        assert chain.ok and chain.devices == 2
        said = "\n".join(check(laptop.db).lines())
        assert "in 2 ketens (één per laptop), in orde" in said
        actions = {(e.device_id, e.action) for e in audit.events_for_resident(laptop.db, anna.id)}
        assert {(a.db.device_id, "resident.create"), (b.db.device_id, "resident.view")} <= actions
    looks = who_looked(a.db, a.worker_id, anna.id)
    assert [(look.worker, look.action) for look in looks if look.action == "resident.view"] == [
        ("Sanne Kuiper", "resident.view")
    ]
    on_b = [e for e in audit.events_for_resident(b.db, anna.id) if e.action == "resident.create"]
    assert [(e.worker_id, e.origin_worker) for e in on_b] == [(b.worker_id, a.worker_id)]
    engine = create_engine(hub.database)
    try:
        with engine.connect() as connection:
            devices = connection.execute(text("SELECT count(DISTINCT device_id) FROM auditevent")).scalar()
    finally:
        engine.dispose()
    assert devices == 2


def test_issue17_the_hub_takes_no_audit_entry_of_another_laptops_chain_nor_a_swapped_worker(
    tmp_path: Path, hub: Hub
) -> None:
    clock = FakeClock(datetime.now(UTC))
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, clock)
    sync.sync(a.db)
    sync.sync(b.db)
    now = datetime.now(UTC)

    def entry(device: str, origin: object = None) -> dict:
        made = audit.Entry(1, 2, uuid.uuid4(), now, a.worker_id, "resident.view", None, "", device, "", origin)
        fields = capture.encoded({**vars(made), "hash": audit.digest(made)})
        stamp = a.db.hlc.now(now).text()
        return {"id": str(uuid.uuid4()), "table": "auditevent", "row": fields["id"], "kind": "insert",
                "fields": fields, "base": 0, "hlc": stamp, "worker": str(a.worker_id)}  # fmt: skip

    forged = [entry(b.db.device_id), entry(a.db.device_id, origin=uuid.uuid4()), entry(a.db.device_id)]
    with laptops.as_laptop(hub.url, a) as client:
        sync.hub_call(client, "POST", "/v1/push", json={"changes": forged})
    engine = create_engine(hub.database)
    try:
        with engine.connect() as connection:
            kept = set(connection.execute(text("SELECT id::text FROM auditevent")).scalars())
    finally:
        engine.dispose()
    assert [change["row"] in kept for change in forged] == [False, False, True]  # only its own, as written
    sync.sync(b.db)
    assert audit.verify_chain(b.db).ok  # b's chain untouched
