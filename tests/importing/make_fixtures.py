"""Spreadsheets as organisations make them by hand, made by code (run: python -m tests.importing.make_fixtures DIR).

Each maker writes one file and returns what an import of it must find, so the tests compare
with the script's own ground truth instead of numbers typed by hand:
- long: a row per measurement, a title above the header, names as "Vries, Anna de" merged
  over a person's rows, Excel serial dates, roman numerals and step words, trailing spaces,
  empty rows and a total row at the bottom;
- wide: a column per year ("PL 2024", "PL 2025", "VL 2025");
- villages: a sheet per village, no area column;
- csv_1252: Windows-1252, semicolons, `12-3-'24` and `12 mrt 2024`, accents;
- errors: 200 rows, 5 % of them wrong in a known way;
- ods: the long layout's first rows as OpenDocument;
- big: N rows in long form, for the benchmark.
"""

from __future__ import annotations

import random
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

TODAY = date(2026, 11, 23)  # the tests' frozen clock
GIVEN = ["Anna", "Kees", "Gerrit", "Jantje", "Fatma", "Willem", "Hendrika", "Ahmet", "Truus", "Bertus", "Ineke", "Jan"]
FAMILY = [
    ("", "Bakker"),
    ("de", "Vries"),
    ("van der", "Berg"),
    ("", "Mulder"),
    ("", "Özdemir"),
    ("", "Smit"),
    ("van", "Dijk"),
    ("", "Meijer"),
    ("ten", "Hove"),
    ("", "Post"),
    ("", "Kuiper"),
    ("", "Müller"),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
PL_WORDS = {5: "betaald werk met ondersteuning", 4: "onbetaald werk", 1: "geïsoleerd"}
SERIAL_EPOCH = date(1899, 12, 30)


@dataclass
class Expected:
    """What importing a fixture into an empty database must give."""

    residents: int = 0
    ladder: int = 0
    contacts: int = 0
    signals: int = 0
    error_rows: set[tuple[str, int]] = field(default_factory=set)  # (sheet, row number)
    error_columns: dict[tuple[str, int], str] = field(default_factory=dict)
    skipped_rows: set[tuple[str, int]] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)


def _people(rng: random.Random, n: int) -> list[tuple[str, str, str, int]]:
    """Distinct people: no two that the import's matching would take for one."""
    seen: set[tuple[str, str, int]] = set()
    result = []
    while len(result) < n:
        given = rng.choice(GIVEN)
        prefix, family = rng.choice(FAMILY)
        year = rng.randint(1930, 2004)
        if (given[:3].lower(), family, year) in seen:
            continue
        seen.add((given[:3].lower(), family, year))
        result.append((given, prefix, family, year))
    return result


def _comma_name(given: str, prefix: str, family: str) -> str:
    return f"{family}, {given} {prefix}".strip()


def long_layout(path: Path, seed: int = 1, people: int = 12) -> Expected:
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Metingen"
    ws.append(["Overzicht participatieladder Welzijn De Wolden"])
    ws.append([])
    ws.append(["Naam ", "Geb. jaar", "Kern", "Datum meting", "Trede PL", "VL", "Signaal", "Opmerking"])
    expected = Expected()
    for i, (given, prefix, family, year) in enumerate(_people(rng, people)):
        area = ["Ruinen", "Zuidwolde", "Echten"][i % 3]
        expected.areas.add(area)
        first = 0
        measurements = 1 + i % 3
        for m in range(measurements):
            day = date(2023 + m, 1 + (i % 12), 1 + (i % 27))
            step = 1 + (i + m) % 6
            shown_step: object = [step, ROMAN[step - 1], PL_WORDS.get(step, step), float(step)][(i + m) % 4]
            shown_date: object = [day, (day - SERIAL_EPOCH).days, day.strftime("%d-%m-%Y")][m % 3]
            signal = "eenzaamheid" if m == 0 and i % 4 == 0 else None
            ws.append(
                [
                    _comma_name(given, prefix, family) + "  ",
                    year,
                    area,
                    shown_date,
                    shown_step,
                    (i % 5) + 1 if m == 0 else None,
                    signal,
                    "komt graag" if m == 0 else None,
                ]
            )
            first = first or ws._current_row  # (max_row ignores empty rows appended)
            expected.ladder += 1 + (m == 0)
            expected.signals += signal is not None
        if measurements > 1:  # the name and birth year typed once, merged over the person's rows
            last = ws._current_row
            for column in ("A", "B", "C"):
                for r in range(first + 1, last + 1):
                    ws[f"{column}{r}"] = None
                ws.merge_cells(f"{column}{first}:{column}{last}")
        expected.residents += 1
        if i % 5 == 4:
            ws.append([])  # an empty row between people
    ws.append([])
    ws.append(["Totaal", None, None, None, f"=SUM(E4:E{ws._current_row})"])
    expected.skipped_rows.add(("Metingen", ws._current_row))
    wb.save(path)
    return expected


