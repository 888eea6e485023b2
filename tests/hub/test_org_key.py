"""The organisation's key across laptops (issue 18, the trust root): `hub init` gives the hub
its public half once, every laptop pins it (at joining, or at its next sync), an account row
changed on some laptop without the key is honoured on none, and a hub that names another key
gets nothing from a laptop."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from tests.security.test_account_trust import _forge
from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import AuditEvent
from wijkwerk_tui.domain.accounts import COORDINATOR, WORKER
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import trust as hub_trust
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import residents, trust, workers
from wijkwerk_tui.store.access import viewer_of

PIET, PIET_PASS = "Piet de Boer", "groene-piet-op-de-fiets"


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _pinned(laptop: Unlocked) -> str:
    with laptop.db.reading() as session:
        return trust.pinned(session)


def _hub_key(hub: Hub) -> str:
    engine = hub_engine(hub.database)
    try:
        return hub_trust.current(engine)
    finally:
        engine.dispose()


def _actions(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.exec(select(AuditEvent.action).order_by(col(AuditEvent.seq))))


def test_init_pins_the_key_on_every_laptop_and_the_hub_keeps_the_first(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    for laptop in (a, b, a):
        sync.sync(laptop.db)
    fingerprint, signed = vault.init_org_key(a, PASS)
    assert sorted(signed) == [PIET, "Sanne Kuiper"]
    key = _hub_key(hub)
    assert org_key.fingerprint(key) == fingerprint and _pinned(a) == key
    assert _pinned(b) == ""
    sync.sync(a.db)
    sync.sync(b.db)
    assert _pinned(b) == key and "hub.org_key_pinned" in _actions(b.db)
    assert workers.unsigned(b.db) == []  # b's own Sanne took the organisation's signature
    c = laptops.joined(tmp_path, "c", hub.url, hub.database, real_clock)
    assert _pinned(c) == key  # pinned at joining, before anything came in
    sync.sync(c.db)
    assert workers.unsigned(c.db) == []
    # A second init, or a laptop offering another key, changes nothing at the hub.
    with pytest.raises(ValidationError, match="kent al een sleutel"):
        vault.init_org_key(b, PASS)
    other = org_key.new_org_key()
    with laptops.as_laptop(hub.url, b) as client:
        answer = sync.hub_call(
            client,
            "POST",
            "/v1/org-key",
            json={"worker": str(b.worker_id), "public_key": other.public, "wrapped": org_key.wrap(other, "x", "y")},
        )
    assert answer["public_key"] == key and _hub_key(hub) == key
    for laptop in (a, b, c):
        laptop.db.close()


def test_only_a_coordinator_at_the_hub_gives_it_a_key(hub: Hub, tmp_path: Path, real_clock: FakeClock) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    sync.sync(a.db)
    piet = workers.find_by_name(a.db, PIET)
    assert piet is not None
    key = org_key.new_org_key()
    with pytest.raises(sync.SyncError, match="Alleen een coördinator"):
        sync.publish_org_key(a.db, piet.id, key.public, org_key.wrap(key, PIET_PASS, PIET))
    assert _hub_key(hub) == ""
    a.db.close()


def test_account_changes_travel_signed_and_a_token_holder_s_do_not_travel(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    vault.add_account(a, "Els Worst", WORKER, PIET_PASS, PIET_PASS)
    sync.sync(a.db)
    vault.init_org_key(a, PASS)
    sync.sync(a.db)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    sync.sync(b.db)
    piet_on_b = workers.find_by_name(b.db, PIET)
    assert piet_on_b is not None and viewer_of(b.db, piet_on_b.id).role == WORKER
    # Piet, with b's token and Python, makes himself coordinator and switches Els off.
    _forge(b.db, PIET, role=COORDINATOR)
    _forge(b.db, "Els Worst", active=False)
    assert viewer_of(b.db, piet_on_b.id).role == WORKER  # not honoured on his own laptop either
    sync.sync(b.db)
    sync.sync(a.db)
    piet, els = workers.find_by_name(a.db, PIET), workers.find_by_name(a.db, "Els Worst")
    assert piet is not None and piet.role == WORKER and els is not None and els.active
    assert workers.unsigned(a.db) == []
    # Whoever writes to the hub's database makes Piet coordinator there: the hub itself does not
    # take him for one (its report, its alerts), as no laptop does.
    engine = hub_engine(hub.database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE worker SET role = 'coordinator' WHERE name = :n"), {"n": PIET})
    engine.dispose()
    with laptops.as_laptop(hub.url, b) as client, pytest.raises(sync.SyncError, match="coördinator"):
        sync.hub_call(client, "POST", "/v1/alerts/seen", json={"worker": str(piet_on_b.id), "ids": []})
    # A coordinator's deactivation on a travels to b, signed, and holds there.
    vault.set_active(a, els.id, False)
    sync.sync(a.db)
    sync.sync(b.db)
    els_on_b = workers.find_by_name(b.db, "Els Worst")
    assert els_on_b is not None and not els_on_b.active and "Els Worst" not in [w.name for w in workers.unsigned(b.db)]
    a.db.close()
    b.db.close()


def test_a_coordinator_signs_on_another_laptop_with_his_copy(hub: Hub, tmp_path: Path, real_clock: FakeClock) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    vault.init_org_key(a, PASS)
    sync.sync(a.db)
    sync.sync(b.db)
    path_b = Path(b.db.path)
    b.db.close()
    b = vault.login(path_b, "Sanne Kuiper", PASS, real_clock)  # her copy came with her account
    assert b.org_key is not None and b.org_key.public == _hub_key(hub)
    vault.add_account(b, PIET, WORKER, PIET_PASS, PIET_PASS)
    sync.sync(b.db)
    sync.sync(a.db)
    assert workers.unsigned(a.db) == [] and workers.find_by_name(a.db, PIET) is not None
    a.db.close()
    b.db.close()


def test_a_hub_that_names_another_key_gets_nothing(hub: Hub, tmp_path: Path, real_clock: FakeClock) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    vault.init_org_key(a, PASS)
    sync.sync(a.db)
    engine = hub_engine(hub.database)
    with engine.begin() as connection:  # someone with the hub's database swaps in his own key
        connection.execute(text("UPDATE hubtrust SET public_key = :k"), {"k": org_key.new_org_key().public})
    engine.dispose()
    residents.add_resident(a.db, a.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None)
    with pytest.raises(sync.SyncError, match="andere sleutel") as refused:
        sync.sync(a.db)
    assert refused.value.code == "org_key"
    assert sync.status(a.db).waiting > 0  # nothing went up
    a.db.close()


def test_an_init_cut_off_after_the_hub_took_the_key_is_finished_by_running_it_again(
    hub: Hub, tmp_path: Path, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)

    def full_disk(*_args: object, **_kwargs: object) -> list[str]:
        raise OSError("schijf vol")

    with monkeypatch.context() as patched:
        patched.setattr(workers, "adopt_org_key", full_disk)
        with pytest.raises(OSError):
            vault.init_org_key(a, PASS)
    made = _hub_key(hub)
    assert made and _pinned(a) == ""
    a.org_key = None
    fingerprint, _signed = vault.init_org_key(a, PASS)
    assert _pinned(a) == made and fingerprint == org_key.fingerprint(made)
    a.db.close()
