"""Importeren, driven with keys: a file, its dry run per row, a column's meaning changed, a
match declined, the import confirmed, and undone from "Eerdere imports"."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.conftest import FROZEN_NOW
from tests.importing.helpers import counts
from tests.ui.helpers import cells, settle, type_text
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.store import areas, residents, workers
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.dialogs.column_meaning import ColumnMeaningDialog
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.screens.admin.import_batches import ImportBatchesScreen
from wijkwerk_tui.ui.screens.admin.import_file import ImportScreen
from wijkwerk_tui.ui.widgets.row_list import RowList


def sheet(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Ruinen"
    ws.append(["Naam", "Wie weet", "Datum", "PL"])
    ws.append(["Jansen, Piet", 1935, "1-3-2025", 2])
    ws.append(["Vries, Anna de", 1950, "31-02-2025", 3])
    ws.append(["Bakker, Gerrit", 1944, "12 mrt 2025", "IV"])
    wb.save(path)
    return path


async def test_issue16_import_screen_preview_map_decline_confirm_undo(db: Database, tmp_path: Path) -> None:
    boss = workers.add_worker(db, None, "Sanne Kuiper", "coordinator")
    ruinen = areas.add_area(db, boss.id, "Ruinen")
    residents.add_resident(db, boss.id, PersonalData("Piet", "", "Janssen", 1935), ruinen.id)
    path = sheet(tmp_path / "deelnemers.xlsx")
    before = counts(db)
    notices: list[str] = []
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **_kw: notices.append(str(message))  # type: ignore[method-assign]
        await settle(pilot)
        app.action_import()
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await type_text(pilot, str(tmp_path / "weg.xlsx"))
        await pilot.press("enter")
        await settle(pilot)
        assert "bestaat niet" in str(app.screen.query_one("#import-error").render())
        field = app.screen.query_one("#import-path")
        field.value = str(path)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        columns = cells(app.screen.query_one("#import-columns", RowList))
        assert ["Wie weet", "? (onbekend: wordt niet geïmporteerd)"] in columns
        rows = cells(app.screen.query_one("#import-rows", RowList))
        assert rows[1][1] == "fout" and "rij 3, kolom Datum: 31-02-2025 bestaat niet" in rows[1][2]
        assert counts(db) == before  # the dry run wrote nothing
        await pilot.press("f")  # only the rows with an error, the whole verdict under the list
        await settle(pilot)
        assert [r[0] for r in cells(app.screen.query_one("#import-rows", RowList))] == ["Ruinen r3"]
        detail = str(app.screen.query_one("#import-detail").render())
        assert detail == "Ruinen r3: rij 3, kolom Datum: 31-02-2025 bestaat niet"
        await pilot.press("f")
        await settle(pilot)
        assert len(cells(app.screen.query_one("#import-rows", RowList))) == 3

        # "Wie weet" is the birth year: chosen from the list, and the preview made again.
        app.screen.query_one("#import-columns", RowList).focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ColumnMeaningDialog)
        options = [str(o.prompt) for o in app.screen.query_one("OptionList").options]  # type: ignore[attr-defined]
        for _ in range(options.index("Geboortejaar")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        rows = cells(app.screen.query_one("#import-rows", RowList))
        assert rows[0][1] == "bestaand" and "Piet Janssen (1935) (gelijkende naam" in rows[0][2]
        assert rows[2][1] == "nieuw" and "Gerrit Bakker (1944)" in rows[2][2]

        # Piet Jansen is someone else after all: n on his row.
        app.screen.query_one("#import-rows", RowList).focus()
        await pilot.press("n")
        await settle(pilot)
        assert cells(app.screen.query_one("#import-rows", RowList))[0][1] == "nieuw"

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#question").render())
        assert (
            question.startswith("deelnemers.xlsx importeren?") and "1 rij met een fout wordt overgeslagen" in question
        )
        await pilot.press("j")
        await settle(pilot)
        assert any(n.startswith("Geïmporteerd: 2 nieuwe inwoners") for n in notices), notices
        assert counts(db)["resident"] == before["resident"] + 2
        assert cells(app.screen.query_one("#import-rows", RowList))[0][1] == "al gedaan"

        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportBatchesScreen)
        listed = cells(app.screen.query_one("#batches", RowList))
        assert len(listed) == 1 and listed[0][3] == "deelnemers.xlsx"
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert any(n.startswith("Import ongedaan gemaakt") for n in notices)
        assert counts(db) == before
        assert cells(app.screen.query_one("#batches", RowList))[0][5].startswith("ongedaan")


async def test_issue16_only_coordinators_see_importeren(db: Database) -> None:
    boss = workers.add_worker(db, None, "Sanne Kuiper", "coordinator")
    worker = workers.add_worker(db, boss.id, "Piet de Boer")
    notices: list[str] = []
    app = make_app(db=db, now=FROZEN_NOW, worker=worker)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **_kw: notices.append(str(message))  # type: ignore[method-assign]
        await settle(pilot)
        app.action_import()
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert notices == ["Alleen een coördinator mag een bestand importeren of een import ongedaan maken."]
