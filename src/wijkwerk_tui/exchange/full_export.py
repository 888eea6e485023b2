"""Write the full export: one JSON Lines file per table, or one XLSX sheet per table."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.exchange.private_files import private_file, private_folder
from wijkwerk_tui.exchange.spreadsheet import cells
from wijkwerk_tui.queries import full_export

FORMATS = ("jsonl", "xlsx")
DELETED = "verwijderd"  # the added column that marks soft-deleted rows


def _marked(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        if "deleted_at" in row:
            row[DELETED] = row["deleted_at"] is not None
        yield row


def write(db: Database, actor: uuid.UUID | None, fmt: str, folder: Path) -> list[Path]:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    names = full_export.begin(db, actor, fmt)
    private_folder(folder)
    if fmt == "jsonl":
        written = []
        for name in names:
            path = private_file(folder / f"{name}.jsonl")
            with path.open("w", encoding="utf-8") as out:
                for row in _marked(full_export.rows(db, actor, name)):
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            written.append(path)
        return written
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name in names:
        sheet = book.create_sheet(name[:31])
        header: list[str] | None = None
        for row in _marked(full_export.rows(db, actor, name)):
            if header is None:
                header = list(row)
                sheet.append(header)
            sheet.append(cells(sheet, [row[k] for k in header]))
    path = private_file(folder / "wijkwerk-export.xlsx")
    book.save(path)
    return [path]
