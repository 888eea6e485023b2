"""Logins, failed tries and their delay, recovery code, roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.conftest import PASS
from wijkwerk_tui.db.tables import AuditEvent
from wijkwerk_tui.domain.accounts import PermissionDenied, login_delay
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.security import vault
from wijkwerk_tui.store import audit, workers


def _actions(db) -> list[str]:
    with db.reading() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))]


def test_setup_refuses_short_passphrases_and_a_second_setup(tmp_path: Path, clock) -> None:
    with pytest.raises(ValidationError) as short:
        vault.setup(tmp_path / "a.db", "Org", ["Ruinen"], "Sanne", "kort", "kort", clock)
    assert short.value.field == "passphrase" and "10 tekens" in short.value.message
    with pytest.raises(ValidationError) as differ:
        vault.setup(tmp_path / "a.db", "Org", ["Ruinen"], "Sanne", PASS, PASS + "x", clock)
    assert differ.value.field == "repeat"
    assert vault.state(tmp_path / "a.db") == "new"  # nothing half-made
    session, _ = vault.setup(tmp_path / "a.db", "Org", ["Ruinen"], "Sanne", PASS, PASS, clock)
    session.db.close()
    with pytest.raises(ValidationError):
        vault.setup(tmp_path / "a.db", "Org", ["Ruinen"], "Sanne", PASS, PASS, clock)


def test_failed_logins_grow_a_delay_and_reach_the_audit(setup_db, clock) -> None:
    session, _code, path = setup_db
    session.db.close()
    for attempt in range(1, 6):
        with pytest.raises(vault.LoginError) as wrong:
            vault.login(path, "Sanne Kuiper", "wrong passphrase", clock)
        assert wrong.value.wait_s == login_delay(attempt)
    # The sixth try, even with the right passphrase, must wait.
    with pytest.raises(vault.LoginError) as waiting:
        vault.login(path, "Sanne Kuiper", PASS, clock)
    assert "seconden" in waiting.value.message and waiting.value.wait_s == 5
    clock.advance(seconds=5)
    opened = vault.login(path, "Sanne Kuiper", PASS, clock)
    assert _actions(opened.db).count("login.failed") == 5
    assert audit.verify_chain(opened.db).ok
    opened.db.close()
    # The count starts again after a success.
    with pytest.raises(vault.LoginError) as again:
        vault.login(path, "Sanne Kuiper", "wrong passphrase", clock)
    assert again.value.wait_s == 0


def test_a_clock_set_back_never_makes_the_wait_longer_than_the_delay(setup_db, clock) -> None:
    """A failure stamped after "now" (the clock was set back, or the command line ran with
    the real clock) counts as just now: one wrong try still lets the right one in."""
    session, _code, path = setup_db
    session.db.close()
    with pytest.raises(vault.LoginError):
        vault.login(path, "Sanne Kuiper", "wrong passphrase", clock)
    clock.advance(seconds=-3 * 3600)
    vault.login(path, "Sanne Kuiper", PASS, clock).db.close()
    for _ in range(6):
        with pytest.raises(vault.LoginError):
            vault.login(path, "Sanne Kuiper", "wrong passphrase", clock)
    clock.advance(seconds=-3 * 3600)
    with pytest.raises(vault.LoginError) as waiting:
        vault.login(path, "Sanne Kuiper", PASS, clock)
    assert 0 < waiting.value.wait_s <= login_delay(6)


def test_recovery_code_sets_a_new_passphrase(setup_db, clock) -> None:
    session, code, path = setup_db
    session.db.close()
    with pytest.raises(vault.LoginError) as bad:
        vault.recover(
            path,
            "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF",
            "Sanne Kuiper",
            "nieuwe-groene-fietsbel",
            "nieuwe-groene-fietsbel",
            clock,
        )
    assert bad.value.field == "code"
    opened = vault.recover(
        path, code.lower().replace("-", " "), "Sanne Kuiper", "nieuwe-groene-fietsbel", "nieuwe-groene-fietsbel", clock
    )
    opened.db.close()
    with pytest.raises(vault.LoginError):
        vault.login(path, "Sanne Kuiper", PASS, clock)
    vault.login(path, "Sanne Kuiper", "nieuwe-groene-fietsbel", clock).db.close()


def test_only_coordinators_manage_accounts(setup_db, clock) -> None:
    session, _code, path = setup_db
    piet = vault.add_account(session, "Piet", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    session.db.close()
    as_piet = vault.login(path, "Piet", "groene-piet-op-de-fiets", clock)
    assert as_piet.role == "worker"
    with pytest.raises(PermissionDenied):
        vault.add_account(as_piet, "Kees", "worker", "kees-rijdt-een-rode-bus", "kees-rijdt-een-rode-bus")
    coordinator = workers.find_by_name(as_piet.db, "Sanne Kuiper")
    with pytest.raises(PermissionDenied):
        vault.set_passphrase(as_piet, coordinator.id, "ik-neem-het-over-vandaag", "ik-neem-het-over-vandaag")
    # One's own passphrase needs the current one.
    with pytest.raises(ValidationError):
        vault.set_passphrase(as_piet, piet.id, "nieuwe-groene-fietsbel", "nieuwe-groene-fietsbel", current="fout")
    vault.set_passphrase(
        as_piet, piet.id, "nieuwe-groene-fietsbel", "nieuwe-groene-fietsbel", current="groene-piet-op-de-fiets"
    )
    as_piet.db.close()
    vault.login(path, "Piet", "nieuwe-groene-fietsbel", clock).db.close()


def test_lock_screen_unlock_same_or_other_worker(setup_db) -> None:
    session, _code, _path = setup_db
    vault.add_account(session, "Piet", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    vault.lock(session)
    with pytest.raises(vault.LoginError):
        vault.unlock(session, "Sanne Kuiper", "fout wachtwoord")
    assert vault.unlock(session, "Sanne Kuiper", PASS) is True
    assert vault.unlock(session, "Piet", "groene-piet-op-de-fiets") is False
    assert session.worker_name == "Piet" and session.role == "worker"
    actions = _actions(session.db)
    assert actions[-4:] == ["lock", "unlock.failed", "unlock", "unlock.switch"]


def test_the_last_coordinator_cannot_be_deactivated(setup_db) -> None:
    session, _code, _path = setup_db
    with pytest.raises(ValidationError):
        vault.set_active(session, session.worker_id, False)
