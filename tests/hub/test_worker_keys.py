"""Workers' key pairs across laptops (issue 18): a worker added on laptop A logs in on laptop B
after a sync (not before), without a coordinator at B; his passphrase changed on B holds on A
after A's sync, the old one no longer; a deactivation takes his slot away everywhere; and no
token holder can slip a key pair of his own (or an older copy of the worker's) into anyone's
account. Against a real PostgreSQL and a real hub process."""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from tests.hub.test_org_key import _hub_sql, _init
from tests.security.test_account_trust import _forge
from tests.ui.helpers import settle
from wijkwerk_tui import cli_hub
from wijkwerk_tui.crypto import worker_key
from wijkwerk_tui.db.engine import DatabaseError, open_database
from wijkwerk_tui.domain.accounts import WORKER
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.keyfile import keyfile_path
from wijkwerk_tui.security.vault import LoginError, Unlocked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import settings, workers
from wijkwerk_tui.ui.app import make_app

PIET, PIET_PASS, PIET_NEW = "Piet de Boer", "groene-piet-op-de-fiets", "blauwe-piet-in-de-trein"
SANNE = "Sanne Kuiper"


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _sync(laptop: Unlocked) -> None:
    """As the app and `wijkwerk sync` do: the sync, then the slots for what arrived."""
    sync.sync(laptop.db)
    vault.take_accounts(laptop)


def _relogin(laptop: Unlocked, name: str, passphrase: str, clock: FakeClock) -> Unlocked:
    path = Path(laptop.db.path)
    laptop.db.close()
    return vault.login(path, name, passphrase, clock)


def _refused(path: Path, name: str, passphrase: str, clock: FakeClock) -> str:
    with pytest.raises(LoginError) as refused:
        vault.login(path, name, passphrase, clock).db.close()
    return refused.value.message


@pytest.fixture
def office(hub: Hub, tmp_path: Path, real_clock: FakeClock) -> tuple[Unlocked, Unlocked]:
    """Two laptops of one organisation, its key accepted and pinned on both."""
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    _sync(a)
    _init(hub, a)
    _sync(a)
    _sync(b)
    return a, b


def test_a_worker_added_on_one_laptop_logs_in_on_another_after_a_sync(
    office: tuple[Unlocked, Unlocked], real_clock: FakeClock
) -> None:
    a, b = office
    path_a, path_b = Path(a.db.path), Path(b.db.path)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    _sync(b)
    assert "Onbekende naam" in _refused(path_b, PIET, PIET_PASS, real_clock)  # not before a's sync
    _sync(a)
    _sync(b)  # Sanne is logged in on b: b's key is sealed to Piet's public key, no passphrase needed
    piet_b = _relogin(b, PIET, PIET_PASS, real_clock)
    assert (piet_b.worker_name, piet_b.role) == (PIET, WORKER)
    assert workers.get_worker(piet_b.db, piet_b.worker_id).passphrase_hash == ""  # no hash travelled
    # He changes his passphrase on b; on a it holds after a's sync, and the old one no longer.
    vault.set_passphrase(piet_b, piet_b.worker_id, PIET_NEW, PIET_NEW, current=PIET_PASS)
    assert vault.unlock(piet_b, PIET, PIET_NEW)  # b's lock screen knows it (his slot, not a hash)
    _sync(piet_b)
    _sync(a)
    assert "onjuist wachtwoord" in _refused(path_a, PIET, PIET_PASS, real_clock)
    assert not vault.unlock(a, PIET, PIET_NEW)  # a's lock screen: Piet takes over from Sanne
    a = _relogin(a, PIET, PIET_NEW, real_clock)
    a = _relogin(a, SANNE, PASS, real_clock)
    # Switched off on a (signed by Sanne's key): his slot goes on b at b's next sync.
    vault.set_active(a, a_piet(a), False)
    _sync(a)
    _sync(piet_b)  # (his own session syncing: the next login is refused all the same)
    piet_b.db.close()
    assert "Onbekende naam" in _refused(path_b, PIET, PIET_NEW, real_clock)
    assert PIET not in keyfile_names(path_b)
    a.db.close()


