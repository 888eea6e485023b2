"""The holes a helper's attack review found in the workers' key pairs (issue 18), each closed:
a switch-off without the organisation's key, `hub init` signing a pair swapped in on its laptop,
a pair nothing can be sealed to, an older record or copy sent back, a forged switch-off at the
hub, and account fields in conflicts nobody can decide. Against a real PostgreSQL and hub."""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from tests.hub.test_org_key import _hub_sql, _init
from tests.hub.test_worker_keys import PIET, PIET_NEW, PIET_PASS, SANNE, _refused, _relogin, _sync
from tests.hub.test_worker_keys import office as office  # the fixture: two laptops, the key pinned
from tests.security.test_account_trust import _forge
from wijkwerk_tui.crypto import worker_key
from wijkwerk_tui.crypto.org_key import b64
from wijkwerk_tui.domain.accounts import COORDINATOR, WORKER
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.keyfile import keyfile_path
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import conflicts, trust, workers
from wijkwerk_tui.store.trust import OwnKey

KAREN, KAREN_PASS = "Karin Mulder", "rode-karin-op-de-brommer"
HIS = "ik-weet-het-zelf-wel"


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _row(laptop: Unlocked, name: str):  # type: ignore[no-untyped-def]
    found = workers.find_by_name(laptop.db, name)
    assert found is not None
    return found


def _resend(db, name: str, **fields: object) -> None:  # type: ignore[no-untyped-def]
    """A token holder makes his laptop send `fields` of an account in one change: blank them in
    one transaction, set them in the next (the capture sends the changed fields)."""
    _forge(db, name, **dict.fromkeys(fields, ""))
    _forge(db, name, **fields)


def _change(row: uuid.UUID, kind: str, fields: dict[str, object], laptop: Unlocked) -> dict[str, object]:
    stamp = f"{int(datetime.now(UTC).timestamp() * 1000):015d}-000001-{laptop.db.device_id}"
    return {
        "id": str(uuid.uuid4()),
        "table": "worker",
        "row": str(row),
        "kind": kind,
        "fields": fields,
        "base": 0,
        "hlc": stamp,
        "worker": str(laptop.worker_id),
    }


def _hub_log(hub: Hub, row_id: object, fields: dict[str, object]) -> None:
    """Whoever writes to the hub's database: a change of his own in the hub's log."""
    _hub_sql(
        hub,
        "INSERT INTO hubchange (change_id, device_id, worker_id, table_name, row_id, kind, fields, version, hlc,"
        " received_at) SELECT :c, device_id, worker_id, table_name, row_id, 'update', :f, version + 1, hlc,"
        " received_at FROM hubchange WHERE row_id = :i ORDER BY seq DESC LIMIT 1",
        c=uuid.uuid4(),
        f=json.dumps(fields),
        i=row_id,
    )


