"""The period report for the municipality: figures from the work already recorded.

The definitions (also in the README, for the municipality to read):

- Ladders: a resident's step at a moment is their latest placement on or before that day
  (on one day the later entry wins). Distribution: steps at the period's end. Movement:
  step at the end against the step on or before the start: up, down, same, or new (no
  placement on or before the start). Average change: mean of (end - start) over residents
  with both. On the verantwoordelijkheidsladder, down means lighter support.
- Signals: new = noticed in the period, per category and area. At the end = noticed on
  or before the end; closed if its closing date is on or before the end, else open.
  Median days to close and the share closed "doorverwezen" over signals closed in the period.
- Referrals, per partner, made in the period: sent = no longer only proposed; accepted =
  accepted or completed; rejected; completed (statuses as they are now). Feedback on time:
  of the sent ones with a due date on or before the end (or with feedback), the share
  whose feedback came on or before the due date. Median days from referral to feedback.
- Reach: contacts in the period per kind, distinct residents with a contact, anonymous
  contacts (no resident), group activities with their participants and volunteers.
- Soft-deleted residents are left out; anonymised residents are counted (nothing personal
  is shown). No report holds names or birth dates.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from statistics import median
from typing import Any, TypeVar

from wijkwerk_tui.domain.activities import CONTACT_KINDS
from wijkwerk_tui.domain.ladders import LADDER_NAMES, MOVEMENT_LABELS, Ladder, Movement, movement_between, steps
from wijkwerk_tui.domain.signals import CATEGORIES

ALL = "Alle gebieden"
NO_AREA = "(geen gebied)"  # rows recorded without an area
SMALL = 5  # counts from 1 to SMALL-1 show as "<5" when suppressed
SHOWN_MOVES = (Movement.UP, Movement.DOWN, Movement.SAME, Movement.NEW)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    area_id: uuid.UUID | None = None


AreaName = str | None  # None: recorded without an area (counted under NO_AREA)


@dataclass
class ReportData:
    """Raw groups; each tuple starts with the area name."""

    period: Period
    area_name: str
    areas: list[str]
    # (area, ladder, start_step | None, end_step, count)
    ladder_pairs: list[tuple[AreaName, str, int | None, int, int]]
    # (area, category, count) of signals noticed in the period
    signals_new: list[tuple[AreaName, str, int]]
    # (area, category, open_at_end, count) of signals noticed on or before the end
    signals_at_end: list[tuple[AreaName, str, bool, int]]
    # (area, days_to_close, close_reason) of signals closed in the period
    signals_closed: list[tuple[AreaName, int, str]]
    # (area, partner, status, referred_on, feedback_due_on, feedback_on) sent in the period
    referrals: list[tuple[AreaName, str, str, date, date | None, date | None]]
    # (area, kind, yyyy-mm, anonymous, count)
    contacts: list[tuple[AreaName, str, str, bool, int]]
    # (area, distinct residents) and the distinct count over all areas
    reached: list[tuple[AreaName, int]]
    reached_total: int
    # (area, activities, participants, volunteers)
    activities: list[tuple[AreaName, int, int, int]]
    # (area, date, story)
    stories: list[tuple[AreaName, date, str]]


@dataclass(frozen=True)
class Count:
    """A number of people or events: suppressed when small."""

    n: int


Cell = str | int | float | Count | None
Group = TypeVar("Group", bound=tuple[Any, ...])  # one raw group (a row of ReportData)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    labels: int = 1  # how many leading columns are row labels (the rest are values)
    note: str = ""


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
    tables: list[Table]
    stories: list[tuple[str, date, str]]
    charts: list[Chart]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _areas(data: ReportData, *groups: Sequence[tuple[Any, ...]]) -> list[str]:
    """The rows to show: all areas together, then each area (the filtered one only)."""
    if data.area_name:
        return [data.area_name]
    present = {row[0] for group in groups for row in group}
    return [ALL] + [a for a in data.areas if a in present] + sorted(a for a in present if a not in data.areas)


def _pick(rows: list[Group], area: str) -> list[Group]:
    return rows if area in (ALL, "") else [r for r in rows if r[0] == area]


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _area_label(area: AreaName) -> str:
    return NO_AREA if area is None else area


def _name_areas(data: ReportData) -> ReportData:
    """Rows recorded without an area (None from the queries) count under NO_AREA."""

    def named(rows: list[Any]) -> list[Any]:
        return [(_area_label(row[0]), *row[1:]) for row in rows]

    return replace(
        data,
        ladder_pairs=named(data.ladder_pairs),
        signals_new=named(data.signals_new),
        signals_at_end=named(data.signals_at_end),
        signals_closed=named(data.signals_closed),
        referrals=named(data.referrals),
        contacts=named(data.contacts),
        reached=named(data.reached),
        activities=named(data.activities),
    )


def build(data: ReportData, organisation: str = "") -> PeriodReport:
    data = _name_areas(data)
    tables: list[Table] = []
    charts: list[Chart] = []
    for ladder in Ladder:
        pairs = [(a, s, e, n) for a, lad, s, e, n in data.ladder_pairs if lad == ladder.value]
        numbers = [s.number for s in steps(ladder)]
        dist = Table(
            f"{ladder.value}_distribution",
            f"{LADDER_NAMES[ladder]}: treden aan het eind van de periode",
            ["Gebied", *[f"trede {n}" for n in numbers], "totaal"],
        )
        move = Table(
            f"{ladder.value}_movement",
            f"{LADDER_NAMES[ladder]}: beweging in de periode",
            ["Gebied", *[MOVEMENT_LABELS[m] for m in SHOWN_MOVES], "totaal", "gem. verandering"],
            note="Lager op deze ladder is lichtere ondersteuning." if ladder is Ladder.SUPPORT else "",
        )
        for area in _areas(data, pairs):
            mine = _pick(pairs, area)
            at_end: Counter[int] = Counter()
            moves: Counter[Movement] = Counter()
            changes: list[int] = []
            for _a, start_step, end_step, n in mine:
                at_end[end_step] += n
                moves[movement_between(start_step, end_step)] += n
                if start_step is not None:
                    changes += [end_step - start_step] * n
            dist.rows.append([area, *[Count(at_end[n]) for n in numbers], Count(sum(at_end.values()))])
            move.rows.append(
                [
                    area,
                    *[Count(moves[m]) for m in SHOWN_MOVES],
                    Count(sum(moves.values())),
                    _round(sum(changes) / len(changes) if changes else None),
                ]
            )
            if area in (ALL, data.area_name):
                charts.append(Chart(dist.title, [(f"trede {n}", at_end[n]) for n in numbers]))
                charts.append(Chart(move.title, [(MOVEMENT_LABELS[m], moves[m]) for m in SHOWN_MOVES]))
        tables += [dist, move]

    tables.append(_signals(data, charts))
    tables.append(_signal_closing(data))
    tables.append(_referrals(data))
    tables.append(_reach(data))
    tables.append(_months(data, charts))
    return PeriodReport(
        organisation,
        data.period.start,
        data.period.end,
        data.area_name or ALL,
        tables,
        [(_area_label(area), day, story) for area, day, story in data.stories],
        charts,
    )


def _signals(data: ReportData, charts: list[Chart]) -> Table:
    table = Table(
        "signals",
        "Signalen per soort",
        ["Gebied", "Soort", "nieuw in periode", "open aan eind", "gesloten aan eind"],
        labels=2,
    )
    for area in _areas(data, data.signals_new, data.signals_at_end):
        new: Counter[str] = Counter()
        open_end: Counter[str] = Counter()
        closed_end: Counter[str] = Counter()
        for _a, category, n in _pick(data.signals_new, area):
            new[category] += n
        for _a, category, is_open, n in _pick(data.signals_at_end, area):
            (open_end if is_open else closed_end)[category] += n
        for code, label in CATEGORIES.items():
            if new[code] or open_end[code] or closed_end[code]:
                table.rows.append([area, label, Count(new[code]), Count(open_end[code]), Count(closed_end[code])])
        if area in (ALL, data.area_name):
            charts.append(Chart("Nieuwe signalen per soort", [(CATEGORIES[c], new[c]) for c in CATEGORIES if new[c]]))
    return table


def _signal_closing(data: ReportData) -> Table:
    table = Table(
        "signals_closed",
        "Signalen gesloten in de periode",
        ["Gebied", "gesloten", "mediaan dagen tot sluiten", "aandeel via doorverwijzing (%)"],
    )
    for area in _areas(data, data.signals_closed):
        rows = _pick(data.signals_closed, area)
        days = [d for _a, d, _r in rows]
        referred = sum(1 for _a, _d, reason in rows if reason == "referred")
        table.rows.append(
            [
                area,
                Count(len(rows)),
                _round(median(days), 1) if days else None,
                _round(100 * referred / len(rows), 1) if rows else None,
            ]
        )
    return table


def _referrals(data: ReportData) -> Table:
    table = Table(
        "referrals",
        "Doorverwijzingen per partner (gemaakt in de periode)",
        [
            "Partner",
            "verstuurd",
            "aangenomen",
            "afgewezen",
            "afgerond",
            "terugkoppeling op tijd (%)",
            "mediaan dagen tot terugkoppeling",
        ],
    )
    by_partner: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in data.referrals:
        by_partner[row[1]].append(row)
    end = data.period.end
    for partner in sorted(by_partner, key=str.casefold):
        rows = by_partner[partner]
        sent = [r for r in rows if r[2] != "proposed"]
        judged = [r for r in sent if r[4] is not None and (r[4] <= end or r[5] is not None)]
        on_time = [r for r in judged if r[5] is not None and r[5] <= r[4]]
        waits = [(r[5] - r[3]).days for r in rows if r[5] is not None]
        table.rows.append(
            [
                partner,
                Count(len(sent)),
                Count(sum(1 for r in rows if r[2] in ("accepted", "completed"))),
                Count(sum(1 for r in rows if r[2] == "rejected")),
                Count(sum(1 for r in rows if r[2] == "completed")),
                _round(100 * len(on_time) / len(judged), 1) if judged else None,
                _round(median(waits), 1) if waits else None,
            ]
        )
    return table


def _reach(data: ReportData) -> Table:
    kinds = list(CONTACT_KINDS)
    table = Table(
        "reach",
        "Bereik",
        [
            "Gebied",
            *[f"contact: {CONTACT_KINDS[k]}" for k in kinds],
            "contacten",
            "unieke inwoners",
            "anoniem",
            "groepsactiviteiten",
            "deelnemers",
            "vrijwilligers",
        ],
    )
    reached = dict(data.reached)
    for area in _areas(data, data.contacts, data.activities):
        per_kind: Counter[str] = Counter()
        anonymous = 0
        for _a, kind, _month, anon, n in _pick(data.contacts, area):
            per_kind[kind] += n
            anonymous += n if anon else 0
        acts = _pick(data.activities, area)
        # Distinct over all areas is not the sum of the areas' distinct counts.
        unique = data.reached_total if area == ALL else reached.get(area, 0)
        table.rows.append(
            [
                area,
                *[Count(per_kind[k]) for k in kinds],
                Count(sum(per_kind.values())),
                Count(unique),
                Count(anonymous),
                Count(sum(a[1] for a in acts)),
                Count(sum(a[2] for a in acts)),
                Count(sum(a[3] for a in acts)),
            ]
        )
    return table


def _months(data: ReportData, charts: list[Chart]) -> Table:
    per_month: Counter[str] = Counter()
    for _a, _kind, month, _anon, n in data.contacts:
        per_month[month] += n
    months = _month_range(data.period.start, data.period.end)
    table = Table("contacts_per_month", "Contacten per maand", ["Maand", "contacten"])
    table.rows = [[m, Count(per_month[m])] for m in months]
    charts.append(Chart(table.title, [(m, per_month[m]) for m in months]))
    return table


def _month_range(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