def a_piet(laptop: Unlocked) -> object:
    found = workers.find_by_name(laptop.db, PIET)
    assert found is not None
    return found.id


def keyfile_names(db_path: Path) -> list[str]:
    return vault.load_keys(keyfile_path(db_path)).names()


def test_no_token_holder_slips_in_a_key_pair_or_an_older_copy(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path, real_clock: FakeClock
) -> None:
    a, b = office
    path_b = Path(b.db.path)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    first_copy = workers.find_by_name(a.db, PIET).wrapped_key  # type: ignore[union-attr]
    piet_public = workers.find_by_name(a.db, PIET).public_key  # type: ignore[union-attr]
    _sync(a)
    _sync(b)
    # A worker with b's token and Python gives Piet a key pair he holds himself (its copy signed
    # by that pair, under a passphrase he knows): the hub keeps Piet's, no laptop seals to his.
    his = worker_key.new_worker_key()
    _forge(b.db, PIET, public_key=his.public, wrapped_key=worker_key.wrap(his, "ik-weet-het", PIET, 7))
    _sync(b)
    assert _hub_sql(hub, "SELECT public_key FROM worker WHERE name = :n", n=PIET) == [(piet_public,)]
    assert "onjuist wachtwoord" in _refused(path_b, PIET, "ik-weet-het", real_clock)
    b = _relogin(b, SANNE, PASS, real_clock)
    _sync(a)
    assert "onjuist wachtwoord" in _refused(Path(a.db.path), PIET, "ik-weet-het", real_clock)
    # Piet changes his passphrase on a; the token holder sends his first copy back: refused too.
    a = _relogin(a, PIET, PIET_PASS, real_clock)
    vault.set_passphrase(a, a.worker_id, PIET_NEW, PIET_NEW, current=PIET_PASS)
    _sync(a)
    _sync(b)
    _forge(b.db, PIET, public_key=piet_public, wrapped_key=first_copy)
    _sync(b)
    c = laptops.joined(tmp_path, "c", hub.url, hub.database, real_clock)  # a new laptop takes the hub's
    _sync(c)
    path_c = Path(c.db.path)
    c.db.close()
    assert "onjuist wachtwoord" in _refused(path_c, PIET, PIET_PASS, real_clock)
    vault.login(path_c, PIET, PIET_NEW, real_clock).db.close()
    [(kept,)] = _hub_sql(hub, "SELECT wrapped_key FROM worker WHERE name = :n", n=PIET)  # type: ignore[misc]
    assert worker_key.counter(str(kept)) == 2
    a.db.close()
    b.db.close()


