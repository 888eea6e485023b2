"""Once a laptop has pinned the organisation's key, it honours an account only as the key
signed it: a row changed by someone without the key (at the hub, or a laptop's token holder
with Python) promotes, reactivates or admits nobody. The hub's part: tests/hub/test_org_key.py."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from tests.conftest import PASS
from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.accounts import COORDINATOR, WORKER, PermissionDenied
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.store import trust, workers
from wijkwerk_tui.store.access import viewer_of

PIET, PIET_PASS = "Piet de Boer", "groene-piet-op-de-fiets"
JAN_PASS = "jan-fietst-naar-ruinen-toe"


def _init_here(session: Unlocked) -> org_key.OrgKey:
    """`hub init` once the hub's operator accepted the key (vault.adopt_org_key, without a hub)."""
    key = org_key.new_org_key()
    offer = vault.OrgKeyOffer(key, org_key.wrap(key, PASS, session.worker_name), accepted=True)
    vault.adopt_org_key(session, offer, vault.accounts_to_sign(session))
    return key


def _forge(db: Database, name: str, **fields: object) -> None:
    """What whoever writes to the hub's database (or a token holder with Python) can do."""
    with db.transaction() as session:
        row = session.exec(select(Worker).where(Worker.name == name)).one()
        for column, value in fields.items():
            setattr(row, column, value)
        session.add(row)


@pytest.fixture
def office(setup_db):
    session, _code, path = setup_db
    vault.add_account(session, PIET, "worker", PIET_PASS, PIET_PASS)
    key = _init_here(session)
    return session, path, key


def test_init_signs_every_account_and_the_coordinator_holds_the_key_at_login(office, clock) -> None:
    session, path, key = office
    assert workers.unsigned(session.db) == []
    with session.db.reading() as reading:
        assert trust.pinned(reading) == key.public
    session.db.close()
    again = vault.login(path, "Sanne Kuiper", PASS, clock)
    assert again.org_key is not None and again.org_key.public == key.public
    again.db.close()
    piet = vault.login(path, PIET, PIET_PASS, clock)
    assert piet.org_key is None  # a worker holds no copy
    piet.db.close()


def test_a_promotion_without_the_key_is_not_honoured(office, clock) -> None:
    session, path, _key = office
    piet = workers.find_by_name(session.db, PIET)
    assert piet is not None
    _forge(session.db, PIET, role=COORDINATOR)
    assert viewer_of(session.db, piet.id).role == WORKER
    with pytest.raises(PermissionDenied):
        workers.add_worker(session.db, piet.id, "Nieuw Account")
    assert [w.name for w in workers.unsigned(session.db)] == [PIET]
    session.db.close()
    with pytest.raises(vault.LoginError) as refused:
        vault.login(path, PIET, PIET_PASS, clock)
    assert "sleutel van de organisatie" in refused.value.message


def test_a_reactivation_without_the_key_opens_nothing(office) -> None:
    session, _path, _key = office
    piet = workers.find_by_name(session.db, PIET)
    assert piet is not None
    vault.set_active(session, piet.id, False)
    _forge(session.db, PIET, active=True)  # the old passphrase hash is still in the row
    with pytest.raises(vault.LoginError):
        vault.unlock(session, PIET, PIET_PASS)
    assert session.worker_name == "Sanne Kuiper"


def test_signing_after_looking_signs_what_was_shown_and_only_that(office, clock) -> None:
    session, path, _key = office
    _forge(session.db, PIET, role=COORDINATOR)
    waiting = vault.unsigned_accounts(session)
    assert [(w.name, w.role) for w in waiting] == [(PIET, COORDINATOR)]  # shown as it would be signed
    _forge(session.db, PIET, active=False)  # changed after it was shown (a sync meanwhile)
    assert vault.sign_accounts(session, waiting) == []
    assert vault.sign_accounts(session, vault.unsigned_accounts(session)) == [PIET]
    session.db.close()
    with pytest.raises(vault.LoginError, match="gedeactiveerd"):
        vault.login(path, PIET, PIET_PASS, clock)


def test_a_forged_promotion_can_be_switched_off_without_signing_it_first(office) -> None:
    session, _path, _key = office
    piet = workers.find_by_name(session.db, PIET)
    assert piet is not None
    _forge(session.db, PIET, role=COORDINATOR)
    vault.set_active(session, piet.id, False)
    switched_off = workers.get_worker(session.db, piet.id)
    assert workers.unsigned(session.db) == [] and not switched_off.active
    assert switched_off.role == WORKER  # signed as a worker: reactivating him makes no coordinator
    vault.set_active(session, piet.id, True, "een-nieuw-wachtwoord-voor-piet")
    assert viewer_of(session.db, piet.id).role == WORKER


