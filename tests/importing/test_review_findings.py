"""What a review found when trying the import as a coordinator and as someone breaking it:
each case as it was reproduced, failing before its fix."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from tests.conftest import FROZEN_NOW, FakeClock
from tests.importing.helpers import counts, live, preview
from tests.importing.test_import_rules import _sheet
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.db.tables import AuditEvent, Resident, Worker
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.services import import_apply
from wijkwerk_tui.services.import_plan import ERROR, KNOWN, MERGE, NEW
from wijkwerk_tui.store import areas, ladders, residents, workers


def test_issue16_review_running_year_and_undated_signal_stay_imported_the_next_day(tmp_path: Path) -> None:
    clock = FakeClock(FROZEN_NOW)
    db = open_database(tmp_path / "d.db", clock)
    try:
        boss = workers.add_worker(db, None, "Sanne Kuiper", "coordinator")
        sheet = tmp_path / "lopend.csv"
        sheet.write_text("Naam;Geboortejaar;PL 2025;PL 2026;Signaal\nGroen, Anna;1952;3;4;schulden\n", encoding="utf-8")
        import_apply.apply(db, boss.id, preview(db, sheet))
        before = live(db)
        clock.advance(days=1)
        again = preview(db, sheet)
        assert not again.writes and again.rows[0].status == KNOWN
        assert live(db) == before
    finally:
        db.close()


def test_issue16_review_an_undone_import_that_made_an_area_can_come_in_again(
    db: Database, boss: Worker, tmp_path
) -> None:
    sheet = _sheet(
        tmp_path / "a.xlsx", ["naam", "geboortejaar", "kern", "PL 2025"], ["Bakker, Gerrit", 1944, "Nieuwdorp", 2]
    )
    done = import_apply.apply(db, boss.id, preview(db, sheet))
    import_apply.undo(db, boss.id, done.batch_id)
    assert [a.name for a in areas.list_areas(db)] == []
    again = import_apply.apply(db, boss.id, preview(db, sheet))
    assert again.residents_new == 1 and [a.name for a in areas.list_areas(db)] == ["Nieuwdorp"]


def test_issue16_review_a_refused_row_makes_nobody_and_a_later_row_gives_the_year(
    db: Database, boss: Worker, tmp_path
) -> None:
    for year in (1941, 1943):
        residents.add_resident(db, boss.id, PersonalData("Piotr", "", "Janssen", year), None)
    sheet = _sheet(
        tmp_path / "m.xlsx",
        ["naam", "geboortejaar", "datum", "PL"],
        ["Piotr Janssen", None, "1-3-2025", 2],
        ["Janssen, Piotr", 1943, "1-4-2025", 3],
        ["Kees Vos", None, "1-3-2025", 2],
        ["Vos, Kees", 1960, "1-4-2025", 3],
    )
    shown = preview(db, sheet)
    assert [r.status for r in shown.rows] == [ERROR, MERGE, NEW, "same_file"]
    import_apply.apply(db, boss.id, shown)
    with db.reading() as session:
        people = {
            (r.given_name, r.birth_year) for r in session.exec(select(Resident).where(Resident.deleted_at.is_(None)))
        }
    assert people == {("Piotr", 1941), ("Piotr", 1943), ("Kees", 1960)}  # no third Piotr; Kees has his year


def test_issue16_review_too_long_a_remark_or_area_is_refused_in_the_dry_run(
    db: Database, boss: Worker, tmp_path
) -> None:
    sheet = _sheet(
        tmp_path / "l.xlsx",
        ["naam", "geboortejaar", "kern", "datum", "PL", "opmerking"],
        ["Bakker, Gerrit", 1944, "Ruinen", "1-3-2025", 2, "x" * 3000],
        ["Smit, Anna", 1950, "R" * 90, "1-3-2025", 2, ""],
        ["Vos, Kees", 1960, "Ruinen", "1-3-2025", 2, "kort"],
    )
    shown = preview(db, sheet)
    assert [r.status for r in shown.rows] == [ERROR, ERROR, NEW]
    assert "kolom opmerking: maximaal 2000 tekens (nu 3000)" in shown.rows[0].text
    assert "kolom kern: een gebied heeft maximaal 80 tekens (nu 90)" in shown.rows[1].text
    done = import_apply.apply(db, boss.id, shown)
    assert done.residents_new == 1


def test_issue16_review_undoing_two_imports_newest_first_leaves_nobody(db: Database, boss: Worker, tmp_path) -> None:
    before = live(db)
    first = _sheet(tmp_path / "y2024.xlsx", ["naam", "geboortejaar", "PL 2024"], ["Rood, Anna", 1952, 3])
    second = _sheet(tmp_path / "y2025.xlsx", ["naam", "geboortejaar", "PL 2025"], ["Rood, Anna", 1952, 4])
    one = import_apply.apply(db, boss.id, preview(db, first))
    two = import_apply.apply(db, boss.id, preview(db, second))
    assert import_apply.undo(db, boss.id, two.batch_id).kept == 0
    assert import_apply.undo(db, boss.id, one.batch_id).kept == 0
    assert {t: {i for i, _v in rows} for t, rows in live(db).items()} == {
        t: {i for i, _v in rows} for t, rows in before.items()
    }


def test_issue16_review_undo_keeps_a_resident_a_worker_edited(db: Database, boss: Worker, tmp_path) -> None:
    sheet = _sheet(tmp_path / "e.xlsx", ["naam", "geboortejaar", "PL 2025"], ["Rood, Anna", 1952, 3])
    done = import_apply.apply(db, boss.id, preview(db, sheet))
    with db.reading() as session:
        anna = session.exec(select(Resident)).one()
    residents.update_resident(
        db, boss.id, anna.id, PersonalData("Anna", "", "Rood", 1952, phone="06-12345678"), None, None
    )
    undone = import_apply.undo(db, boss.id, done.batch_id)
    assert (undone.removed, undone.kept) == (1, 1) and counts(db)["resident"] == 1


def test_issue16_review_a_name_corrected_in_the_sheet_adds_nothing_already_on_file(
    db: Database, boss: Worker, tmp_path
) -> None:
    lubbers = residents.add_resident(db, boss.id, PersonalData("Henk", "", "Lubbers", 1947), None)
    ladders.record_step(db, boss.id, lubbers.id, Ladder.PARTICIPATION, 2, date(2025, 1, 6))  # typed by hand
    header = ["naam", "geboortejaar", "datum", "PL", "signaal"]
    typo = _sheet(tmp_path / "typo.xlsx", header, ["Lubers, Henk", 1947, "12-3-2025", 3, "eenzaamheid"])
    import_apply.apply(db, boss.id, preview(db, typo))
    fixed = _sheet(
        tmp_path / "fixed.xlsx",
        header,
        ["Lubbers, Henk", 1947, "12-3-2025", 3, "eenzaamheid"],
        ["Lubbers, Henk", 1947, "6-1-2025", 2, ""],
    )
    again = preview(db, fixed)
    assert [r.status for r in again.rows] == [KNOWN, KNOWN] and not again.writes


def test_issue16_review_undo_leaves_no_personal_data_behind(db: Database, boss: Worker, tmp_path) -> None:
    sheet = _sheet(
        tmp_path / "p.xlsx",
        ["naam", "geboortejaar", "telefoon", "datum", "PL", "opmerking"],
        ["Rood, Anna", 1952, "06-12345678", "1-3-2025", 3, "woont alleen sinds de dood van haar man"],
    )
    done = import_apply.apply(db, boss.id, preview(db, sheet))
    import_apply.undo(db, boss.id, done.batch_id)
    with db.reading() as session:
        anna = session.exec(select(Resident)).one()
        notes = [s.note for s in session.exec(select(ladders.LadderStep))]
        events = [(e.action, e.resident_id) for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq))]
    assert (anna.given_name, anna.family_name, anna.birth_year, anna.phone, anna.search_key) == ("", "", None, "", "")
    assert notes == [""]
    assert ("resident.delete", anna.id) in events


def test_issue16_review_the_year_of_a_sheet_per_year_dates_its_rows(db: Database, boss: Worker, tmp_path) -> None:
    sheet = _sheet(tmp_path / "j.xlsx", ["naam", "geboortejaar", "PL"], ["Rood, Anna", 1952, 3], title="2024")
    shown = preview(db, sheet)
    assert shown.rows[0].status == NEW and "PL 3 op 31-12-2024" in shown.rows[0].text
    future = _sheet(tmp_path / "f.xlsx", ["naam", "geboortejaar", "datum", "PL"], ["Rood, Anna", 1952, 2030, 3])
    assert "ligt in de toekomst" in preview(db, future).rows[0].text


def test_issue16_review_files_that_are_not_spreadsheets(db: Database, boss: Worker, tmp_path) -> None:
    from wijkwerk_tui.exchange import import_files
    from wijkwerk_tui.exchange.import_files import ImportFileError

    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes("naam\tgeboortejaar\tPL 2025\r\nÖzdemir, Ayşe\t1958\t2\r\n".encode("utf-16"))
    assert preview(db, utf16).rows[0].name == "Ayşe Özdemir (1958)"
    for name, data in (("leeg.csv", b""), ("kapot.xlsx", b"PK\x03\x04 niet echt")):
        (tmp_path / name).write_bytes(data)
    assert preview(db, tmp_path / "leeg.csv").rows == []
    with pytest.raises(ImportFileError, match="geen leesbaar spreadsheet"):
        import_files.read(tmp_path / "kapot.xlsx")
    with pytest.raises(ImportFileError, match="geen gewoon bestand"):
        import_files.read(tmp_path)
    (tmp_path / "oneindig.csv").symlink_to("/dev/zero")
    with pytest.raises(ImportFileError, match=r"geen gewoon bestand|groter dan"):
        import_files.read(tmp_path / "oneindig.csv")
