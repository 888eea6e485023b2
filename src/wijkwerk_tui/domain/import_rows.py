"""A spreadsheet's rows read as people and what happened to them (pure: no database).

Each data row becomes a SheetRow: the person it is about, the area, and its facts (ladder
placements, a contact, signals), or the reasons it cannot be read ("rij 17, kolom
Geboortedatum: 31-02-1950 bestaat niet"). Matching with residents already on file is the
service's work (`services.importing`); here only what the sheet itself says.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TypeVar

from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.activities import CONTACT_KINDS
from wijkwerk_tui.domain.import_cells import (
    CellError,
    read_birth_year,
    read_date,
    read_name,
    read_step,
    read_yes_no,
    split_family,
    text_of,
)
from wijkwerk_tui.domain.import_columns import IGNORE, header_score, map_headers, normal_header
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import full_name
from wijkwerk_tui.domain.text import fold

T = TypeVar("T")

HEADER_SEARCH_ROWS = 15
NOTE_MAX = 2000
AREA_MAX = 80
_TOTAL_WORDS = ("totaal", "total", "subtotaal", "gemiddeld", "gemiddelde", "som", "aantal")
_DEFAULT_SHEET = re.compile(r"^(blad|sheet|tabel|tabblad|werkblad)\s*\d*$")
_YEAR_NAME = re.compile(r"^(?:\D*\s)?((?:19|20)\d{2})$")


@dataclass(frozen=True)
class Person:
    given: str
    prefix: str
    family: str
    birth_year: int | None = None
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    consent: bool | None = None

    @property
    def identity(self) -> str:
        """Who the row is about, as the sheet writes it: the base of every import key."""
        born = self.birth_date.isoformat() if self.birth_date else str(self.birth_year or "")
        return "|".join((fold(self.given), fold(self.prefix), fold(self.family), born))

    @property
    def shown(self) -> str:
        name = full_name(self.given, self.prefix, self.family)
        return f"{name} ({self.birth_year})" if self.birth_year else name


@dataclass(frozen=True)
class Fact:
    """One thing a row adds: a ladder placement, a contact or a signal."""

    kind: str  # "ladder" | "contact" | "signal"
    code: str  # the ladder, the contact kind or the signal category
    on: date
    step: int | None = None
    note: str = ""
    when: str = ""  # what the sheet said when it gave only a year ("2026"): the key's date

    def key(self, person: Person) -> str:
        """The same fact about the same person gives the same key, in any file, on any laptop
        and on any day: importing a sheet again, or its next year's version, adds only what is
        new. Left out: the note (a corrected remark is no second contact); a date the import
        chose rather than the sheet (the end of a year still running is today, which moves);
        and a signal's date (a worry repeated on every row of a person is one signal)."""
        when = self.when or self.on.isoformat()
        parts = (
            (person.identity, self.kind, self.code)
            if self.kind == "signal"
            else (person.identity, self.kind, self.code, str(self.step or ""), when)
        )
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    def describe(self) -> str:
        if self.kind == "ladder":
            short = "PL" if self.code == Ladder.PARTICIPATION else "VL"
            return f"{short} {self.step} op {self.on.strftime('%d-%m-%Y')}"
        if self.kind == "contact":
            return f"contact ({CONTACT_KINDS[self.code]}) op {self.on.strftime('%d-%m-%Y')}"
        return f"signaal {signal_rules.CATEGORIES[self.code].split(' /')[0].lower()}"


def person_key(person: Person) -> str:
    return hashlib.sha256(("resident|" + person.identity).encode()).hexdigest()[:32]


@dataclass
class SheetRow:
    sheet: str
    number: int  # as the spreadsheet numbers its rows (1 = the first)
    person: Person | None = None
    area: str = ""
    facts: list[Fact] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: str = ""  # why the row is left out on purpose (a total row)
    warnings: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.sheet}:{self.number}"


@dataclass(frozen=True)
class SheetLayout:
    name: str
    header_row: int  # 1-based; 0: no header found
    headers: tuple[str, ...]
    targets: tuple[str | None, ...]
    data_rows: int


def sheet_year(name: str) -> int | None:
    """'2024' or 'Metingen 2024': a sheet per year."""
    m = _YEAR_NAME.match(fold(name))
    return int(m.group(1)) if m else None


def sheet_may_be_area(name: str) -> bool:
    """'Ruinen' may be a village; 'Blad1' and '2024' are not."""
    folded = fold(name)
    return bool(folded) and not _DEFAULT_SHEET.match(folded) and sheet_year(name) is None