def test_a_switch_off_without_the_key_is_refused_rather_than_holding_on_one_laptop(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    vault.add_account(a, KAREN, COORDINATOR, KAREN_PASS, KAREN_PASS)  # (before the init: no copy)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    _sync(a)
    _init(hub, a)
    _sync(a)
    _sync(b)
    karin = _relogin(a, KAREN, KAREN_PASS, real_clock)
    assert karin.org_key is None
    with pytest.raises(ValidationError) as refused:
        vault.set_active(karin, _row(karin, PIET).id, False)
    assert refused.value.message == trust.NEEDS_KEY  # (unsigned, he would stay on b)
    assert _row(karin, PIET).active
    karin.db.close()
    b.db.close()


def test_init_does_not_sign_a_pair_swapped_in_on_its_own_laptop(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    _sync(a)
    _sync(b)
    # Piet, with Python on the shared laptop a, gives coordinator Sanne a pair he holds, there.
    his = worker_key.new_worker_key()
    his_copy = worker_key.wrap(his, HIS, SANNE, 1)
    _forge(a.db, SANNE, public_key=his.public, wrapped_key=his_copy)
    _sync(a)
    _init(hub, a)  # shows "Sanne, coördinator, actief": signs her without the pair the hub lacks
    assert _row(a, SANNE).public_key == "" and workers.unsigned(a.db) == []
    signature = _row(a, SANNE).signature
    _sync(a)
    _resend(a.db, SANNE, signature=signature, public_key=his.public, wrapped_key=his_copy)
    _sync(a)
    assert _hub_sql(hub, "SELECT public_key FROM worker WHERE name = :n", n=SANNE) == [("",)]
    _sync(b)
    path_b = Path(b.db.path)
    b.db.close()
    assert "onjuist wachtwoord" in _refused(path_b, SANNE, HIS, real_clock)
    sanne = vault.login(path_b, SANNE, PASS, real_clock)  # her own slot on b stands
    assert sanne.org_key is not None  # (she holds the key there: her next login gives her a pair)
    sanne.db.close()
    a.db.close()


def _low_order_pair(name: str) -> OwnKey:
    """A copy signed by a real Ed25519 key, naming an X25519 public key of all zeros."""
    key = worker_key.new_worker_key()
    public = f"{b64(bytes(32))}.{key.public.split('.')[1]}"
    blob: dict[str, object] = {
        "v": 1,
        "public": public,
        "n": 1,
        "kdf": {"time_cost": 1, "memory_kib": 64, "parallelism": 1},
        "salt": b64(secrets.token_bytes(16)),
        "nonce": b64(secrets.token_bytes(12)),
        "sealed": b64(secrets.token_bytes(80)),
    }
    blob["sig"] = key.sign(worker_key._copy_bytes(blob, name))
    return OwnKey(public, json.dumps(blob, sort_keys=True))


def test_a_pair_nothing_can_be_sealed_to_stops_no_login_and_no_sync(
    hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    workers.add_worker(b.db, None, "Jan Stagiair", WORKER, own=_low_order_pair("Jan Stagiair"))
    _sync(b)
    _sync(a)
    assert "Jan Stagiair" in _init(hub, a)
    _sync(a)
    path_a = Path(a.db.path)
    a.db.close()
    vault.login(path_a, SANNE, PASS, real_clock).db.close()
    _sync(b)
    b.db.close()


def test_an_older_record_from_a_tampered_hub_is_ignored_where_the_newer_was_seen(
    office: tuple[Unlocked, Unlocked], hub: Hub, real_clock: FakeClock
) -> None:
    a, b = office
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    _sync(a)
    _sync(b)
    [(old_sig, old_pub, old_copy, piet_id)] = _hub_sql(  # type: ignore[misc]
        hub, "SELECT signature, public_key, wrapped_key, id FROM worker WHERE name = :n", n=PIET
    )
    vault.set_passphrase(a, _row(a, PIET).id, PIET_NEW, PIET_NEW)  # the coordinator's reset: a new pair
    _sync(a)
    _sync(b)
    path_b = Path(b.db.path)
    assert "onjuist wachtwoord" in _refused(path_b, PIET, PIET_PASS, real_clock)
    _hub_sql(
        hub,
        "UPDATE worker SET signature = :s, public_key = :p, wrapped_key = :w WHERE id = :i",
        s=old_sig,
        p=old_pub,
        w=old_copy,
        i=piet_id,
    )
    _hub_log(hub, piet_id, {"signature": old_sig, "public_key": old_pub, "wrapped_key": old_copy})
    _sync(b)
    assert "onjuist wachtwoord" in _refused(path_b, PIET, PIET_PASS, real_clock)
    a.db.close()
    b.db.close()


def test_account_fields_make_no_conflicts_and_the_newest_signed_state_holds(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a, b = office
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    _sync(a)
    _sync(b)
    piet_b = _relogin(b, PIET, PIET_PASS, real_clock)
    vault.set_passphrase(piet_b, piet_b.worker_id, PIET_NEW, PIET_NEW, current=PIET_PASS)
    _sync(piet_b)
    reset = "reset-door-sanne-gedaan"
    vault.set_passphrase(a, _row(a, PIET).id, reset, reset)  # a has not synced since b's change
    _sync(a)
    [(pub, copy)] = _hub_sql(hub, "SELECT public_key, wrapped_key FROM worker WHERE name = :n", n=PIET)  # type: ignore[misc]
    assert worker_key.copy_signed(str(copy), str(pub), PIET)  # the hub's row names one pair, its own copy
    assert conflicts.open_for(a.db, a.worker_id) == []
    _sync(piet_b)
    assert conflicts.open_for(piet_b.db, piet_b.worker_id) == []
    sync.sync(a.db)  # (both go on syncing)
    c = laptops.joined(tmp_path, "c", hub.url, hub.database, real_clock)
    _sync(c)
    path_c, path_b = Path(c.db.path), Path(piet_b.db.path)
    c.db.close()
    piet_b.db.close()
    for path in (path_c, path_b):  # the reset, signed later, holds; Piet's own change is gone
        vault.login(path, PIET, reset, real_clock).db.close()
        assert "onjuist wachtwoord" in _refused(path, PIET, PIET_NEW, real_clock)
    a.db.close()


def test_an_older_copy_of_the_organisation_s_key_sent_back_is_not_taken(
    office: tuple[Unlocked, Unlocked], hub: Hub, real_clock: FakeClock
) -> None:
    a, b = office
    old_copy = _row(b, SANNE).org_key
    assert old_copy
    new = "nieuw-wachtwoord-van-sanne"
    vault.set_passphrase(a, a.worker_id, new, new, current=PASS)
    _sync(a)
    _sync(b)
    change = {**_change(a.worker_id, "update", {"org_key": old_copy}, b), "base": 10**6}
    with laptops.as_laptop(hub.url, b) as client:
        answer = client.post("/v1/push", json={"changes": [change]})
    assert answer.status_code == 200, answer.text
    assert _hub_sql(hub, "SELECT org_key = :o FROM worker WHERE name = :n", o=old_copy, n=SANNE) == [(False,)]
    _sync(a)
    path_a = Path(a.db.path)
    a.db.close()
    sanne = vault.login(path_a, SANNE, new, real_clock)
    assert sanne.org_key is not None
    sanne.db.close()
    b.db.close()


def test_a_switch_off_forged_in_the_hub_s_database_takes_no_slot(
    office: tuple[Unlocked, Unlocked], hub: Hub, real_clock: FakeClock
) -> None:
    a, b = office
    [(sanne_id,)] = _hub_sql(hub, "SELECT id FROM worker WHERE name = :n", n=SANNE)  # type: ignore[misc]
    _hub_sql(hub, "UPDATE worker SET active = false WHERE id = :i", i=sanne_id)
    _hub_log(hub, sanne_id, {"active": False})
    _sync(b)
    path_b = Path(b.db.path)
    b.db.close()
    assert SANNE in vault.load_keys(keyfile_path(path_b)).names()
    a.db.close()


def test_odd_account_and_area_inserts_are_refused_not_a_server_error(
    office: tuple[Unlocked, Unlocked], hub: Hub
) -> None:
    a, b = office
    tries = {
        "worker without a name": _change(uuid.uuid4(), "insert", {"role": "worker"}, a),
        "worker with a lone surrogate": _change(uuid.uuid4(), "insert", {"name": "Jan \ud800", "role": "worker"}, a),
        "area without a name": {**_change(uuid.uuid4(), "insert", {}, a), "table": "area"},
        "area with a lone surrogate": {
            **_change(uuid.uuid4(), "insert", {"name": "Ruinen \ud800"}, a),
            "table": "area",
        },
    }
    for what, change in tries.items():
        with laptops.as_laptop(hub.url, a) as client:
            body = json.dumps({"changes": [change]}, ensure_ascii=True)
            answer = client.post("/v1/push", content=body, headers={"content-type": "application/json"})
        assert answer.status_code == 409, (what, answer.status_code)
        assert "begrijpt een wijziging" in answer.json()["fout"]
    sync.sync(a.db)  # (the laptop's own pushes go on)
    a.db.close()
    b.db.close()
