"""The period report as Markdown, CSV (for Dutch Excel), XLSX and JSON.

CSV for Dutch Excel: semicolons, UTF-8 with a byte-order mark (else Excel reads it as
ANSI and breaks ë and ï), and a decimal comma. It is long ("tidy"): one value per line
with its section, row, sub-row and column, so a pivot table makes any view.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from wijkwerk_tui.domain.report import SMALL, Cell, Count, PeriodReport
from wijkwerk_tui.exchange.private_files import private_file
from wijkwerk_tui.exchange.spreadsheet import cells, csv_text

FORMATS = ("md", "csv", "xlsx", "json")


def show(cell: Cell, suppress: bool) -> str | int | float | None:
    """A cell's value for output: small counts become "<5" when suppression is on."""
    if isinstance(cell, Count):
        return f"<{SMALL}" if suppress and 0 < cell.n < SMALL else cell.n
    return cell


def _text(value: str | int | float | None, decimal_comma: bool = True) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:.2f}"  # always two decimals, so a column lines up
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def _period(report: PeriodReport) -> str:
    return f"{report.start:%d-%m-%Y} t/m {report.end:%d-%m-%Y}"


def to_markdown(report: PeriodReport, suppress: bool = True) -> str:
    lines = [
        f"# Rapportage {report.organisation}".rstrip(),
        "",
        f"Periode: {_period(report)} · Gebied: {report.area}"
        + (" · Aantallen onder de 5 staan als <5." if suppress else ""),
        "",
    ]
    for table in report.tables:
        lines += [f"## {table.title}", ""]
        if table.note:
            lines += [table.note, ""]
        lines += ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
        lines += [
            "| " + " | ".join(_text(show(c, suppress)).replace("|", "\\|") for c in row) + " |" for row in table.rows
        ]
        lines.append("")
    lines += ["## Verhalen uit de wijk", ""]
    lines += [f"- {area}, {day:%d-%m-%Y}: {story}" for area, day, story in report.stories] or ["Geen verhalen."]
    return "\n".join(lines) + "\n"


def to_csv(report: PeriodReport, suppress: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["sectie", "rij", "subrij", "kenmerk", "waarde"])
    for table in report.tables:
        for row in table.rows:
            labels = [csv_text(str(c)) for c in row[: table.labels]]
            row_label, sub_label = labels[0], (labels[1] if len(labels) > 1 else "")
            for column, cell in zip(table.columns[table.labels :], row[table.labels :], strict=True):
                value = _text(show(cell, suppress))
                # Text (a name, "<5") is quoted where it starts like a formula; numbers stay numbers.
                writer.writerow(
                    [table.title, row_label, sub_label, column, csv_text(value) if isinstance(cell, str) else value]
                )
    for area, day, story in report.stories:
        writer.writerow(["Verhalen uit de wijk", csv_text(area), f"{day:%d-%m-%Y}", "verhaal", csv_text(story)])
    return out.getvalue().encode("utf-8-sig")


def to_json(report: PeriodReport, suppress: bool = True) -> str:
    data: dict[str, Any] = {
        "organisatie": report.organisation,
        "van": report.start.isoformat(),
        "tot_en_met": report.end.isoformat(),
        "gebied": report.area,
        "kleine_aantallen_onderdrukt": suppress,
        "tabellen": [
            {
                "sleutel": t.key,
                "titel": t.title,
                "kolommen": t.columns,
                "rijen": [[show(c, suppress) for c in row] for row in t.rows],
            }
            for t in report.tables
        ],
        "verhalen": [{"gebied": a, "datum": d.isoformat(), "verhaal": s} for a, d, s in report.stories],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_xlsx(report: PeriodReport, path: Path, suppress: bool = True) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    assert about is not None  # a new workbook has one sheet, and it is active
    about.title = "Over"
    for line in (
        ["Rapportage", report.organisation],
        ["Periode", _period(report)],
        ["Gebied", report.area],
        ["Kleine aantallen", f"onder de {SMALL} als <{SMALL}" if suppress else "niet onderdrukt"],
    ):
        about.append(cells(about, line))
    used: set[str] = {"Over"}
    for table in report.tables:
        name = _sheet_name(table.title, used)
        sheet = book.create_sheet(name)
        sheet.append(cells(sheet, table.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(cells(sheet, [show(c, suppress) for c in row]))
        sheet.column_dimensions["A"].width = 28
    stories = book.create_sheet("Verhalen")
    stories.append(["Gebied", "Datum", "Verhaal"])
    for area, day, story in report.stories:
        stories.append(cells(stories, [area, day, story]))
    book.save(path)


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(c for c in title if c not in "[]:*?/\\")[:28].strip()
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name)
    return name


def write(report: PeriodReport, fmt: str, path: Path, suppress: bool = True) -> Path:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    private_file(path)
    if fmt == "md":
        path.write_text(to_markdown(report, suppress), encoding="utf-8")
    elif fmt == "csv":
        path.write_bytes(to_csv(report, suppress))
    elif fmt == "json":
        path.write_text(to_json(report, suppress), encoding="utf-8")
    elif fmt == "xlsx":
        to_xlsx(report, path, suppress)
    else:
        raise ValueError(fmt)
    return path


def default_name(report: PeriodReport, fmt: str) -> str:
    area = "" if report.area.startswith("Alle") else "-" + "".join(c for c in report.area if c.isalnum())
    return f"rapportage-{report.start:%Y%m%d}-{report.end:%Y%m%d}{area}.{fmt}"
