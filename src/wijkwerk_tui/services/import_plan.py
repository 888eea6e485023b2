"""The dry run of an import: what a spreadsheet would add and change, per row. Reads only.

Rows are read (`domain.import_rows`), grouped into people, and each person is matched with
the residents on file by the intake's rules (`domain.person_match`), or with someone an
earlier row or import already brought in. Facts an earlier import made (same key) are not
offered again. Nothing here writes: `import_apply.apply` takes this preview as it was shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.dates import check_not_before_birth
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.import_columns import normal_header
from wijkwerk_tui.domain.import_rows import (
    Fact,
    Person,
    SheetLayout,
    SheetRow,
    person_key,
    read_sheet,
    sheet_may_be_area,
)
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData, check_personal_data, phonetic_key
from wijkwerk_tui.domain.person_match import Likeness, Named, likeness
from wijkwerk_tui.domain.text import clean_line, counted, fold
from wijkwerk_tui.queries import import_match
from wijkwerk_tui.queries.import_match import OnFile
from wijkwerk_tui.store import areas, imports, settings

Sheets = Sequence[tuple[str, Sequence[Sequence[object]]]]

# A row's verdict.
NEW = "new"  # a new resident
MERGE = "merge"  # added to a resident on file
SAME_FILE = "same_file"  # the same person as an earlier row of this file
KNOWN = "known"  # everything in it was imported before
ERROR = "error"
SKIPPED = "skipped"  # a total row

_FIELD_COLUMN = {
    "given_name": ("name", "given_name"),
    "family_prefix": ("name", "family_prefix"),
    "family_name": ("name", "family_name"),
    "birth_year": ("birth_year", "birth_date"),
    "birth_date": ("birth_date",),
    "phone": ("phone",),
    "email": ("email",),
    "consent": ("consent",),
}


@dataclass(eq=False)  # one person, known by identity: several rows point at the same one
class Planned:
    """One person the file is about, with what the import adds for them."""

    person: Person
    key: str  # `person_key`: an earlier import's resident is found by it
    area: str
    resident_id: uuid.UUID | None = None  # on file: added to; None: a new resident
    on_file: str = ""  # the resident on file, as a coordinator recognises him
    likeness: Likeness | None = None
    facts: list[tuple[Fact, str]] = field(default_factory=list)  # (fact, its import key)
    rows: list[str] = field(default_factory=list)

    @property
    def named(self) -> Named:
        p = self.person
        return Named(p.given, p.prefix, p.family, p.birth_year, p.birth_date)


@dataclass(frozen=True)
class RowVerdict:
    ref: str
    sheet: str
    number: int
    status: str
    name: str
    text: str  # Dutch: what happens to this row and why

    @property
    def label(self) -> str:
        return f"{self.sheet} r{self.number}"


@dataclass
class Preview:
    file_name: str
    digest: str
    layouts: list[SheetLayout]
    mapping: dict[str, str]  # normalised header -> target, as used
    rows: list[RowVerdict]
    people: list[Planned]
    new_areas: list[str]
    separate: frozenset[str] = frozenset()

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def facts(self) -> dict[str, int]:
        result = {"ladder": 0, "contact": 0, "signal": 0}
        for person in self.people:
            for fact, _key in person.facts:
                result[fact.kind] += 1
        return result

    @property
    def writes(self) -> bool:
        return any(p.facts or p.resident_id is None for p in self.people)

    def summary(self) -> str:
        facts = self.facts
        new = sum(1 for p in self.people if p.resident_id is None)
        merged = sum(1 for p in self.people if p.resident_id is not None and p.facts)
        parts = [
            counted(len(self.rows), "rij", "rijen"),
            f"{counted(new, 'nieuwe inwoner', 'nieuwe inwoners')}",
            f"{merged} bij bestaande",
            counted(facts["ladder"], "meting", "metingen"),
            counted(facts["contact"], "contact", "contacten"),
            counted(facts["signal"], "signaal", "signalen"),
        ]
        if self.new_areas:
            parts.append(counted(len(self.new_areas), "nieuw gebied", "nieuwe gebieden"))
        if self.count(KNOWN):
            parts.append(f"{self.count(KNOWN)} al geïmporteerd")
        if self.count(ERROR):
            parts.append(counted(self.count(ERROR), "fout", "fouten"))
        return ", ".join(parts)


def _sheet_rows(
    db: Database, sheets: Sheets, mapping: Mapping[str, str], known_areas: Collection[str]
) -> tuple[list[SheetLayout], list[SheetRow]]:
    labels = {ladder: settings.ladder_labels(db, ladder) for ladder in Ladder}
    layouts: list[SheetLayout] = []
    found: list[SheetRow] = []
    for name, rows in sheets:
        # A sheet per village: its name is the area when it is one of the organisation's
        # (not "Actief" or "Archief": an area column says it then).
        is_area = sheet_may_be_area(name) and fold(name) in known_areas
        layout, read = read_sheet(name, rows, db.today(), saved=mapping, sheet_is_area=is_area, labels=labels)
        layouts.append(layout)
        found.extend(read)
    return layouts, found


def _check_new(row: SheetRow, layout: SheetLayout | None, today: date) -> None:
    """A new resident's data as the resident form checks it: refused here, not mid-import."""
    person = row.person
    assert person is not None
    if person.consent is False:
        row.errors.append(
            f"rij {row.number}, kolom {_header(layout, 'consent')}: geen toestemming voor registratie, "
            "dus niet geïmporteerd (noteer een bezoek als anoniem contact)"
        )
        return
    try:
        p = person
        check_personal_data(
            PersonalData(p.given, p.prefix, p.family, p.birth_year, p.birth_date, p.phone, p.email), today
        )
    except ValidationError as error:
        row.errors.append(f"rij {row.number}, kolom {_header(layout, error.field)}: {error.message}")


