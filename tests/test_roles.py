"""Finding 10: every action only a coordinator may take is refused to a plain worker in the
data layer itself, and through the command line where it has a command. The table in
`domain.accounts.COORDINATOR_ONLY` drives the test, so a new entry without a check fails."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASS
from tests.test_cli import _run
from wijkwerk_tui.domain.accounts import COORDINATOR_ONLY, PermissionDenied
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.report import Period
from wijkwerk_tui.exchange import import_files
from wijkwerk_tui.ops import backup
from wijkwerk_tui.queries import full_export, report_data, who_looked
from wijkwerk_tui.security import vault
from wijkwerk_tui.services import hub_alerts, import_apply, merge_residents, privacy, sync
from wijkwerk_tui.store import residents, settings, workers
from wijkwerk_tui.store.trust import AccountKeys

WORKER, WORKER_PASS = "Piet de Boer", "groene-piet-op-de-fiets"

Call = Callable[[Any, uuid.UUID, uuid.UUID, Path], object]

# Each coordinator-only action as a worker would try it in the data layer.
STORE_CALLS: dict[str, Call] = {
    "accounts": lambda db, me, rid, path: workers.add_worker(db, me, "Nieuw Account"),
    "settings": lambda db, me, rid, path: settings.save_organisation_settings(
        db, me, organisation="Andere naam", lock_minutes=5, retention_years=2
    ),
    "audit_view": lambda db, me, rid, path: who_looked.who_looked(db, me, rid),
    "erase": lambda db, me, rid, path: privacy.erase_resident(db, me, rid),
    "retention": lambda db, me, rid, path: privacy.retention_sweep(db, me),
    "full_export": lambda db, me, rid, path: full_export.begin(db, me, "jsonl"),
    "restore": lambda db, me, rid, path: vault.restore(path, backup.list_backups(path)[0], WORKER, WORKER_PASS),
    "report": lambda db, me, rid, path: report_data.load(db, me, Period(date(2026, 1, 1), date(2026, 12, 31))),
    "import": lambda db, me, rid, path: import_apply.apply(db, me, _sheet_preview(db, path)),
    # Refused before the hub is asked anything (there is none here).
    "hub.join": lambda db, me, rid, path: sync.join(db, me, "https://hub.example.org", "ABCD-EFGH-JKLM", "x"),
    "merge": lambda db, me, rid, path: merge_residents.merge(
        db, me, rid, residents.add_resident(db, None, PersonalData("Bep", "", "Dubbel", 1950), None).id
    ),
    "hub.alerts": lambda db, me, rid, path: hub_alerts.mark_seen(db, me),  # (refused before the hub is asked)
    "hub.init": lambda db, me, rid, path: workers.sign_all(db, me, AccountKeys(), {}),
    # (a session that says "coordinator": the role as the database has it decides)
    "recovery": lambda db, me, rid, path: vault.new_recovery(vault.Unlocked(db, me, "x", "coordinator")),
}


def _sheet_preview(db: Any, path: Path) -> Any:
    sheet = path.with_name("lijst.csv")
    sheet.write_text("naam;geboortejaar;PL 2025\nBakker, Gerrit;1944;2\n", encoding="utf-8")
    return import_files.preview(db, sheet)


# ... and through the command line (None: the action has no command).
CLI_ARGS: dict[str, list[str] | None] = {
    "accounts": None,
    "settings": None,
    "audit_view": None,
    "erase": None,
    "retention": None,
    "full_export": ["export", "--output", "{tmp}/export"],
    "restore": ["restore", "{backup}", "--yes"],
    "report": ["report", "--from", "1-1-2026", "--to", "31-12-2026", "--format", "json"],
    "import": ["import", "--list"],
    "hub.join": None,  # the command needs a hub to succeed; the store's refusal is tested above
    "merge": None,
    "hub.alerts": None,
    "hub.init": ["hub", "sign", "--yes"],  # (`hub init` needs a hub; it asks the same question first)
    "recovery": ["recovery-code"],
}


def test_the_tables_cover_every_coordinator_only_action() -> None:
    assert set(STORE_CALLS) == set(COORDINATOR_ONLY) == set(CLI_ARGS)


@pytest.fixture
def office(setup_db):
    session, _code, path = setup_db
    vault.add_account(session, WORKER, "worker", WORKER_PASS, WORKER_PASS)
    resident = residents.add_resident(
        session.db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True
    )
    backup.make_backup(session.db, session.worker_id)
    piet = workers.find_by_name(session.db, WORKER)
    assert piet is not None
    return session, path, piet.id, resident.id


@pytest.mark.parametrize("action", sorted(COORDINATOR_ONLY))
def test_hardening_10_a_worker_is_refused_in_the_data_layer(office, action: str) -> None:
    session, path, piet, resident = office
    with pytest.raises((PermissionDenied, vault.LoginError)) as refused:
        STORE_CALLS[action](session.db, piet, resident, path)
    assert "coördinator" in refused.value.message


@pytest.mark.parametrize("action", sorted(a for a, args in CLI_ARGS.items() if args))
def test_hardening_10_a_worker_is_refused_on_the_command_line(office, action: str, tmp_path: Path) -> None:
    session, path, _piet, _resident = office
    newest = backup.list_backups(path)[0]
    session.db.close()
    args = [a.format(tmp=tmp_path, backup=newest) for a in CLI_ARGS[action] or []]
    refused = _run("--db", str(path), *args, user=WORKER, passphrase=WORKER_PASS)
    assert refused.returncode == 1 and "coördinator" in refused.stderr, refused.stderr
    allowed = _run("--db", str(path), *args, user="Sanne Kuiper", passphrase=PASS)
    assert allowed.returncode == 0, allowed.stderr
