"""The period report for the municipality: its figures, built from grouped counts.

The definitions are in the README ("Reports for the municipality"), for the municipality to
read; each builder below says which one it follows. Every table has the area as its first
label, all areas together first: a report for one area is the all-areas report, protected
as a whole (`domain.suppression`), with only that area's rows kept, so the figures of the
family of reports for one period never give away more than one report does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from wijkwerk_tui.domain.report_cells import SMALL, Cell, CellRef, Count, Hidden, Measure, Relation

__all__ = ["SMALL", "Cell", "CellRef", "Count", "Hidden", "Measure", "Relation"]  # for the report's readers

AreaName = str | None  # None: recorded without an area (counted under NO_AREA)
ALL = "Alle gebieden"
NO_AREA = "(geen gebied)"  # rows recorded without an area


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    area_id: uuid.UUID | None = None


# (area at the end, ladder, step before the period | None, step at the end, in beeld,
# groeipotentieel recorded with the step at the end (0: none), residents)
LadderGroup = tuple[AreaName, str, int | None, int, bool, int, int]
# (area, category, urgency, source, anonymous, noticed in the period, open at the end, signals)
SignalGroup = tuple[AreaName, str, str, str, bool, bool, bool, int]
# (area, days from noticed to closed, close reason) of signals closed in the period, still closed at its end
ClosedSignal = tuple[AreaName, int, str]
# (area, category, signals) noted at anonymous contacts in the period
AnonymousSignals = tuple[AreaName, str, int]
# (area where made, partner, status now, referred on, sent on, feedback due, feedback on, consent to share)
ReferralRow = tuple[AreaName, str, str, date, date | None, date | None, date | None, bool]
# (area, kind, yyyy-mm, anonymous, contacts, minutes)
ContactGroup = tuple[AreaName, str, str, bool, int, int]


AgeGroup = str
AGE_GROUPS = ("0-17", "18-26", "27-66", "67+", "onbekend")


def age_group(birth_year: int | None, birth_date: date | None, on: date) -> AgeGroup:
    """Age on `on` (the period's end): from the birth date, else from the year alone."""
    if birth_date is not None:
        age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    elif birth_year:
        age = on.year - birth_year
    else:
        return "onbekend"
    return "0-17" if age < 18 else "18-26" if age < 27 else "27-66" if age < 67 else "67+"


@dataclass
class ExtraData:
    """Goals, residents reached by age, the caseload at the end, meldcode steps."""

    goals: list[tuple[AreaName, str, int]] = field(default_factory=list)  # (area, status now, goals set)
    # (area, age group, first reached in the period, residents) and the same over all areas
    reached_by_area: list[tuple[AreaName, AgeGroup, bool, int]] = field(default_factory=list)
    reached_everyone: list[tuple[AgeGroup, bool, int]] = field(default_factory=list)
    running_referrals: list[tuple[AreaName, int]] = field(default_factory=list)
    seen_recently: list[tuple[AreaName, int]] = field(default_factory=list)  # distinct, per area
    seen_recently_total: int = 0
    meldcode: list[tuple[AreaName, int, int]] = field(default_factory=list)  # (area, step, taken)
    volunteers: list[tuple[AreaName, int]] = field(default_factory=list)  # distinct volunteers by name, per area
    volunteers_total: int = 0


@dataclass
class ReportData:
    """Raw groups for one period over all areas; each tuple starts with the area name."""

    period: Period
    run_on: date  # the day the report is made: what is "not yet due"
    area_name: str  # the one area asked for, "" for all
    areas: list[str]
    ladders: list[LadderGroup]
    signals: list[SignalGroup]
    signals_closed: list[ClosedSignal]
    anonymous_signals: list[AnonymousSignals]
    referrals: list[ReferralRow]
    contacts: list[ContactGroup]
    reached: list[tuple[AreaName, int]]  # (area, distinct residents)
    reached_total: int  # distinct over all areas
    activities: list[tuple[AreaName, int, int, int]]  # (area, activities, participants, volunteers)
    stories: list[tuple[AreaName, date, str]]
    extra: ExtraData = field(default_factory=ExtraData)


Group = TypeVar("Group", bound=tuple[Any, ...])  # one raw group (a row of ReportData)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    labels: int = 1  # how many leading columns are row labels (the rest are values)
    note: str = ""
    digits: int = 1  # decimals of its measures (a column's numbers line up)


@dataclass
class Chart:
    title: str
    bars: list[tuple[str, int]]


@dataclass
class PeriodReport:
    organisation: str
    start: date
    end: date
    area: str
    run_on: date
    tables: list[Table]
    stories: list[tuple[str, date, str]]
    relations: list[Relation] = field(default_factory=list)
    protected: bool = False  # small counts and what gives them away are hidden
    cut: bool = False  # only the rows of `area` are left

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def cell(self, ref: CellRef) -> Cell:
        key, row, column = ref
        return self.table(key).rows[row][column]

    def view(self, protect: bool = True) -> PeriodReport:
        """What is shown or sent: protected as a whole (see the module's docstring), then,
        for a report of one area, only that area's rows."""
        from wijkwerk_tui.domain.suppression import protect as protected

        report = protected(self) if protect else self
        if self.area == ALL or self.cut:
            return report
        tables = [replace(t, rows=[r for r in t.rows if r[0] == self.area]) for t in report.tables]
        stories = [s for s in report.stories if s[0] == self.area]
        return replace(report, tables=tables, stories=stories, relations=[], cut=True)


def area_label(area: AreaName) -> str:
    return NO_AREA if area is None else area


def area_rows(data: ReportData, *groups: list[Any]) -> list[str]:
    """The rows to show: all areas together, then each area with something to count."""
    present = {area_label(row[0]) for group in groups for row in group}
    known = [a for a in data.areas if a in present]
    return [ALL, *known, *sorted(a for a in present if a not in known)]


def pick(rows: list[Group], area: str) -> list[Group]:
    return rows if area == ALL else [r for r in rows if area_label(r[0]) == area]


def month_range(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