def _header(layout: SheetLayout | None, field_name: str) -> str:
    wanted = _FIELD_COLUMN.get(field_name, (field_name,))
    if layout is not None:
        for target in wanted:
            if target in layout.targets:
                return layout.headers[layout.targets.index(target)]
    return wanted[0]


def _check_facts(row: SheetRow, born: tuple[int | None, date | None]) -> None:
    for fact in row.facts:
        try:
            check_not_before_birth(fact.on, born[0], born[1], "date")
        except ValidationError:
            row.errors.append(f"rij {row.number}: {fact.describe()} ligt vóór de geboorte")


def plan(
    db: Database,
    file_name: str,
    digest: str,
    sheets: Sheets,
    *,
    overrides: Mapping[str, str] | None = None,
    separate: Collection[str] = (),
) -> Preview:
    """Read, match and check everything; write nothing. `overrides`: header -> target chosen
    on screen; `separate`: rows (Preview row refs) the coordinator says are someone new."""
    mapping = {**imports.saved_mapping(db), **{normal_header(k): v for k, v in (overrides or {}).items()}}
    area_names = {fold(a.name): a.name for a in areas.list_areas(db, include_inactive=True)}
    layouts, rows = _sheet_rows(db, sheets, mapping, area_names)
    by_sheet = {layout.name: layout for layout in layouts}
    today = db.today()
    for row in rows:
        if row.person is not None and not row.errors and not row.skipped:
            _check_new(row, by_sheet.get(row.sheet), today)
    good = [r for r in rows if r.person is not None and not r.errors and not r.skipped]
    on_file = import_match.by_sound(db, {phonetic_key(r.person.family) for r in good if r.person})
    earlier = imports.known_keys(db, [person_key(r.person) for r in good if r.person])
    earlier_residents = import_match.live_residents(db, [rec.record_id for rec in earlier.values()])
    by_id = {f.id: f for found in on_file.values() for f in found} | dict(earlier_residents)
    people: dict[str, Planned] = {}  # by identity
    planned_by_sound: dict[str, list[Planned]] = {}
    row_person: dict[str, Planned] = {}
    row_note: dict[str, str] = {}
    for row in good:
        assert row.person is not None
        planned = people.get(row.person.identity)
        if planned is None:
            planned, note = _match(row, on_file, earlier, earlier_residents, planned_by_sound, separate)
            if row.errors:  # not sure who it is: this row is left out, and nobody is made of it
                continue
            if note:
                row_note[row.ref] = note
            people[row.person.identity] = planned
            if planned.person is row.person and planned.resident_id is None:
                planned_by_sound.setdefault(phonetic_key(row.person.family), []).append(planned)
        if planned.resident_id is None and planned.person.birth_year is None and row.person.birth_year:
            # "Piet Jansen" first, "Jansen, Piet 1943" below: the new resident gets the year.
            planned.person = replace(planned.person, birth_year=row.person.birth_year, birth_date=row.person.birth_date)
        planned.rows.append(row.ref)
        row_person[row.ref] = planned
        born = (planned.person.birth_year, planned.person.birth_date)
        if planned.resident_id is not None and planned.resident_id in by_id:
            born = (by_id[planned.resident_id].named.birth_year, by_id[planned.resident_id].named.birth_date)
        _check_facts(row, born)
    all_keys = [f.key(r.person) for r in good if r.person is not None for f in r.facts]
    done_before: dict[str, object] = dict(imports.known_keys(db, all_keys))
    # What a resident's file already holds counts as done too (typed by hand, or imported
    # under a spelling since corrected in the sheet).
    on_record = import_match.facts_on_file(db, {p.resident_id for p in row_person.values() if p.resident_id})
    for row in good:
        planned = row_person.get(row.ref)
        if planned is not None and planned.resident_id is not None and row.person is not None:
            for fact in row.facts:
                if _on_record(planned.resident_id, fact) in on_record:
                    done_before[fact.key(row.person)] = True
    seen: set[str] = set()
    verdicts: list[RowVerdict] = []
    for row in rows:
        verdicts.append(_verdict(row, row_person.get(row.ref), row_note.get(row.ref, ""), done_before, seen))
    new_areas = sorted(
        {
            p.area
            for p in dict.fromkeys(row_person.values())
            if p.area and fold(p.area) not in area_names and (p.facts or p.resident_id is None)
        }
    )
    planned_people = [p for p in dict.fromkeys(row_person.values()) if p.facts or p.resident_id is None]
    return Preview(file_name, digest, layouts, mapping, verdicts, planned_people, new_areas, frozenset(separate))


