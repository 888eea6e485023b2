"""The organisation's key across laptops (issue 18, the trust root): `hub init` offers the hub
its public half, the hub's operator accepts it by its fingerprint, every laptop pins it (at
joining, or at its next sync), account changes travel only signed and newer, and a hub that
names another key gets nothing from a laptop."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from tests.security.test_account_trust import _forge
from wijkwerk_tui import cli_hub
from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import stamp_new
from wijkwerk_tui.db.tables import AuditEvent, OrgSetting, Worker
from wijkwerk_tui.domain.accounts import COORDINATOR, WORKER
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import trust as hub_trust
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import residents, settings, trust, workers
from wijkwerk_tui.store.access import viewer_of

PIET, PIET_PASS = "Piet de Boer", "groene-piet-op-de-fiets"


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _pinned(laptop: Unlocked) -> str:
    with laptop.db.reading() as session:
        return trust.pinned(session)


def _hub_sql(hub: Hub, statement: str, **values: object) -> list[object]:
    engine = hub_engine(hub.database)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), values)
            return list(result.all()) if result.returns_rows else []
    finally:
        engine.dispose()


def _hub_key(hub: Hub) -> str:
    engine = hub_engine(hub.database)
    try:
        return hub_trust.accepted(engine)
    finally:
        engine.dispose()


def _accept(hub: Hub, fingerprint: str) -> str:
    engine = hub_engine(hub.database)
    try:
        return hub_trust.accept(engine, fingerprint, datetime.now(UTC))
    finally:
        engine.dispose()


def _init(hub: Hub, laptop: Unlocked) -> list[str]:
    """`hub init`, the operator's `hub accept-key`, `hub init` again: the names signed."""
    offer = vault.offer_org_key(laptop, PASS)
    assert not offer.accepted and _hub_key(hub) == ""
    assert _accept(hub, offer.fingerprint.upper()) == laptop.worker_name
    again = vault.offer_org_key(laptop, PASS)
    assert again.accepted and again.key.public == offer.key.public
    return vault.adopt_org_key(laptop, again, vault.accounts_to_sign(laptop))


def _actions(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.exec(select(AuditEvent.action).order_by(col(AuditEvent.seq))))