def find_header(rows: Sequence[Sequence[object]], saved: Mapping[str, str] | None = None) -> int | None:
    """Index of the header row: the first of the top rows with two or more known headers, or
    headers the coordinator gave a meaning (title lines above it are skipped)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [text_of(cell) for cell in row]
        if header_score(cells) + sum(1 for c in cells if normal_header(c) in (saved or {})) >= 2:
            return index
    return None


def _year_end(year: int, today: date) -> date:
    """A measurement known only by its year counts at the end of that year (the step the
    next year starts from), or today while that year is still running."""
    return min(date(year, 12, 31), today)


def _category(word: str) -> str:
    """'eenzaamheid', 'schulden', 'mantelzorg' or 'debts': the category, else a CellError.
    Tried in turn: a whole part of a label, a whole word of one, then the start of a word."""
    wanted = fold(word).strip(" .")
    if not wanted:
        raise CellError("geen signaal")
    parts = {
        code: [fold(p).strip() for p in re.split(r"[/,]", label)] + [code.replace("_", " ")]
        for code, label in signal_rules.CATEGORIES.items()
    }
    words = {code: {w for p in pieces for w in p.split()} for code, pieces in parts.items()}
    for found in (
        [c for c, pieces in parts.items() if wanted in pieces],
        [c for c, ws in words.items() if wanted in ws],
        [c for c, ws in words.items() if len(wanted) >= 4 and any(w.startswith(wanted) for w in ws)],
    ):
        if len(found) == 1:
            return found[0]
    names = ", ".join(fold(label.split(" /")[0]) for label in signal_rules.CATEGORIES.values())
    raise CellError(f"onbekend signaal '{word.strip()}' (kies uit: {names})")


def _contact_kind(value: object) -> str:
    wanted = fold(text_of(value))
    if not wanted:
        return "walk_in"
    for code, label in CONTACT_KINDS.items():
        if wanted in (code.replace("_", " "), fold(label)) or fold(label).startswith(wanted):
            return code
    raise CellError(f"onbekende soort contact '{text_of(value)}' (kies uit: {', '.join(CONTACT_KINDS.values())})")


@dataclass
class _Cells:
    """One row's cells by target, with the header each came from (for the messages)."""

    values: dict[str, tuple[object, str]]
    wide: list[tuple[str, object, str]]

    def get(self, target: str) -> object:
        return self.values.get(target, (None, ""))[0]

    def header(self, target: str) -> str:
        return self.values.get(target, (None, target))[1]

    def has(self, target: str) -> bool:
        return text_of(self.get(target)) != ""


class _RowReader:
    def __init__(self, row: SheetRow, cells: _Cells, today: date, labels: Mapping[Ladder, Mapping[int, str]]) -> None:
        self.row, self.cells, self.today, self.labels = row, cells, today, labels

    def fail(self, header: str, reason: str) -> None:
        self.row.errors.append(f"rij {self.row.number}, kolom {header}: {reason}")

    def read(self, target: str, reader: Callable[[object], T]) -> T | None:
        if not self.cells.has(target):
            return None
        try:
            return reader(self.cells.get(target))
        except CellError as error:
            self.fail(self.cells.header(target), error.reason)
            return None

    def day(self, target: str) -> tuple[date | None, str]:
        """A date cell, and the year when it held only that (its date: the end of that year)."""

        def reader(value: object) -> tuple[date, str]:
            day, year_only = read_date(value, self.today)
            if year_only and day.year > self.today.year:
                raise CellError(f"{text_of(value)} ligt in de toekomst")
            if year_only:
                return _year_end(day.year, self.today), str(day.year)
            if day > self.today:
                raise CellError(f"{text_of(value)} ligt in de toekomst")
            return day, ""

        return self.read(target, reader) or (None, "")


def _person(reader: _RowReader) -> Person | None:
    cells = reader.cells
    if cells.has("name"):
        given, prefix, family = read_name(cells.get("name"))
    else:
        given = text_of(cells.get("given_name"))
        prefix = fold(text_of(cells.get("family_prefix")))
        family = text_of(cells.get("family_name"))
        if not prefix:
            prefix, family = split_family(family)
    if not (given or family):
        reader.fail(cells.header("name") if "name" in cells.values else "Naam", "geen naam")
        return None
    today = reader.today
    born: date | None = None
    year: int | None = None
    if cells.has("birth_date"):
        try:
            day, year_only = read_date(cells.get("birth_date"), today)
            if not 1900 <= day.year <= today.year or day > today:
                raise CellError(f"{text_of(cells.get('birth_date'))} kan geen geboortedatum zijn")
            year, born = day.year, (None if year_only else day)
        except CellError as error:
            reader.fail(cells.header("birth_date"), error.reason)
    typed_year = reader.read("birth_year", lambda v: read_birth_year(v, today))
    if typed_year is not None and year is not None and typed_year != year:
        reader.fail(cells.header("birth_year"), f"{typed_year} verschilt van de geboortedatum")
    year = year or typed_year
    consent = reader.read("consent", read_yes_no)
    return Person(
        given,
        prefix,
        family,
        year,
        born,
        text_of(cells.get("phone")),
        text_of(cells.get("email")),
        consent,
    )


