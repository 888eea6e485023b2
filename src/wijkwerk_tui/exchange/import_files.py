"""Reading a spreadsheet to import: XLSX, XLS and ODS (python-calamine) or CSV.

Every sheet comes back as rows of plain cell values, merged cells filled in (a name merged
over three measurement rows counts for all three). CSV may be UTF-8 (with or without BOM)
or Windows-1252, with `;`, `,` or tabs between the cells: both are recognised.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine

from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.services import import_plan
from wijkwerk_tui.services.import_plan import Preview

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database

MAX_BYTES = 50 * 1024 * 1024  # far beyond any hand-made sheet; a mistaken file stops here
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT = (".csv", ".txt")


class ImportFileError(DomainError):
    """The file cannot be read as a spreadsheet (the message is Dutch, without its content)."""


Rows = list[list[object]]


@dataclass(frozen=True)
class SourceFile:
    name: str  # the file's name, without its folder
    digest: str  # sha256 of its bytes
    sheets: list[tuple[str, Rows]]


def read(path: Path) -> SourceFile:
    if not path.is_file():
        raise ImportFileError("Dit bestand bestaat niet of is geen gewoon bestand.")
    too_big = f"Dit bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB: zo groot is geen lijst."
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # no further: a device or a huge file stops here
    except OSError:
        raise ImportFileError("Dit bestand is niet te lezen.") from None
    if len(data) > MAX_BYTES:
        raise ImportFileError(too_big)
    suffix = path.suffix.lower()
    if suffix in TEXT:
        sheets = [(path.stem, read_csv(data))]
    elif suffix in SPREADSHEETS:
        sheets = _read_workbook(data)
    else:
        raise ImportFileError("Kies een .xlsx-, .xls-, .ods- of .csv-bestand.")
    return SourceFile(path.name, hashlib.sha256(data).hexdigest(), sheets)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252: what Excel saves as 'CSV (gescheiden door lijstscheidingsteken)'."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode-tekst" (.txt, tabs)
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"


def read_csv(data: bytes) -> Rows:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [list(row) for row in reader]
    except csv.Error:
        raise ImportFileError("Dit CSV-bestand is niet te lezen (een aanhalingsteken te veel?).") from None


def _read_workbook(data: bytes) -> list[tuple[str, Rows]]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise ImportFileError("Dit bestand is beveiligd met een wachtwoord: sla het eerst zonder op.") from None
    except Exception:  # noqa: BLE001 - the reader's own messages may quote the file
        raise ImportFileError("Dit bestand is geen leesbaar spreadsheet (beschadigd of een ander formaat).") from None
    sheets: list[tuple[str, Rows]] = []
    try:
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows: Rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            sheets.append((name, rows))
    except Exception:  # noqa: BLE001 - as above
        raise ImportFileError("Een blad van dit bestand is niet te lezen.") from None
    finally:
        book.close()
    return sheets


def _fill_merged(rows: Rows, ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """A merged cell's value in every cell it covers (the reader gives only the top-left)."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, right + 1):
                while len(rows[r]) <= c:
                    rows[r].append("")
                rows[r][c] = value


def preview(
    db: Database, path: Path, overrides: Mapping[str, str] | None = None, separate: Collection[str] = ()
) -> Preview:
    """Read the file and make its dry run (nothing is written)."""
    source = read(path)
    return import_plan.plan(db, source.name, source.digest, source.sheets, overrides=overrides, separate=separate)