def test_init_pins_the_key_on_every_laptop_and_the_hub_keeps_the_accepted_one(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    for laptop in (a, b, a):
        sync.sync(laptop.db)
    assert sorted(_init(hub, a)) == [PIET, "Sanne Kuiper"]
    key = _hub_key(hub)
    assert _pinned(a) == key and _pinned(b) == ""
    sync.sync(a.db)
    sync.sync(b.db)
    assert _pinned(b) == key and "hub.org_key_pinned" in _actions(b.db)
    assert workers.unsigned(b.db) == []  # b's own Sanne took the organisation's signature
    c = laptops.joined(tmp_path, "c", hub.url, hub.database, real_clock)
    assert _pinned(c) == ""  # not at joining: at the end of the first sync that brought everything in
    sync.sync(c.db)
    assert _pinned(c) == key and "hub.org_key_pinned" in _actions(c.db)
    assert workers.unsigned(c.db) == []
    # A second init, or a laptop offering another key, changes nothing at the hub.
    with pytest.raises(ValidationError, match="kent al een sleutel"):
        vault.offer_org_key(b, PASS)
    other = org_key.new_org_key()
    with laptops.as_laptop(hub.url, b) as client:
        answer = sync.hub_call(
            client,
            "POST",
            "/v1/org-key",
            json={"worker": str(b.worker_id), "public_key": other.public, "wrapped": org_key.wrap(other, "x", "y")},
        )
    assert answer["public_key"] == key and answer["accepted"] is True and _hub_key(hub) == key
    with pytest.raises(hub_trust.NoSuchKey, match="nooit vervangen"):
        _accept(hub, org_key.fingerprint(other.public))
    for laptop in (a, b, c):
        laptop.db.close()


def test_a_key_offered_with_a_worker_s_token_is_never_the_organisation_s(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    sync.sync(a.db)
    piet = workers.find_by_name(a.db, PIET)
    assert piet is not None
    his = org_key.new_org_key()
    with pytest.raises(sync.SyncError, match="Alleen een coördinator"):  # in his own name
        sync.publish_org_key(a.db, piet.id, his.public, org_key.wrap(his, PIET_PASS, PIET))
    offer = vault.offer_org_key(a, PASS)
    # ... and in Sanne's name, after her offer: his takes its place, so hers is not on offer.
    sync.publish_org_key(a.db, a.worker_id, his.public, org_key.wrap(his, PIET_PASS, "Sanne Kuiper"))
    with pytest.raises(hub_trust.NoSuchKey, match="Geen aangeboden sleutel"):
        _accept(hub, offer.fingerprint)
    assert _hub_key(hub) == ""  # the operator, reading her fingerprint, accepts nothing
    sync.sync(a.db)
    assert _pinned(a) == ""
    with pytest.raises(ValidationError, match="niet deze"):  # she cannot take his key as hers
        _accept(hub, org_key.fingerprint(his.public))
        vault.offer_org_key(a, PASS)
    a.db.close()


def test_account_changes_travel_signed_and_a_token_holder_s_do_not(
    hub: Hub,
    tmp_path: Path,
    real_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    vault.add_account(a, "Els Worst", WORKER, PIET_PASS, PIET_PASS)
    sync.sync(a.db)
    _init(hub, a)
    sync.sync(a.db)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    sync.sync(b.db)
    piet_on_b = workers.find_by_name(b.db, PIET)
    assert piet_on_b is not None and viewer_of(b.db, piet_on_b.id).role == WORKER
    # Piet, with b's token and Python, makes himself coordinator, switches Els off and puts a
    # copy of a key of his own in Sanne's row.
    _forge(b.db, PIET, role=COORDINATOR)
    _forge(b.db, "Els Worst", active=False)
    _forge(b.db, PIET, deleted_at=datetime.now(UTC))  # (a login would find no account)
    stranger = org_key.new_org_key()
    _forge(b.db, "Sanne Kuiper", org_key=org_key.wrap(stranger, PIET_PASS, "Sanne Kuiper"))
    _forge(b.db, PIET, org_key=org_key.wrap(stranger, PIET_PASS, PIET))  # (a field nobody else changed)
    assert viewer_of(b.db, piet_on_b.id).role == WORKER  # not honoured on his own laptop either
    sync.sync(b.db)
    sync.sync(a.db)
    piet, els = workers.find_by_name(a.db, PIET), workers.find_by_name(a.db, "Els Worst")
    assert piet is not None and piet.role == WORKER and els is not None and els.active
    assert workers.unsigned(a.db) == [] and piet.deleted_at is None
    [(kept,)] = _hub_sql(hub, "SELECT org_key FROM worker WHERE name = 'Sanne Kuiper'")
    assert org_key.copy_signed(str(kept), _hub_key(hub), "Sanne Kuiper")
    assert _hub_sql(hub, "SELECT org_key FROM worker WHERE name = :n", n=PIET) == [("",)]
    # Whoever writes to the hub's database makes Piet coordinator there: the hub itself does not
    # take him for one (its report, its alerts), as no laptop does.
    _hub_sql(hub, "UPDATE worker SET role = 'coordinator' WHERE name = :n", n=PIET)
    with laptops.as_laptop(hub.url, b) as client, pytest.raises(sync.SyncError, match="coördinator"):
        sync.hub_call(client, "POST", "/v1/alerts/seen", json={"worker": str(piet_on_b.id), "ids": []})
    monkeypatch.setenv("WIJKWERK_HUB_DATABASE", hub.database)
    assert cli_hub.check_hub() == 1  # `wijkwerk check --hub` names him
    assert "Niet ondertekend: Piet de Boer (coördinator, actief)" in capsys.readouterr().out
    _hub_sql(hub, "UPDATE worker SET role = 'worker' WHERE name = :n", n=PIET)
    assert cli_hub.check_hub() == 0
    assert "alle ondertekend" in capsys.readouterr().out
    # A coordinator's deactivation on a travels to b, signed, and holds there; Els's older signed
    # record, sent again from b, does not bring her back.
    old_signature = els.signature
    vault.set_active(a, els.id, False)
    sync.sync(a.db)
    sync.sync(b.db)
    els_on_b = workers.find_by_name(b.db, "Els Worst")
    assert els_on_b is not None and not els_on_b.active and "Els Worst" not in [w.name for w in workers.unsigned(b.db)]
    _forge(b.db, "Els Worst", active=True, signature=old_signature)
    sync.sync(b.db)
    sync.sync(a.db)
    assert not workers.get_worker(a.db, els.id).active
    assert _hub_sql(hub, "SELECT active FROM worker WHERE name = 'Els Worst'") == [(False,)]
    a.db.close()
    b.db.close()


def test_a_settings_change_in_the_name_of_an_unsigned_coordinator_is_not_taken(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    _init(hub, a)
    sync.sync(a.db)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    sync.sync(b.db)
    years = settings.retention_years(a.db)
    with b.db.transaction() as session:  # a token holder's own insert, past the store's refusal
        fake = stamp_new(b.db, None, Worker(name="Nep Coördinator", role=COORDINATOR))
        session.add(fake)
    b.db.actor = fake.id
    with b.db.transaction() as session:
        row = session.exec(select(OrgSetting).where(OrgSetting.key == settings.RETENTION_KEY)).first()
        if row is None:
            row = OrgSetting(key=settings.RETENTION_KEY, value="1")
        row.value = "1"
        session.add(row)
    sync.sync(b.db)
    sync.sync(a.db)
    assert settings.retention_years(a.db) == years != 1
    assert _hub_sql(hub, "SELECT role FROM worker WHERE name = 'Nep Coördinator'") == [("worker",)]
    a.db.close()
    b.db.close()


def test_a_change_to_an_account_the_hub_does_not_hold_is_not_an_error(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    _init(hub, a)
    change = {
        "id": str(uuid.uuid4()),
        "table": "worker",
        "row": str(uuid.uuid4()),
        "kind": "update",
        "fields": {"role": "coordinator"},
        "base": 1,
        "hlc": a.db.hlc.now(a.db.now()).text(),
        "worker": str(a.worker_id),
    }
    with laptops.as_laptop(hub.url, a) as client:
        answer = sync.hub_call(client, "POST", "/v1/push", json={"changes": [change]})
    assert answer["toegepast"] == 1  # taken, as one whose row never reached the hub
    a.db.close()


def test_a_coordinator_signs_on_another_laptop_with_his_copy(hub: Hub, tmp_path: Path, real_clock: FakeClock) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    _init(hub, a)
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
    _init(hub, a)
    sync.sync(a.db)
    # someone with the hub's database swaps in his own key, and signs a coordinator with it
    his = org_key.new_org_key()
    _hub_sql(hub, "UPDATE hubtrust SET public_key = :k", k=his.public)
    [(pair,)] = _hub_sql(hub, "SELECT public_key FROM worker WHERE name = 'Sanne Kuiper'")  # type: ignore[misc]
    signed = org_key.sign_account(his, "Sanne Kuiper", COORDINATOR, True, 99, str(pair))
    _hub_sql(hub, "UPDATE worker SET signature = :s WHERE name = 'Sanne Kuiper'", s=signed)
    residents.add_resident(a.db, a.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None)
    with pytest.raises(sync.SyncError, match="andere sleutel") as refused:
        sync.sync(a.db)
    assert refused.value.code == "org_key"
    assert sync.status(a.db).waiting > 0  # nothing went up
    a.db.close()


def test_an_init_cut_off_after_the_key_was_accepted_is_finished_by_running_it_again(
    hub: Hub, tmp_path: Path, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    offer = vault.offer_org_key(a, PASS)
    _accept(hub, offer.fingerprint)

    def full_disk(*_args: object, **_kwargs: object) -> list[str]:
        raise OSError("schijf vol")

    accepted = vault.offer_org_key(a, PASS)
    with monkeypatch.context() as patched:
        patched.setattr(workers, "adopt_org_key", full_disk)
        with pytest.raises(OSError):
            vault.adopt_org_key(a, accepted, vault.accounts_to_sign(a))
    assert _pinned(a) == ""
    a.org_key = None
    again = vault.offer_org_key(a, PASS)  # a new key made, the accepted one taken back
    assert again.accepted and again.key.public == offer.key.public
    assert vault.adopt_org_key(a, again, vault.accounts_to_sign(a)) == ["Sanne Kuiper"]
    assert _pinned(a) == _hub_key(hub) == offer.key.public
    a.db.close()


def test_a_first_sync_cut_off_after_joining_locks_nobody_out(
    hub: Hub, tmp_path: Path, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    _init(hub, a)
    sync.sync(a.db)
    c = laptops.joined(tmp_path, "c", hub.url, hub.database, real_clock)
    pull = sync.pull

    def cut_off(*args: object, **kwargs: object) -> int:
        raise sync.SyncError("De hub is niet bereikbaar.", offline=True)

    monkeypatch.setattr(sync, "pull", cut_off)  # (a timeout halfway, as on a slow hall network)
    with pytest.raises(sync.SyncError):
        sync.sync(c.db)
    monkeypatch.setattr(sync, "pull", pull)
    assert _pinned(c) == ""
    path = Path(c.db.path)
    c.db.close()
    c = vault.login(path, "Sanne Kuiper", PASS, real_clock)  # her own account still opens c
    sync.sync(c.db)
    assert _pinned(c) == _hub_key(hub) and workers.unsigned(c.db) == []
    c.db.close()
    a.db.close()