def _facts(reader: _RowReader, sheet_year: int | None) -> list[Fact]:
    cells, row = reader.cells, reader.row
    on, said = reader.day("date")
    if on is None and sheet_year is not None and not cells.has("date"):
        on, said = _year_end(sheet_year, reader.today), str(sheet_year)  # a sheet per year
    facts: list[Fact] = []
    for ladder in Ladder:
        if cells.has(ladder.value):
            step = reader.read(ladder.value, partial(read_step, ladder=ladder, labels=reader.labels.get(ladder)))
            if step is None:
                continue
            if on is None:
                if not cells.has("date"):  # (a date that could not be read has its own message)
                    reader.fail(cells.header(ladder.value), "geen datum bij de meting (voeg een kolom Datum toe)")
                continue
            facts.append(Fact("ladder", ladder.value, on, step, when=said))
    for target, value, header in cells.wide:
        ladder_code, _, when = target.partition("@")
        ladder = Ladder(ladder_code)
        try:
            step = read_step(value, ladder, reader.labels.get(ladder))
        except CellError as error:
            reader.fail(header, error.reason)
            continue
        day = _year_end(int(when), reader.today) if len(when) == 4 else date.fromisoformat(when)
        if day > reader.today or (len(when) == 4 and int(when) > reader.today.year):
            reader.fail(header, "die datum ligt in de toekomst")
            continue
        facts.append(Fact("ladder", ladder.value, day, step, when=when if len(when) == 4 else ""))
    contact_on, contact_said = reader.day("contact_on")
    kind = reader.read("contact_kind", _contact_kind)
    if contact_on is None and kind is not None and "contact_on" not in cells.values:
        contact_on, contact_said = on, said  # "datum" and "soort contact": the date is the contact's
    if contact_on is not None:
        facts.append(Fact("contact", kind or "walk_in", contact_on, when=contact_said))
    if cells.has("signal"):
        for word in re.split(r"[,;/+\n]| en ", text_of(cells.get("signal"))):
            if not word.strip():
                continue
            try:
                code = _category(word)
            except CellError as error:
                reader.fail(cells.header("signal"), error.reason)
                continue
            facts.append(Fact("signal", code, contact_on or on or reader.today))
    note = text_of(cells.get("note"))
    if note:
        target_index = next((i for i, f in enumerate(facts) if f.kind == "contact"), 0 if facts else None)
        if target_index is None:
            row.warnings.append("opmerking niet overgenomen: geen meting, contact of signaal in deze rij")
        else:
            fact = facts[target_index]
            if len(note) > NOTE_MAX:  # the shortest a fact keeps (a placement's note)
                reader.fail(cells.header("note"), f"maximaal {NOTE_MAX} tekens (nu {len(note)})")
                return facts
            facts[target_index] = Fact(fact.kind, fact.code, fact.on, fact.step, note, fact.when)
    return facts


def _is_total(cells: Sequence[object]) -> bool:
    first = next((text_of(c) for c in cells if text_of(c)), "")
    word = fold(first).split(" ")[0].rstrip(":") if first else ""
    return word in _TOTAL_WORDS


def read_sheet(
    name: str,
    rows: Sequence[Sequence[object]],
    today: date,
    *,
    saved: Mapping[str, str] | None = None,
    sheet_is_area: bool = False,
    labels: Mapping[Ladder, Mapping[int, str]] | None = None,
) -> tuple[SheetLayout, list[SheetRow]]:
    """Every data row below the header, read; empty rows are left out."""
    header_index = find_header(rows, saved)
    if header_index is None:
        return SheetLayout(name, 0, (), (), 0), []
    headers = tuple(text_of(cell) for cell in rows[header_index])
    targets = tuple(map_headers(headers, saved))
    year = sheet_year(name)
    sheet_date = year if year is not None and year <= today.year else None
    result: list[SheetRow] = []
    for offset, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(text_of(c) for c in cells):
            continue
        row = SheetRow(name, offset)
        result.append(row)
        if _is_total(cells):
            row.skipped = "totaalregel"
            continue
        values: dict[str, tuple[object, str]] = {}
        wide: list[tuple[str, object, str]] = []
        for index, target in enumerate(targets):
            value = cells[index] if index < len(cells) else None
            header = headers[index] or f"{index + 1}"
            if target is None or target == IGNORE:
                continue
            if "@" in target:
                if text_of(value):
                    wide.append((target, value, header))
            else:
                values[target] = (value, header)
        reader = _RowReader(row, _Cells(values, wide), today, labels or {})
        row.person = _person(reader)
        row.area = text_of(reader.cells.get("area")) or (name.strip() if sheet_is_area else "")
        if len(row.area) > AREA_MAX:
            reader.fail(
                reader.cells.header("area"), f"een gebied heeft maximaal {AREA_MAX} tekens (nu {len(row.area)})"
            )
        row.facts = _facts(reader, sheet_date)
    return SheetLayout(name, header_index + 1, headers, targets, len(result)), result
