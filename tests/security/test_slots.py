"""The key file's slots follow the accounts (security.slots) once a key is pinned: a signed key
pair gets a sealed slot, an older copy of it (a hub sending one back) does not replace a newer
one, a forged pair gets none, a switched-off account loses its slot, and a passphrase a recovery
code set on this laptop stays until the worker's key pair changes elsewhere. Across laptops
with a real hub: tests/hub/test_worker_keys.py."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.conftest import PASS, FakeClock
from tests.security.test_account_trust import _forge, _init_here
from wijkwerk_tui.crypto import org_key, worker_key
from wijkwerk_tui.domain import hlc
from wijkwerk_tui.domain.accounts import WORKER
from wijkwerk_tui.security import slots, vault
from wijkwerk_tui.security.keyfile import Slot, keyfile_path
from wijkwerk_tui.security.vault import LoginError, Unlocked
from wijkwerk_tui.services import sync_apply
from wijkwerk_tui.store import workers

PIET, PIET_PASS, PIET_NEW = "Piet de Boer", "groene-piet-op-de-fiets", "blauwe-piet-in-de-trein"


def _piet(session: Unlocked):  # type: ignore[no-untyped-def]
    found = workers.find_by_name(session.db, PIET)
    assert found is not None
    return found


def _opens(path: Path, name: str, passphrase: str, clock: FakeClock) -> bool:
    try:
        vault.login(path, name, passphrase, clock).db.close()
    except LoginError:
        return False
    return True


def _reconcile(session: Unlocked) -> tuple[list[str], list[str]]:
    keyfile = vault.load_keys(keyfile_path(Path(session.db.path)))
    return slots.reconcile(session.db, keyfile)


def test_nothing_is_sealed_before_a_key_is_pinned(setup_db) -> None:
    session, _code, _path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    vault.set_active(session, _piet(session).id, False)
    _forge(session.db, PIET, active=True)  # (as a sync from an unpinned hub could bring it)
    assert _reconcile(session) == ([], [])


def test_an_older_copy_of_his_key_pair_does_not_bring_his_old_passphrase_back(setup_db, clock) -> None:
    session, _code, path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    _init_here(session)
    first = _piet(session).wrapped_key
    piet = vault.login(path, PIET, PIET_PASS, clock)
    vault.set_passphrase(piet, piet.worker_id, PIET_NEW, PIET_NEW, current=PIET_PASS)
    piet.db.close()
    assert worker_key.counter(_piet(session).wrapped_key) == 2
    _forge(session.db, PIET, wrapped_key=first)  # a hub sends his first copy back
    assert _reconcile(session) == ([], [])
    assert _opens(path, PIET, PIET_NEW, clock) and not _opens(path, PIET, PIET_PASS, clock)


def test_a_forged_key_pair_gets_no_slot_and_a_switched_off_account_loses_its_own(setup_db, clock) -> None:
    session, _code, path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    key = _init_here(session)
    real = _piet(session)
    his = worker_key.new_worker_key()
    _forge(session.db, PIET, public_key=his.public, wrapped_key=worker_key.wrap(his, "ik-weet-het", PIET, 9))
    assert _reconcile(session) == ([], [])
    assert not _opens(path, PIET, "ik-weet-het", clock)
    _forge(session.db, PIET, public_key=real.public_key, wrapped_key=real.wrapped_key, active=False)
    assert _reconcile(session) == ([], [])  # a switch-off nobody signed (the hub's database) takes nothing
    assert PIET in vault.load_keys(keyfile_path(path)).names()  # (back as signed, he logs in again)
    serial = org_key.signature_serial(real.signature) + 1
    signed_off = org_key.sign_account(key, PIET, WORKER, False, serial, real.public_key)
    _forge(session.db, PIET, signature=signed_off)  # as a sync brings a signed deactivation
    assert _reconcile(session) == ([], [PIET])
    assert PIET not in vault.load_keys(keyfile_path(path)).names()


def test_a_key_pair_nothing_can_be_sealed_to_stops_no_login(setup_db, clock) -> None:
    session, _code, path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    key = _init_here(session)
    signing = worker_key.new_worker_key()
    zero = "A" * 43 + "=." + signing.public.partition(".")[2]  # an X25519 half of all zeros
    assert not worker_key.is_public_key(zero) and worker_key.is_public_key(signing.public)
    bad = worker_key.WorkerKey(bytes(32), signing.signing)
    copy = worker_key.wrap(bad, "pw", PIET, 1)  # (its signature is real: the signing half is)
    serial = org_key.signature_serial(_piet(session).signature) + 1
    _forge(
        session.db,
        PIET,
        public_key=zero,
        wrapped_key=copy.replace(bad.public, zero),
        signature=org_key.sign_account(key, PIET, WORKER, True, serial, zero),
    )
    keyfile = vault.load_keys(keyfile_path(path))
    keyfile.remove(str(_piet(session).id))
    keyfile.save()
    assert _reconcile(session) == ([], [])
    assert _opens(path, "Sanne Kuiper", PASS, clock)


def test_a_recovered_passphrase_holds_here_until_his_key_pair_changes_elsewhere(setup_db, clock) -> None:
    session, code, path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    _init_here(session)
    before = _piet(session).wrapped_key
    vault.recover(path, code, PIET, PIET_NEW, PIET_NEW, clock).db.close()
    assert _piet(session).wrapped_key == before  # no new pair: it could not be signed here
    assert _reconcile(session) == ([], [])
    assert _opens(path, PIET, PIET_NEW, clock)
    # A coordinator resets his passphrase on another laptop: a new, signed pair arrives.
    vault.set_passphrase(session, _piet(session).id, "van-elders-gezet-wachtwoord", "van-elders-gezet-wachtwoord")
    keyfile = vault.load_keys(keyfile_path(path))
    stale = Slot.seal(str(_piet(session).id), PIET, PIET_NEW, session.db.key or b"")
    stale.basis = before  # his slot as the recovery left it, before the sync brought the new pair
    keyfile.put(stale)
    keyfile.save()
    assert _reconcile(session) == ([PIET], [])
    assert _opens(path, PIET, "van-elders-gezet-wachtwoord", clock) and not _opens(path, PIET, PIET_NEW, clock)


def test_the_lock_screen_knows_a_passphrase_by_his_slot(setup_db) -> None:
    session, _code, _path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    _init_here(session)
    _forge(session.db, PIET, passphrase_hash="")  # (an account from elsewhere has no hash here)
    assert vault.unlock(session, PIET, PIET_PASS) is False  # switched to Piet
    with pytest.raises(LoginError):
        vault.unlock(session, PIET, "niet-zijn-wachtwoord")
    assert vault.unlock(session, "Sanne Kuiper", PASS) is False


def test_hub_sign_drops_a_swapped_in_key_pair_and_keeps_a_signed_one(setup_db, clock) -> None:
    session, _code, path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    _init_here(session)
    own = _piet(session).public_key
    _forge(session.db, PIET, role="coordinator")  # only his role forged: his pair is the signed one
    assert vault.sign_accounts(session, vault.unsigned_accounts(session)) == [PIET]
    assert _piet(session).public_key == own
    his = worker_key.new_worker_key()
    _forge(session.db, PIET, public_key=his.public, wrapped_key=worker_key.wrap(his, "ik-weet-het", PIET, 9))
    shown = vault.unsigned_accounts(session)
    assert [w.name for w in shown] == [PIET]
    assert vault.sign_accounts(session, shown) == [PIET]
    assert (_piet(session).public_key, _piet(session).wrapped_key) == ("", "")  # dropped, not signed
    assert workers.unsigned(session.db) == []
    assert _reconcile(session) == ([], [])
    assert not _opens(path, PIET, "ik-weet-het", clock) and _opens(path, PIET, PIET_PASS, clock)


def _from_hub(session: Unlocked, worker_id: object, **fields: object) -> dict[str, object]:
    """An account change as a hub sends it (one whose database someone wrote to)."""
    stamp = hlc.Stamp(hlc.millis(session.db.now()), 0, "elders").text()
    return {
        "seq": 1,
        "id": str(uuid.uuid4()),
        "table": "worker",
        "row": str(worker_id),
        "kind": "update",
        "fields": fields,
        "version": 9,
        "hlc": stamp,
        "device": "elders",
        "worker": None,
    }


def test_a_laptop_does_not_take_an_older_signed_record_or_copy_from_its_hub(setup_db, clock) -> None:
    session, _code, path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    _init_here(session)
    old = _piet(session)
    piet = vault.login(path, PIET, PIET_PASS, clock)
    vault.set_passphrase(piet, piet.worker_id, PIET_NEW, PIET_NEW, current=PIET_PASS)
    piet.db.close()
    vault.set_active(session, old.id, False)  # signed: serial up
    off = _piet(session)
    sent = _from_hub(session, old.id, active=True, signature=old.signature, wrapped_key=old.wrapped_key)
    sync_apply.apply_page(session.db, [sent])
    now = _piet(session)
    assert (now.active, now.signature, now.wrapped_key) == (False, off.signature, off.wrapped_key)
    # A newer record (its serial up) is taken as ever.
    vault.set_active(session, old.id, True, "weer-actief-piet-wachtwoord")
    back = _piet(session)
    _forge(session.db, PIET, active=False, signature=off.signature)
    sync_apply.apply_page(session.db, [_from_hub(session, old.id, active=True, signature=back.signature)])
    assert _piet(session).active and _piet(session).signature == back.signature


def test_a_coordinator_from_before_key_pairs_gets_his_own_at_his_login_with_the_key(setup_db, clock) -> None:
    session, _code, path = setup_db
    key = _init_here(session)
    me = workers.get_worker(session.db, session.worker_id)
    serial = org_key.signature_serial(me.signature) + 1
    legacy = org_key.sign_account(key, me.name, me.role, True, serial)  # signed, with no pair in it
    _forge(session.db, me.name, public_key="", wrapped_key="", signature=legacy)
    again = vault.login(path, me.name, PASS, clock)
    row = workers.get_worker(again.db, again.worker_id)
    assert worker_key.copy_signed(row.wrapped_key, row.public_key, row.name)
    assert workers.unsigned(again.db) == []  # his record, pair included, signed at the login
    assert vault.load_keys(keyfile_path(path)).slot(str(row.id)).is_sealed  # type: ignore[union-attr]
    again.db.close()
    assert _opens(path, me.name, PASS, clock)


def test_two_programs_on_one_database_keep_each_other_s_slots(setup_db, clock) -> None:
    session, _code, path = setup_db  # the first window: Sanne
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    piet = vault.login(path, PIET, PIET_PASS, clock)  # a second window on the same file
    vault.add_account(session, "Jan Smit", WORKER, "jan-fietst-naar-ruinen-toe", "jan-fietst-naar-ruinen-toe")
    vault.set_passphrase(piet, piet.worker_id, PIET_NEW, PIET_NEW, current=PIET_PASS)  # (its copy predates Jan)
    piet.db.close()
    assert _opens(path, "Jan Smit", "jan-fietst-naar-ruinen-toe", clock)
    assert _opens(path, PIET, PIET_NEW, clock)