def wide_layout(path: Path, seed: int = 2, people: int = 15) -> Expected:
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Blad1"
    ws.append(
        [
            "Voornaam",
            "Tussenvoegsel",
            "Achternaam",
            "Geboortedatum",
            "Wijk",
            "PL 2024",
            "PL 2025",
            "VL 2025",
            "Telefoon",
        ]
    )
    expected = Expected()
    for i, (given, prefix, family, year) in enumerate(_people(rng, people)):
        born = date(year, 1 + i % 12, 1 + i % 28)
        pl_2024 = 1 + i % 6 if i % 3 else None  # not measured that year
        row = [
            given,
            prefix,
            family,
            f"{born.day}-{born.month}-{born.year}",
            "Echten",
            pl_2024,
            1 + (i + 1) % 6,
            1 + i % 5,
        ]
        row.append(f"06-{12345600 + i}" if i % 2 else None)
        ws.append(row)
        expected.residents += 1
        expected.ladder += 2 + (pl_2024 is not None)
    expected.areas.add("Echten")
    wb.save(path)
    return expected


def villages_layout(path: Path, seed: int = 3) -> Expected:
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    expected = Expected()
    people = _people(rng, 18)
    first = True
    for v, village in enumerate(("Ruinen", "Zuidwolde", "De Wijk")):
        ws = wb.active if first else wb.create_sheet(village)
        assert ws is not None
        ws.title, first = village, False
        ws.append(["naam", "geboortejaar", "datum", "PL", "soort contact", "toestemming"])
        for i, (given, prefix, family, year) in enumerate(people[v * 6 : v * 6 + 6]):
            on = date(2025, 1 + i, 10)
            ws.append([f"{given} {prefix} {family}".replace("  ", " "), year, on, 2 + i % 4, "huisbezoek", "ja"])
            expected.residents += 1
            expected.ladder += 1
            expected.contacts += 1
        expected.areas.add(village)
    wb.save(path)
    return expected


