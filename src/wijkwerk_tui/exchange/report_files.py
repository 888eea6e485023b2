"""The period report as Markdown, CSV (for Dutch Excel), XLSX, JSON and HTML.

Every format gets the report as published (`PeriodReport.view`): hidden figures show as
"x", the sign Statistics Netherlands uses. CSV for Dutch Excel: semicolons, UTF-8 with a
byte-order mark (else Excel reads it as ANSI and breaks ë and ï), a decimal comma, a header
block saying what the figures are, then one value per line with its section, row, sub-row
and column ("tidy"), so a pivot table makes any view.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from wijkwerk_tui.domain.report import PeriodReport, Table
from wijkwerk_tui.exchange.private_files import private_file
from wijkwerk_tui.exchange.report_text import HIDDEN, LEGEND, about, number_text, show
from wijkwerk_tui.exchange.spreadsheet import cells, csv_text

FORMATS = ("md", "csv", "xlsx", "json", "html")
__all__ = ["FORMATS", "HIDDEN", "LEGEND", "about", "number_text", "show", "write"]  # the report's readers use these
# Readable sheet names within Excel's 31 characters.
SHEET_NAMES = {
    "participation_distribution": "Participatieladder treden",
    "participation_movement": "Participatieladder beweging",
    "support_distribution": "Verantwoordelijkheid treden",
    "support_movement": "Verantwoordelijkheid beweging",
    "signals": "Signalen per soort",
    "signals_urgency": "Signalen naar urgentie",
    "signals_source": "Signalen naar bron",
    "signals_closed": "Signalen gesloten",
    "referrals": "Doorverwijzingen",
    "reach": "Bereik",
    "effort": "Inzet in uren",
    "contacts_per_month": "Contacten per maand",
    "goals": "Doelen",
    "reached": "Bereikte inwoners",
    "caseload": "Caseload",
    "meldcode": "Meldcode",
}


def to_markdown(report: PeriodReport) -> str:
    lines = [f"# Rapportage {report.organisation}".rstrip(), ""]
    lines += [f"- {name.capitalize()}: {value}" for name, value in about(report)[1:]] + [""]
    for table in report.tables:
        lines += [f"## {table.title}", ""]
        if table.note:
            lines += [table.note, ""]
        lines += ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
        lines += [
            "| " + " | ".join(number_text(show(c), table.digits).replace("|", "\\|") for c in row) + " |"
            for row in table.rows
        ]
        lines.append("")
    lines += ["## Verhalen uit de wijk", ""]
    lines += [f"- {area}, {day:%d-%m-%Y}: {story}" for area, day, story in report.stories] or ["Geen verhalen."]
    return "\n".join(lines) + "\n"


def to_csv(report: PeriodReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for name, value in about(report):
        writer.writerow([name, csv_text(value)])
    writer.writerow([])
    writer.writerow(["sectie", "rij", "subrij", "kenmerk", "waarde"])
    for table in report.tables:
        for row in table.rows:
            labels = [csv_text(str(c)) for c in row[: table.labels]]
            row_label, sub_label = labels[0], (labels[1] if len(labels) > 1 else "")
            for column, cell in zip(table.columns[table.labels :], row[table.labels :], strict=True):
                value = number_text(show(cell), table.digits)
                # Text (a name) is quoted where it starts like a formula; numbers stay numbers.
                writer.writerow(
                    [table.title, row_label, sub_label, column, csv_text(value) if isinstance(cell, str) else value]
                )
    for area, day, story in report.stories:
        writer.writerow(["Verhalen uit de wijk", csv_text(area), f"{day:%d-%m-%Y}", "verhaal", csv_text(story)])
    return out.getvalue().encode("utf-8-sig")


def to_json(report: PeriodReport) -> str:
    data: dict[str, Any] = {
        "organisatie": report.organisation,
        "van": report.start.isoformat(),
        "tot_en_met": report.end.isoformat(),
        "gebied": report.area,
        "gemaakt_op": report.run_on.isoformat(),
        "kleine_aantallen_onderdrukt": report.protected,
        "verborgen": LEGEND if report.protected else "",
        "tabellen": [
            {
                "sleutel": t.key,
                "titel": t.title,
                "toelichting": t.note,
                "kolommen": t.columns,
                "rijen": [[show(c) for c in row] for row in t.rows],
            }
            for t in report.tables
        ],
        "verhalen": [{"gebied": a, "datum": d.isoformat(), "verhaal": s} for a, d, s in report.stories],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_xlsx(report: PeriodReport, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has one sheet, and it is active
    first.title = "Over"
    first.append(["Rapportage", report.organisation])
    for name, value in about(report)[1:]:
        first.append(cells(first, [name, value]))
    used: set[str] = {"Over", "Verhalen"}
    for table in report.tables:
        sheet = book.create_sheet(sheet_name(table, used))
        sheet.append(cells(sheet, table.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(cells(sheet, [show(c) for c in row]))
        decimals = "0." + "0" * table.digits
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, float):
                    cell.number_format = decimals
        sheet.column_dimensions["A"].width = 28
    stories = book.create_sheet("Verhalen")
    stories.append(["Gebied", "Datum", "Verhaal"])
    for area, day, story in report.stories:
        stories.append(cells(stories, [area, day, story]))
    book.save(path)


def sheet_name(table: Table, used: set[str]) -> str:
    base = SHEET_NAMES.get(table.key) or "".join(c for c in table.title if c not in "[]:*?/\\")[:28].strip()
    name, n = base[:31], 2
    while name in used:
        name, n = f"{base[:27]} {n}", n + 1
    used.add(name)
    return name


def write(report: PeriodReport, fmt: str, path: Path, suppress: bool = True) -> Path:
    """The report as published (protected unless `suppress` is off) in one format."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    published = report.view(protect=suppress)
    private_file(path)
    if fmt == "md":
        path.write_text(to_markdown(published), encoding="utf-8")
    elif fmt == "csv":
        path.write_bytes(to_csv(published))
    elif fmt == "json":
        path.write_text(to_json(published), encoding="utf-8")
    elif fmt == "html":
        from wijkwerk_tui.exchange.report_html import to_html

        path.write_text(to_html(published), encoding="utf-8")
    else:
        to_xlsx(published, path)
    return path


def default_name(report: PeriodReport, fmt: str) -> str:
    area = "" if report.area.startswith("Alle") else "-" + "".join(c for c in report.area if c.isalnum())
    return f"rapportage-{report.start:%Y%m%d}-{report.end:%Y%m%d}{area}.{fmt}"