def _on_record(resident_id: uuid.UUID, fact: Fact) -> tuple[object, ...]:
    """A fact as `import_match.facts_on_file` lists a resident's history."""
    if fact.kind == "signal":
        return (resident_id, "signal", fact.code)
    return (resident_id, fact.kind, fact.code, fact.step, fact.on)


def _match(
    row: SheetRow,
    on_file: Mapping[str, list[OnFile]],
    earlier: Mapping[str, imports.Recorded],
    earlier_residents: Mapping[uuid.UUID, OnFile],
    planned_by_sound: Mapping[str, list[Planned]],
    separate: Collection[str],
) -> tuple[Planned, str]:
    """Who this row's person is: (the Planned, a note for the verdict)."""
    person = row.person
    assert person is not None
    key = person_key(person)
    planned = Planned(person, key, row.area)
    recorded = earlier.get(key)
    if recorded is not None and recorded.record_id in earlier_residents:  # an earlier import made him
        found = earlier_residents[recorded.record_id]
        planned.resident_id, planned.on_file, planned.likeness = found.id, found.shown, Likeness.SAME
        return planned, ""
    if row.ref in separate:
        return planned, "u koos: een nieuwe inwoner"
    sound = phonetic_key(person.family)
    named = planned.named
    in_file = [(p, likeness(named, p.named)) for p in planned_by_sound.get(sound, [])]
    in_file = [(p, how) for p, how in in_file if how is not None]
    if in_file:
        return in_file[0][0], "zelfde inwoner als " + in_file[0][0].rows[0].replace(":", " rij ")
    candidates = [(f, likeness(named, f.named)) for f in on_file.get(sound, [])]
    matches: list[tuple[OnFile, Likeness]] = [(f, how) for f, how in candidates if how is not None]
    same: list[tuple[OnFile, Likeness]] = [(f, how) for f, how in matches if how is Likeness.SAME]
    if len(matches) > 1 and len(same) == 1:
        matches = same
    if len(matches) == 1:
        found, how = matches[0]
        planned.resident_id, planned.on_file, planned.likeness = found.id, found.shown, how
        return planned, ""
    if len(matches) > 1:
        listed = "; ".join(f.shown for f, _how in matches[:3])
        row.errors.append(
            f"rij {row.number}: lijkt op {len(matches)} inwoners in het bestand ({listed}); "
            "vul het geboortejaar aan of voer deze rij met de hand in"
        )
    return planned, ""


def _verdict(
    row: SheetRow, planned: Planned | None, note: str, done_before: Mapping[str, object], seen: set[str]
) -> RowVerdict:
    name = row.person.shown if row.person else ""
    if row.skipped:
        return RowVerdict(row.ref, row.sheet, row.number, SKIPPED, name, f"overgeslagen: {row.skipped}")
    if row.errors or planned is None:
        return RowVerdict(row.ref, row.sheet, row.number, ERROR, name, "; ".join(row.errors) or "fout")
    adds: list[str] = []
    assert row.person is not None
    for fact in row.facts:
        # Keyed by the row's own person (as the sheet writes him), not by whom he was matched
        # with: the match may differ next time (an earlier import's resident), the key may not.
        key = fact.key(row.person)
        if key in done_before or key in seen:
            continue
        seen.add(key)
        planned.facts.append((fact, key))
        adds.append(fact.describe())
    added = ", ".join(adds) if adds else "niets nieuws"
    warnings = "".join(f"; {w}" for w in row.warnings)
    first = planned.rows[0] == row.ref
    if planned.resident_id is None and first:
        status, text = NEW, f"nieuwe inwoner: {added}"
    elif planned.resident_id is None:
        same = note or "zelfde inwoner als " + planned.rows[0].replace(":", " rij ")
        status, text = SAME_FILE, f"{same}: {added}"
    elif not adds:
        status, text = KNOWN, "niets nieuws: al geïmporteerd"
    else:
        how = {
            Likeness.SAME: "",
            Likeness.SIMILAR: " (gelijkende naam: controleer)",
            Likeness.NAME_ONLY: " (zelfde naam, geboortejaar ontbreekt: controleer)",
            None: "",
        }[planned.likeness]
        status, text = MERGE, f"bij {planned.on_file}{how}: {added}"
    if note and status == NEW:
        text = f"{text} ({note})"
    return RowVerdict(row.ref, row.sheet, row.number, status, name, clean_line(text + warnings, "text", max_len=4000))