def csv_1252(path: Path) -> Expected:
    rows = [
        "Achternaam;Voornaam;Tussenvoegsel;Geboortejaar;Datum;PL;Signaal",
        "Özdemir;Ayşe;;1958;12-3-'24;2;schulden",  # ş is not in Windows-1252: written as ?
        "Müller;Jürgen;;1949;12 mrt 2024;III;",
        "Vries;Anna;de;1950;1-10-2025;4;eenzaamheid, mantelzorg",
        "Hoëvenaar;Renée;;1961;2025-06-30;1;",
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252", errors="replace"))
    return Expected(residents=4, ladder=4, signals=3)


def errors_sheet(path: Path, seed: int = 5, rows: int = 200) -> Expected:
    """Every 20th row wrong (5 %), each in one known way; the rest fine."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Deelnemers"
    ws.append(["Naam", "Geboortedatum", "Datum", "PL", "Signaal"])
    expected = Expected()
    mistakes = [
        ("Geboortedatum", lambda r: r.__setitem__(1, "31-02-1950")),  # no such day
        ("PL", lambda r: r.__setitem__(3, 7)),  # no such step
        ("Signaal", lambda r: r.__setitem__(4, "fietsen")),  # no such signal
        ("Datum", lambda r: r.__setitem__(2, (TODAY + timedelta(days=30)).strftime("%d-%m-%Y"))),  # future
        ("Naam", lambda r: r.__setitem__(0, "")),  # no name
        ("Geboortedatum", lambda r: r.__setitem__(1, "12-5-1850")),  # before 1900
        ("Datum", lambda r: r.__setitem__(2, "gisteravond")),  # not a date
        ("PL", lambda r: r.__setitem__(3, "veel")),  # not a step
        ("Geboortedatum", lambda r: r.__setitem__(1, "30-02-1966")),
        ("PL", lambda r: r.__setitem__(3, 0)),
    ]
    people = _people(rng, rows)
    for i, (given, prefix, family, year) in enumerate(people):
        row: list[object] = [
            _comma_name(given, prefix, family),
            date(year, 6, 15).strftime("%d-%m-%Y"),
            date(2025, 1 + i % 12, 5),
            1 + i % 6,
            None,
        ]
        number = i + 2
        if i % 20 == 19:
            column, spoil = mistakes[(i // 20) % len(mistakes)]
            spoil(row)
            expected.error_rows.add(("Deelnemers", number))
            expected.error_columns[("Deelnemers", number)] = column
        else:
            expected.residents += 1
            expected.ladder += 1
        ws.append(row)
    wb.save(path)
    return expected


def ods_sheet(path: Path) -> Expected:
    """A minimal OpenDocument spreadsheet, written as its XML (no ODS writer needed)."""
    rows = [
        ["naam", "geboortejaar", "kern", "datum", "PL"],
        ["Bakker, Gerrit", "1944", "Ruinen", "3-4-2025", "II"],
        ["Berg, Kees van der", "1960", "Ruinen", "3-4-2025", "4"],
    ]
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>' for c in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Ruinen">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return Expected(residents=2, ladder=2, areas={"Ruinen"})


_CONSONANTS, _VOWELS = "bdfgklmnprstv", "aeiou"


def _unique_word(n: int) -> str:
    """A pronounceable suffix per number whose sound key differs from every other's (digits
    would not do: 'Smit2552' and 'Smit2252' sound alike to the phonetic key)."""
    syllables = []
    while True:
        n, rest = divmod(n, len(_CONSONANTS) * len(_VOWELS))
        syllables.append(_CONSONANTS[rest // len(_VOWELS)] + _VOWELS[rest % len(_VOWELS)])
        if n == 0:
            return "".join(syllables)


def big_sheet(path: Path, rows: int, seed: int = 9) -> Expected:
    """`rows` rows, long form, about three measurements per person (the benchmark's file)."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Metingen")
    ws.append(["Naam", "Geboortejaar", "Kern", "Datum", "PL", "VL", "Signaal"])
    people = (rows + 2) // 3
    expected = Expected()
    for p in range(people):
        given, (prefix, family) = rng.choice(GIVEN), rng.choice(FAMILY)
        name = _comma_name(given, prefix, f"{family}{_unique_word(p)}")
        year = 1930 + p % 75
        for m in range(min(3, rows - 3 * p)):
            ws.append(
                [
                    name,
                    year,
                    ["Ruinen", "Zuidwolde", "Echten"][p % 3],
                    date(2023 + m, 3, 1 + p % 28),
                    1 + (p + m) % 6,
                    1 + p % 5,
                    "schulden" if m == 0 and p % 10 == 0 else None,
                ]
            )
            expected.ladder += 2
        expected.residents += 1
    wb.save(path)
    return expected


MAKERS = {
    "long.xlsx": long_layout,
    "wide.xlsx": wide_layout,
    "villages.xlsx": villages_layout,
    "leden-1252.csv": csv_1252,
    "errors.xlsx": errors_sheet,
    "ruinen.ods": ods_sheet,
}


def make_all(folder: Path) -> dict[str, tuple[Path, Expected]]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: (folder / name, make(folder / name)) for name, make in MAKERS.items()}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "import-fixtures")
    for name, (path, _expected) in make_all(target).items():
        print(f"{name}: {path}")


def _respelled(family: str) -> str:
    """Bakker -> Baker, Post -> Postt: a doubled letter undone, else the last one doubled
    (the sound key is the same; the spelling is not)."""
    for i in range(len(family) - 1):
        if family[i] == family[i + 1]:
            return family[:i] + family[i + 1 :]
    return family + family[-1]


def example_sheet(path: Path, on_file: tuple[str, str, int] = ("Jan", "Bakker", 1950)) -> Path:
    """The README's and the screenshot's example: one village's list as kept by hand. The
    first person is written as `on_file` (given, family, birth year) has him, spelled slightly
    differently, so the preview shows a match."""
    given, family, year = on_file
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Ruinen"
    ws.append(["Deelnemers inloopspreekuur Ruinen"])
    ws.append(["Naam", "Geb. jaar", "Datum", "PL", "VL", "Signaal", "Opmerking"])
    variant = _respelled(family)
    ws.append([f"{variant}, {given}", year, "12-3-'25", 3, "II", "eenzaamheid", "komt elke week"])
    ws.append(["Vries, Anna de", 1948, (date(2025, 1, 14) - SERIAL_EPOCH).days, "werk met ondersteuning", 2])
    ws.append([None, None, "12 mrt 2025", "IV", None, "schulden"])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.append(["Hoekstra, Gerrit", 1951, "31-02-2025", 2])
    ws.append(["Kuipers, Truus", 1939, "3-4-2025", "II", "III", "mantelzorg"])
    ws.append([])
    ws.append(["Totaal", None, None, 19])
    wb.save(path)
    return path