def test_account_changes_need_the_key_once_pinned(office) -> None:
    session, _path, _key = office
    session.org_key = None  # his passphrase here does not open his copy
    before = _count(session.db)
    with pytest.raises(ValidationError) as refused:
        vault.add_account(session, "Jan Smit", "worker", JAN_PASS, JAN_PASS)
    assert refused.value.message == trust.NEEDS_KEY
    piet = workers.find_by_name(session.db, PIET)
    assert piet is not None
    with pytest.raises(ValidationError):
        vault.sign_accounts(session, [piet])
    assert _count(session.db) == before
    # Switching off needs the key too: unsigned, the hub would drop it, and he would stay
    # active on every other laptop while this one said he was off.
    with pytest.raises(ValidationError) as off:
        vault.set_active(session, piet.id, False)
    assert off.value.message == trust.NEEDS_KEY
    assert workers.get_worker(session.db, piet.id).active and workers.unsigned(session.db) == []


def _count(db: Database) -> int:
    with db.reading() as session:
        return int(session.exec(select(func.count()).select_from(Worker)).one())


def test_a_coordinator_made_by_a_key_holder_gets_his_own_copy(office, clock) -> None:
    session, path, key = office
    vault.add_account(session, "Jan Smit", COORDINATOR, JAN_PASS, JAN_PASS)
    vault.add_account(session, "Els Worst", WORKER, JAN_PASS, JAN_PASS)
    assert workers.unsigned(session.db) == []
    assert workers.find_by_name(session.db, "Els Worst").org_key == ""  # type: ignore[union-attr]
    session.db.close()
    jan = vault.login(path, "Jan Smit", JAN_PASS, clock)
    assert jan.org_key is not None and jan.org_key.public == key.public
    jan.db.close()


def test_ones_own_new_passphrase_wraps_the_key_again(office, clock) -> None:
    session, path, key = office
    new = "een-nieuw-lang-wachtwoord-voor-sanne"
    vault.set_passphrase(session, session.worker_id, new, new, current=PASS)
    session.db.close()
    again = vault.login(path, "Sanne Kuiper", new, clock)
    assert again.org_key is not None and again.org_key.public == key.public
    again.db.close()


def test_a_copy_of_another_key_put_in_the_row_gives_no_key(office, clock) -> None:
    session, path, _key = office
    stranger = org_key.new_org_key()
    _forge(session.db, "Sanne Kuiper", org_key=org_key.wrap(stranger, PASS, "Sanne Kuiper"))
    session.db.close()
    again = vault.login(path, "Sanne Kuiper", PASS, clock)  # she still logs in: her record is signed
    assert again.org_key is None
    again.db.close()


def test_a_forged_coordinator_is_neither_signed_by_a_reactivation_nor_handed_the_key(office) -> None:
    session, _path, _key = office
    piet = workers.find_by_name(session.db, PIET)
    assert piet is not None
    vault.set_active(session, piet.id, False)
    _forge(session.db, PIET, role=COORDINATOR)  # then someone without the key promotes him
    with pytest.raises(ValidationError) as refused:
        vault.set_active(session, piet.id, True, "een-nieuw-wachtwoord-voor-piet")
    assert refused.value.message == trust.UNTRUSTED_FIRST
    assert not workers.get_worker(session.db, piet.id).active
    _forge(session.db, PIET, active=True)
    vault.set_passphrase(session, piet.id, "een-nieuw-wachtwoord-voor-piet", "een-nieuw-wachtwoord-voor-piet")
    assert workers.get_worker(session.db, piet.id).org_key == ""  # a reset, but no copy of the key
    assert [w.name for w in workers.unsigned(session.db)] == [PIET]


def test_each_signing_of_an_account_has_a_higher_serial(office) -> None:
    session, _path, _key = office
    piet = workers.find_by_name(session.db, PIET)
    assert piet is not None
    first = org_key.signature_serial(piet.signature)
    vault.set_active(session, piet.id, False)
    second = org_key.signature_serial(workers.get_worker(session.db, piet.id).signature)
    vault.set_active(session, piet.id, True, "een-nieuw-wachtwoord-voor-piet")
    third = org_key.signature_serial(workers.get_worker(session.db, piet.id).signature)
    assert 0 < first < second < third