async def test_the_app_s_sync_opens_the_laptop_to_an_account_that_arrived(
    office: tuple[Unlocked, Unlocked], real_clock: FakeClock
) -> None:
    a, b = office
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    sync.sync(a.db)
    path_b = Path(b.db.path)
    app = make_app(db=b.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sync at the app's start ran in a worker (and its own process)
        assert workers.find_by_name(b.db, PIET) is not None
        assert PIET in keyfile_names(path_b)
        piet = vault.login(path_b, PIET, PIET_PASS, real_clock)
        assert piet.worker_name == PIET
        piet.db.close()
    a.db.close()


def test_a_switched_off_worker_s_copy_of_the_laptop_s_token_stops_working(
    office: tuple[Unlocked, Unlocked], hub: Hub, real_clock: FakeClock
) -> None:
    a, b = office
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    _sync(a)
    _sync(b)
    # Piet, logged in on b with Python, reads b's token and epoch out of its database.
    stolen = (settings.get(b.db, sync.HUB_TOKEN), settings.get(b.db, sync.HUB_EPOCH))
    # A rotation whose answer was lost on the way: the laptop's token still works.
    with laptops.as_laptop(hub.url, b) as client:
        sync.hub_call(client, "POST", "/v1/token")
    _sync(b)
    with sync.hub_client(hub.url, *stolen) as client, pytest.raises(sync.SyncError) as before:
        sync.hub_call(client, "POST", "/v1/epoch")
    assert before.value.code == "epoch"  # (his copy still passes for a restored b: it may rejoin)
    vault.set_active(a, a_piet(a), False)
    _sync(a)
    assert settings.get(a.db, settings.ROTATE_TOKEN) == ""  # a rotated its own at that sync
    _sync(b)  # his slot goes, and b's token is rotated at once
    assert settings.get(b.db, sync.HUB_TOKEN) != stolen[0]
    assert settings.get(b.db, settings.ROTATE_TOKEN) == ""
    _sync(b)  # the hub sees b's new token: the old one opens nothing from now on
    with sync.hub_client(hub.url, *stolen) as client:
        for path, body in (("/v1/epoch", None), ("/v1/rejoin", {"device": str(uuid.uuid4())})):
            with pytest.raises(sync.SyncError, match="niet gekoppeld"):
                sync.hub_call(client, "POST", path, json=body)
    # A rotation the hub did not answer at once is done by the next sync.
    with b.db.transaction() as session:
        settings.put(session, settings.ROTATE_TOKEN, "1")
    held = settings.get(b.db, sync.HUB_TOKEN)
    sync.sync(b.db)
    assert settings.get(b.db, sync.HUB_TOKEN) != held and settings.get(b.db, settings.ROTATE_TOKEN) == ""
    sync.sync(b.db)  # (and the new one works)
    a.db.close()
    b.db.close()


def test_after_b_s_next_sync_a_switched_off_worker_s_old_key_file_opens_nothing_there(
    office: tuple[Unlocked, Unlocked], tmp_path: Path, real_clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = office
    path_b = Path(b.db.path)
    vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    _sync(a)
    _sync(b)
    kept = tmp_path / "piet-kept.keys"  # Piet keeps a copy of b's key file
    kept.write_bytes(keyfile_path(path_b).read_bytes())
    slot = vault.load_keys(kept).find_by_name(PIET)
    assert slot is not None
    old = slot.open(PIET_PASS)
    assert old is not None and old == b.db.key
    vault.set_active(a, a_piet(a), False)
    _sync(a)
    # b's next `wijkwerk sync` (the same code, its login given)
    assert cli_hub.run_sync(argparse.Namespace(), lambda _args: (b, PASS)) == 0
    assert "nieuwe sleutel" in capsys.readouterr().out
    with pytest.raises(DatabaseError):
        open_database(path_b, key=old).close()
    again = vault.login(path_b, SANNE, PASS, real_clock)  # b's own worker logs in as before
    assert again.db.key != old
    assert workers.find_by_name(again.db, PIET) is not None  # (his account is there, switched off)
    again.db.close()
    a.db.close()


def test_a_worker_s_areas_set_on_one_laptop_hold_on_the_other(office: tuple[Unlocked, Unlocked]) -> None:
    from wijkwerk_tui.domain.names import PersonalData
    from wijkwerk_tui.services import resident_file
    from wijkwerk_tui.store import areas, residents, scope

    a, b = office
    piet = vault.add_account(a, PIET, WORKER, PIET_PASS, PIET_PASS)
    by_name = {x.name: x.id for x in areas.list_areas(a.db)}
    wil = residents.add_resident(a.db, a.worker_id, PersonalData("Wil", "", "Zonderland", 1944), by_name["Zuidwolde"])
    scope.set_areas(a.db, a.worker_id, piet.id, {by_name["Ruinen"]})
    _sync(a)
    _sync(b)
    on_b = {x.name: x.id for x in areas.list_areas(b.db)}
    assert scope.worker_areas(b.db, piet.id) == frozenset({on_b["Ruinen"]})
    with pytest.raises(scope.NeedsReason):
        resident_file.load(b.db, piet.id, wil.id)
    a.db.close()
    b.db.close()
