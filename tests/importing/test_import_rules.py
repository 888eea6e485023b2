"""Errors at the cell, matching with residents on file, a dry run that writes nothing, a
second import that adds nothing, one transaction, and an undo that takes back exactly it."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from tests.importing.helpers import counts, live, preview
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import AuditEvent, Resident, Worker
from wijkwerk_tui.domain.accounts import PermissionDenied
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.services import import_apply
from wijkwerk_tui.services.import_plan import ERROR, KNOWN, MERGE, NEW
from wijkwerk_tui.store import areas, contacts, ladders, residents, workers
from wijkwerk_tui.store.contacts import ContactData


def _sheet(path: Path, *rows: list[object], title: str = "Blad1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_issue16_every_kind_of_error_is_named_at_its_row_and_column(db, boss: Worker, sheets) -> None:
    path, expected = sheets["errors.xlsx"]
    shown = preview(db, path)
    errors = {(r.sheet, r.number): r.text for r in shown.rows if r.status == ERROR}
    assert set(errors) == expected.error_rows
    for (sheet, number), text in errors.items():
        assert text.startswith(f"rij {number}, kolom {expected.error_columns[(sheet, number)]}: "), text
    assert any("31-02-1950 bestaat niet" in t for t in errors.values())
    assert shown.count(NEW) == expected.residents
    import_apply.apply(db, boss.id, shown)
    assert counts(db)["resident"] == expected.residents  # the good 95 % came in; the rest waits


def test_issue16_spelling_tolerant_match_with_the_same_birth_year_only(db, boss: Worker, tmp_path) -> None:
    area = areas.add_area(db, boss.id, "Ruinen")
    janssen = residents.add_resident(db, boss.id, PersonalData("Piet", "", "Janssen", 1935), area.id)
    path = _sheet(
        tmp_path / "m.xlsx",
        ["naam", "geboortejaar", "datum", "PL"],
        ["Jansen, Piet", 1935, "1-3-2025", 2],
        ["Jansen, Piet", 1953, "1-3-2025", 3],
        ["de Vries, Anna", 1950, "1-3-2025", 4],
        ["Anna de Vries", 1950, "2-3-2025", 5],
    )
    shown = preview(db, path)
    by_row = {r.number: r for r in shown.rows}
    assert by_row[2].status == MERGE and "Piet Janssen (1935)" in by_row[2].text and "gelijkende naam" in by_row[2].text
    assert by_row[3].status == NEW  # 1953 is someone else
    assert by_row[4].status == NEW and by_row[5].status != NEW  # both forms: one Anna de Vries
    import_apply.apply(db, boss.id, shown)
    assert [s.step for s in ladders.history(db, janssen.id, Ladder.PARTICIPATION)] == [2]
    with db.reading() as session:
        annas = list(session.exec(select(Resident).where(Resident.given_name == "Anna")))
    assert [(a.family_prefix, a.family_name) for a in annas] == [("de", "Vries")]
    assert [s.step for s in ladders.history(db, annas[0].id, Ladder.PARTICIPATION)] == [4, 5]


def test_issue16_coordinator_can_say_a_match_is_someone_else(db, boss: Worker, tmp_path) -> None:
    area = areas.add_area(db, boss.id, "Ruinen")
    residents.add_resident(db, boss.id, PersonalData("Piet", "", "Janssen", 1935), area.id)
    path = _sheet(tmp_path / "m.xlsx", ["naam", "geboortejaar", "datum", "PL"], ["Jansen, Piet", 1935, "1-3-2025", 2])
    assert preview(db, path).rows[0].status == MERGE
    shown = preview(db, path, separate={"Blad1:2"})
    assert shown.rows[0].status == NEW
    import_apply.apply(db, boss.id, shown)
    assert counts(db)["resident"] == 2


def _file_state(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.parent.glob(path.name + "*"))}


def test_issue16_dry_run_leaves_the_database_files_byte_for_byte(db, boss: Worker, sheets) -> None:
    db.engine.dispose()  # everything written so far is in the file; no connection holds a WAL open
    before = _file_state(db.path)
    for name in ("long.xlsx", "errors.xlsx", "villages.xlsx"):
        shown = preview(db, sheets[name][0])
        assert shown.writes
    db.engine.dispose()
    assert _file_state(db.path) == before


def test_issue16_a_second_import_adds_nothing(db, boss: Worker, sheets) -> None:
    path, _expected = sheets["long.xlsx"]
    import_apply.apply(db, boss.id, preview(db, path))
    before = live(db)
    again = preview(db, path)
    assert not again.writes
    assert {r.status for r in again.rows} <= {KNOWN, "skipped"}
    with pytest.raises(DomainError, match="Niets te importeren"):
        import_apply.apply(db, boss.id, again)
    assert live(db) == before


def test_issue16_next_years_sheet_adds_only_the_new_column(db, boss: Worker, tmp_path) -> None:
    first = _sheet(tmp_path / "a.xlsx", ["naam", "geboortejaar", "PL 2024"], ["Bakker, Gerrit", 1944, 2])
    import_apply.apply(db, boss.id, preview(db, first))
    second = _sheet(tmp_path / "b.xlsx", ["naam", "geboortejaar", "PL 2024", "PL 2025"], ["Bakker, Gerrit", 1944, 2, 3])
    shown = preview(db, second)
    assert shown.rows[0].status == MERGE and shown.facts["ladder"] == 1
    import_apply.apply(db, boss.id, shown)
    assert counts(db)["ladderstep"] == 2 and counts(db)["resident"] == 1


def test_issue16_undo_removes_exactly_the_import(demo_db: Database, tmp_path) -> None:
    db = demo_db
    boss = workers.add_worker(db, None, "Coördinator Import", "coordinator")
    someone = residents.add_resident(db, boss.id, PersonalData("Gerrit", "", "Bakker", 1944), None)
    ladders.record_step(db, boss.id, someone.id, Ladder.PARTICIPATION, 2, date(2024, 5, 1))
    before = live(db)
    with db.reading() as session:
        steps_before = session.exec(
            select(Resident.participation_step, Resident.last_contact_on).where(Resident.id == someone.id)
        ).one()
    path = _sheet(
        tmp_path / "u.xlsx",
        ["naam", "geboortejaar", "kern", "datum", "PL", "soort contact", "signaal"],
        ["Bakker, Gerrit", 1944, "", "1-3-2025", 4, "huisbezoek", "schulden"],
        ["Nieuw, Kees", 1970, "Nieuwe Kern", "1-3-2025", 2, "", ""],
    )
    done = import_apply.apply(db, boss.id, preview(db, path))
    assert done.residents_new == 1 and done.residents_added_to == 1 and done.areas_new == 1
    assert live(db) != before
    undone = import_apply.undo(db, boss.id, done.batch_id)
    assert undone.kept == 0
    after = live(db)
    assert {t: {i for i, _v in rows} for t, rows in after.items()} == {
        t: {i for i, _v in rows} for t, rows in before.items()
    }
    with db.reading() as session:
        assert (
            session.exec(
                select(Resident.participation_step, Resident.last_contact_on).where(Resident.id == someone.id)
            ).one()
            == steps_before
        )
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions[-1] == "import.undo" and "import.run" in actions
    with pytest.raises(DomainError):
        import_apply.undo(db, boss.id, done.batch_id)
    # Undone, the same sheet can come in again.
    assert preview(db, path).count(NEW) == 1


def test_issue16_undo_leaves_what_a_worker_added_since(db, boss: Worker, tmp_path) -> None:
    path = _sheet(tmp_path / "u.xlsx", ["naam", "geboortejaar", "datum", "PL"], ["Nieuw, Kees", 1970, "1-3-2025", 2])
    done = import_apply.apply(db, boss.id, preview(db, path))
    with db.reading() as session:
        kees = session.exec(select(Resident)).one()
    contacts.add_contact(db, boss.id, kees.id, ContactData(date(2026, 11, 20), "walk_in"))
    undone = import_apply.undo(db, boss.id, done.batch_id)
    assert undone.removed == 1 and undone.kept == 1  # the placement went; Kees and his visit stay
    assert counts(db)["resident"] == 1 and counts(db)["contact"] == 1 and counts(db)["ladderstep"] == 0


def test_issue16_one_transaction_a_failure_midway_leaves_nothing(db, boss: Worker, sheets, monkeypatch) -> None:
    path, _expected = sheets["villages.xlsx"]
    shown = preview(db, path)
    before = live(db)
    real = contacts.add_many_in
    written: list[int] = []

    def fails_after_writing(*args, **kwargs):  # the residents, placements and contacts are flushed
        made = real(*args, **kwargs)
        written.append(len(made))
        raise OSError("disk full")

    monkeypatch.setattr(contacts, "add_many_in", fails_after_writing)
    with pytest.raises(OSError):
        import_apply.apply(db, boss.id, shown)
    assert written == [18]
    assert live(db) == before


def test_issue16_only_a_coordinator_imports(db, boss: Worker, sheets) -> None:
    worker = workers.add_worker(db, boss.id, "Piet de Boer")
    shown = preview(db, sheets["ruinen.ods"][0])
    with pytest.raises(PermissionDenied):
        import_apply.apply(db, worker.id, shown)
    done = import_apply.apply(db, boss.id, shown)
    with pytest.raises(PermissionDenied):
        import_apply.undo(db, worker.id, done.batch_id)


def test_issue16_no_consent_means_not_imported(db, boss: Worker, tmp_path) -> None:
    path = _sheet(
        tmp_path / "c.xlsx",
        ["naam", "geboortejaar", "datum", "PL", "toestemming"],
        ["Nee, Kees", 1970, "1-3-2025", 2, "nee"],
        ["Ja, Kees", 1970, "1-3-2025", 2, "ja"],
    )
    shown = preview(db, path)
    assert [r.status for r in shown.rows] == [ERROR, NEW]
    assert "kolom toestemming: geen toestemming" in shown.rows[0].text


def test_issue16_audit_names_nobody(db, boss: Worker, sheets) -> None:
    path, _expected = sheets["villages.xlsx"]
    import_apply.apply(db, boss.id, preview(db, path))
    with db.reading() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "import.run")).one()
        names = [r.family_name for r in session.exec(select(Resident))]
    assert "villages" not in event.detail and not any(n in event.detail for n in names)


def test_issue16_two_spellings_in_one_sheet_are_one_resident_and_stay_imported(db, boss: Worker, tmp_path) -> None:
    path = _sheet(
        tmp_path / "s.xlsx",
        ["naam", "geboortejaar", "datum", "PL"],
        ["Jansen, Piet", 1935, "1-3-2025", 2],
        ["Janssen, Piet", 1935, "1-4-2025", 3],
    )
    shown = preview(db, path)
    assert [r.status for r in shown.rows] == [NEW, "same_file"]
    import_apply.apply(db, boss.id, shown)
    again = preview(db, path)
    assert not again.writes and [r.status for r in again.rows] == [KNOWN, KNOWN]


def test_issue16_a_saved_column_meaning_is_used_for_the_next_file(db, boss: Worker, tmp_path) -> None:
    from wijkwerk_tui.store import imports

    path = _sheet(tmp_path / "w.xlsx", ["Wie", "Geboren", "PL 2025"], ["Bakker, Gerrit", 1944, 2])
    first = preview(db, path)
    assert first.rows == [] and first.layouts[0].header_row == 0  # "Wie", "Geboren": no header we know
    imports.save_mapping(db, {"wie": "name", "geboren": "birth_year"}, boss.id)
    again = preview(db, path)
    assert again.rows[0].status == NEW and again.rows[0].name == "Gerrit Bakker (1944)"
    with db.reading() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "import.mapping")).one()
    assert (event.worker_id, event.detail) == (boss.id, "kolommen=2")


def test_issue16_two_imports_of_one_preview_add_it_once(db, boss: Worker, sheets) -> None:
    """Two coordinators (or two app instances) confirm the same dry run: the second finds the
    keys inside its own transaction and adds nothing."""
    path, _expected = sheets["villages.xlsx"]
    first, second = preview(db, path), preview(db, path)
    import_apply.apply(db, boss.id, first)
    before = live(db)
    with pytest.raises(DomainError, match="Niets te importeren"):
        import_apply.apply(db, boss.id, second)
    assert live(db) == before


def test_issue16_the_same_sheet_gives_the_same_keys_on_two_laptops(tmp_path, sheets) -> None:
    from sqlmodel import select as sql_select

    from tests.conftest import frozen_clock
    from wijkwerk_tui.db.engine import open_database
    from wijkwerk_tui.db.tables import ImportRecord

    keys = []
    for laptop in ("ruinen", "zuidwolde"):
        other = open_database(tmp_path / f"{laptop}.db", frozen_clock)
        try:
            coordinator = workers.add_worker(other, None, f"Coördinator {laptop}", "coordinator")
            import_apply.apply(other, coordinator.id, preview(other, sheets["long.xlsx"][0]))
            with other.reading() as session:
                keys.append(
                    {
                        (r.import_key, r.table_name)
                        for r in session.exec(sql_select(ImportRecord))
                        if r.table_name != "area"
                    }
                )
        finally:
            other.close()
    assert keys[0] == keys[1] and len(keys[0]) > 40
