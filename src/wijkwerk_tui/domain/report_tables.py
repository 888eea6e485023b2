"""The report's tables, one builder per subject; each records which of its counts add up
(`Relation`), so suppression can keep a hidden count from being worked out."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from statistics import median

from wijkwerk_tui.domain.activities import CONTACT_KINDS
from wijkwerk_tui.domain.ladders import LADDER_NAMES, Ladder, Movement, movement_between, steps
from wijkwerk_tui.domain.report import (
    ALL,
    Cell,
    Chart,
    Count,
    Hidden,
    Measure,
    PeriodReport,
    Relation,
    ReportData,
    Table,
    area_label,
    area_rows,
    month_range,
    pick,
)
from wijkwerk_tui.domain.signals import CATEGORIES, SOURCES, URGENCIES

# The words for each direction, per ladder: higher on the verantwoordelijkheidsladder is
# heavier support, so "up" is not good news there.
DIRECTION_WORDS: dict[Ladder, dict[Movement, str]] = {
    Ladder.PARTICIPATION: {Movement.UP: "omhoog", Movement.DOWN: "omlaag"},
    Ladder.SUPPORT: {Movement.DOWN: "lichter", Movement.UP: "zwaarder"},
}
MOVES_SHOWN = {
    ladder: [*words, Movement.SAME, Movement.NEW] for ladder, words in DIRECTION_WORDS.items()
}  # the good direction first
MOVE_WORDS = {Movement.SAME: "gelijk", Movement.NEW: "nieuw"}
GROWTH_NOTES = {
    Ladder.PARTICIPATION: "Groeipotentieel: de trede die bij de laatste plaatsing haalbaar werd geacht ligt hoger.",
    Ladder.SUPPORT: "Groeipotentieel: de trede die bij de laatste plaatsing haalbaar werd geacht is lichter (lager).",
}


def has_room(ladder: Ladder, step: int, potential: int) -> bool:
    """The potential recorded with the step in force lies in the good direction (0: none)."""
    if not potential:
        return False
    return potential > step if ladder is Ladder.PARTICIPATION else potential < step


def add_table(report: PeriodReport, table: Table) -> Table:
    report.tables.append(table)
    return table


def row_relations(report: PeriodReport, table: Table, total: int, parts: Sequence[int]) -> None:
    """In every row, column `total` is the sum of columns `parts`."""
    for i in range(len(table.rows)):
        report.relations.append(Relation((table.key, i, total), tuple((table.key, i, p) for p in parts)))


def area_relations(report: PeriodReport, table: Table, columns: Sequence[int]) -> None:
    """For each column, the all-areas row is the sum of the areas' rows with the same other labels."""
    by_labels: dict[tuple[Cell, ...], list[int]] = defaultdict(list)
    for i, row in enumerate(table.rows):
        by_labels[tuple(row[1 : table.labels])].append(i)
    for indexes in by_labels.values():
        total = next((i for i in indexes if table.rows[i][0] == ALL), None)
        areas = [i for i in indexes if table.rows[i][0] != ALL]
        if total is None:
            continue
        for c in columns:
            report.relations.append(Relation((table.key, total, c), tuple((table.key, i, c) for i in areas)))


def _mean(values: list[int], digits: int) -> Measure:
    return Measure(round(sum(values) / len(values), digits) if values else None, len(values))


def ladders(data: ReportData, report: PeriodReport) -> None:
    """Distribution at the end and movement over the period, of residents in beeld, in the
    area where each lived at the end; the step before the period is the one in force at the
    end of the day before it."""
    for ladder in Ladder:
        groups = [g for g in data.ladders if g[1] == ladder.value]
        numbers = [s.number for s in steps(ladder)]
        shown = MOVES_SHOWN[ladder]
        words = {**DIRECTION_WORDS[ladder], **MOVE_WORDS}
        dist = add_table(
            report,
            Table(
                f"{ladder.value}_distribution",
                f"{LADDER_NAMES[ladder]}: treden aan het eind van de periode",
                [
                    "Gebied",
                    *[f"trede {n}" for n in numbers],
                    "in beeld",
                    "ooit geplaatst",
                    "met groeipotentieel",
                    "groeipotentieel (%)",
                ],
                note="In beeld: geplaatst, met een plaatsing of contact in de 12 maanden tot het eind van de periode. "
                + GROWTH_NOTES[ladder],
            ),
        )
        move = add_table(
            report,
            Table(
                f"{ladder.value}_movement",
                f"{LADDER_NAMES[ladder]}: beweging in de periode",
                ["Gebied", *[words[m] for m in shown], "in beeld", "gem. verandering"],
                note="Lager op deze ladder is lichtere ondersteuning; een negatieve verandering is lichter."
                if ladder is Ladder.SUPPORT
                else "",
                digits=2,
            ),
        )
        for area in area_rows(data, groups):
            mine = pick(groups, area)
            at_end: Counter[int] = Counter()
            moves: Counter[Movement] = Counter()
            changes: list[int] = []
            ever = grows = 0
            for _a, _l, before, end_step, in_view, potential, n in mine:
                ever += n
                if not in_view:
                    continue
                grows += n if has_room(ladder, end_step, potential) else 0
                at_end[end_step] += n
                moves[movement_between(before, end_step)] += n
                if before is not None:
                    changes += [end_step - before] * n
            seen = sum(at_end.values())
            i = len(dist.rows)
            share = Measure(
                round(100 * grows / seen, 1) if seen else None,
                seen,
                ((dist.key, i, len(numbers) + 1), (dist.key, i, len(numbers) + 3)),
                (grows, seen - grows),
            )
            dist.rows.append(
                [area, *[Count(at_end[n]) for n in numbers], Count(seen), Count(ever), Count(grows), share]
            )
            move.rows.append(
                [
                    area,
                    *[Count(moves[m]) for m in shown],
                    Count(sum(moves.values())),
                    _mean(changes, 2),
                ]
            )
        width = len(numbers)
        row_relations(report, dist, width + 1, range(1, width + 1))
        row_relations(report, move, 5, range(1, 5))
        area_relations(report, dist, range(1, width + 4))
        area_relations(report, move, range(1, 6))
        for i in range(len(dist.rows)):  # the same residents in beeld, in both tables
            report.relations.append(Relation((dist.key, i, width + 1), ((move.key, i, 5),)))
        for i, row in enumerate(move.rows):
            _rest(move, i, row, [1, 2, 3])


def _rest(table: Table, i: int, row: list[Cell], base: list[int]) -> None:
    """Point the row's measure at the counts it stands on."""
    measure = row[-1]
    if isinstance(measure, Measure):
        row[-1] = Measure(measure.value, measure.n, tuple((table.key, i, c) for c in base), measure.parts)


def signals(data: ReportData, report: PeriodReport) -> None:
    """New in the period (anonymous ones too: walk-ins without a name, signals about someone
    not known by name), open or closed at the end (a closing undone later still counts), and
    the ones closed in the period."""
    table = add_table(
        report,
        Table(
            "signals",
            "Signalen per soort",
            ["Gebied", "Soort", "nieuw in periode", "waarvan anoniem", "open aan eind", "gesloten aan eind"],
            labels=2,
        ),
    )
    anonymous_groups = [(a, c, False, False, True, True, False, n) for a, c, n in data.anonymous_signals]
    for area in area_rows(data, data.signals, data.anonymous_signals):
        new: Counter[str] = Counter()
        anonymous: Counter[str] = Counter()
        open_end: Counter[str] = Counter()
        closed_end: Counter[str] = Counter()
        for _a, category, _u, _s, anon, is_new, is_open, n in pick(data.signals, area):
            new[category] += n if is_new else 0
            anonymous[category] += n if is_new and anon else 0
            (open_end if is_open else closed_end)[category] += n
        for _a, category, *_rest, n in pick(anonymous_groups, area):
            new[category] += n
            anonymous[category] += n
        for code, label in CATEGORIES.items():
            if new[code] or open_end[code] or closed_end[code]:
                table.rows.append(
                    [
                        area,
                        label,
                        Count(new[code]),
                        Count(anonymous[code]),
                        Count(open_end[code]),
                        Count(closed_end[code]),
                    ]
                )
    area_relations(report, table, range(2, 6))
    for key, title, vocabulary, index in (
        ("signals_urgency", "Nieuwe signalen naar urgentie", URGENCIES, 2),
        ("signals_source", "Nieuwe signalen naar bron", SOURCES, 3),
    ):
        by = add_table(report, Table(key, title, ["Gebied", *vocabulary.values(), "totaal"]))
        by.note = "Signalen vastgelegd als signaal (anonieme inloop zonder signaalkaart telt hier niet)."
        new_only = [g for g in data.signals if g[5]]
        for area in area_rows(data, new_only):
            counts: Counter[str] = Counter()
            for group in pick(new_only, area):
                counts[str(group[index])] += group[-1]
            by.rows.append([area, *[Count(counts[c]) for c in vocabulary], Count(sum(counts.values()))])
        row_relations(report, by, len(vocabulary) + 1, range(1, len(vocabulary) + 1))
        area_relations(report, by, range(1, len(vocabulary) + 2))
    urgency, source = report.table("signals_urgency"), report.table("signals_source")
    for i in range(len(urgency.rows)):  # the same signals, counted twice
        total = ((source.key, i, len(SOURCES) + 1),)
        report.relations.append(Relation((urgency.key, i, len(URGENCIES) + 1), total))
    _closing(data, report)


def _closing(data: ReportData, report: PeriodReport) -> None:
    table = add_table(
        report,
        Table(
            "signals_closed",
            "Signalen gesloten in de periode",
            ["Gebied", "gesloten", "mediaan dagen tot sluiten", "aandeel via doorverwijzing (%)"],
        ),
    )
    for i, area in enumerate(area_rows(data, data.signals_closed)):
        rows = pick(data.signals_closed, area)
        days = [d for _a, d, _r in rows]
        referred = sum(1 for _a, _d, reason in rows if reason == "referred")
        base = ((table.key, i, 1),)
        table.rows.append(
            [
                area,
                Count(len(rows)),
                Measure(round(float(median(days)), 1) if days else None, len(days), base),
                Measure(
                    round(100 * referred / len(rows), 1) if rows else None,
                    len(rows),
                    base,
                    (referred, len(rows) - referred),
                ),
            ]
        )
    area_relations(report, table, [1])


def referral_outcome(row: tuple[object, ...], end: date, run_on: date) -> str:
    """'on_time', 'late', 'pending' (nog niet verlopen) or 'unsent', within the period: feedback
    counts when it came by the end; the due date counts as passed when it is before the
    run date and not after the end."""
    _area, _partner, _status, _on, sent_on, due, feedback_on, _consent = row
    if sent_on is None or not isinstance(sent_on, date) or sent_on > end:
        return "unsent"
    answered = isinstance(feedback_on, date) and feedback_on <= end
    if isinstance(due, date) and answered and isinstance(feedback_on, date) and feedback_on <= due:
        return "on_time"
    if isinstance(due, date) and due <= end and due < run_on:
        return "late"
    return "pending"


def referrals(data: ReportData, report: PeriodReport) -> None:
    """Referrals made in the period, in the area where they were made, per partner."""
    table = add_table(
        report,
        Table(
            "referrals",
            "Doorverwijzingen per partner (gemaakt in de periode)",
            [
                "Gebied",
                "Partner",
                "gemaakt",
                "zonder toestemming",
                "verstuurd",
                "aangenomen",
                "afgewezen",
                "afgerond",
                "terugkoppeling op tijd",
                "te laat",
                "nog niet verlopen",
                "op tijd (%)",
                "mediaan dagen tot terugkoppeling",
            ],
            labels=2,
            note="Verstuurd: vóór het eind van de periode naar de partner gegaan. Op tijd of te laat: "
            "verstuurde doorverwijzingen waarvan de terugkoppeldatum verstreken is (uiterlijk het eind "
            "van de periode en vóór de rekendatum) of die op tijd antwoord kregen; de rest is nog niet "
            "verlopen. Aangenomen, afgewezen en afgerond: de status nu.",
        ),
    )
    end, run_on = data.period.end, data.run_on
    for area in area_rows(data, data.referrals):
        by_partner: dict[str, list[tuple[object, ...]]] = defaultdict(list)
        for row in pick(data.referrals, area):
            by_partner[row[1]].append(row)
        for partner in sorted(by_partner, key=str.casefold):
            rows = by_partner[partner]
            outcome = Counter(referral_outcome(r, end, run_on) for r in rows)
            judged = outcome["on_time"] + outcome["late"]
            waits = [
                (r[6] - r[3]).days
                for r in rows
                if isinstance(r[6], date) and isinstance(r[3], date) and r[6] <= end and outcome_sent(r, end)
            ]
            i = len(table.rows)
            table.rows.append(
                [
                    area,
                    partner,
                    Count(len(rows)),
                    Count(sum(1 for r in rows if not r[7])),
                    Count(len(rows) - outcome["unsent"]),
                    Count(sum(1 for r in rows if r[2] in ("accepted", "completed"))),
                    Count(sum(1 for r in rows if r[2] == "rejected")),
                    Count(sum(1 for r in rows if r[2] == "completed")),
                    Count(outcome["on_time"]),
                    Count(outcome["late"]),
                    Count(outcome["pending"]),
                    Measure(
                        round(100 * outcome["on_time"] / judged, 1) if judged else None,
                        judged,
                        ((table.key, i, 8), (table.key, i, 9)),
                    ),
                    Measure(round(float(median(waits)), 1) if waits else None, len(waits), ((table.key, i, 4),)),
                ]
            )
    row_relations(report, table, 4, [8, 9, 10])
    area_relations(report, table, range(2, 11))


def outcome_sent(row: tuple[object, ...], end: date) -> bool:
    sent_on = row[4]
    return isinstance(sent_on, date) and sent_on <= end


def reach(data: ReportData, report: PeriodReport) -> None:
    """Contacts per kind, unique residents, anonymous contacts, group activities; hours of
    effort per kind; contacts per month."""
    kinds = list(CONTACT_KINDS)
    table = add_table(
        report,
        Table(
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
                "unieke vrijwilligers (bij naam)",
            ],
            note="Vrijwilligers: opgeteld per activiteit. Unieke vrijwilligers: inwoners die bij naam als "
            "vrijwilliger aan een activiteit zijn gekoppeld, ieder één keer.",
        ),
    )
    effort = add_table(
        report,
        Table(
            "effort",
            "Inzet in uren (vastgelegde contactduur)",
            ["Gebied", *[CONTACT_KINDS[k] for k in kinds], "totaal"],
            note="Uren uit de vastgelegde duur van contacten; contacten zonder duur tellen niet mee.",
        ),
    )
    reached = {area_label(a): n for a, n in data.reached}
    helpers = {area_label(a): n for a, n in data.extra.volunteers}
    for i, area in enumerate(area_rows(data, data.contacts, data.activities)):
        per_kind: Counter[str] = Counter()
        minutes: Counter[str] = Counter()
        anonymous = 0
        for _a, kind, _month, anon, n, spent in pick(data.contacts, area):
            per_kind[kind] += n
            minutes[kind] += spent
            anonymous += n if anon else 0
        acts = pick(data.activities, area)
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
                Count(data.extra.volunteers_total if area == ALL else helpers.get(area, 0)),
            ]
        )
        effort.rows.append(
            [
                area,
                *[
                    Measure(round(minutes[k] / 60, 1), per_kind[k], ((table.key, i, 1 + j),))
                    for j, k in enumerate(kinds)
                ],
                Measure(
                    round(sum(minutes.values()) / 60, 1), sum(per_kind.values()), ((table.key, i, 1 + len(kinds)),)
                ),
            ]
        )
    total = 1 + len(kinds)
    row_relations(report, table, total, range(1, total))
    area_relations(report, table, [*range(1, total + 1), total + 2, total + 3, total + 4, total + 5])
    _months(data, report, total)


def _months(data: ReportData, report: PeriodReport, contacts_column: int) -> None:
    months = month_range(data.period.start, data.period.end)
    table = add_table(
        report, Table("contacts_per_month", "Contacten per maand", ["Gebied", "Maand", "contacten"], labels=2)
    )
    reach_rows = {row[0]: i for i, row in enumerate(report.table("reach").rows)}
    for area in area_rows(data, data.contacts, data.activities):
        per_month: Counter[str] = Counter()
        for _a, _kind, month, _anon, n, _m in pick(data.contacts, area):
            per_month[month] += n
        first = len(table.rows)
        table.rows += [[area, m, Count(per_month[m])] for m in months]
        parts = tuple((table.key, first + j, 2) for j in range(len(months)))
        report.relations.append(Relation(("reach", reach_rows[area], contacts_column), parts))
    area_relations(report, table, [2])


def charts(report: PeriodReport) -> list[Chart]:
    """Bars for the report's own area (its first rows): both ladders' distribution and
    movement, new signals per category, contacts per month. Hidden counts get no bar."""
    area = report.area

    def bars(key: str, first: int, last: int) -> list[tuple[str, int]]:
        table = report.table(key)
        row = next((r for r in table.rows if r[0] == area), None)
        columns = table.columns[first:last]
        cells = row[first:last] if row else [Count(0)] * len(columns)
        return [(name, c.n) for name, c in zip(columns, cells, strict=True) if isinstance(c, Count)]

    out: list[Chart] = []
    for ladder in Ladder:
        width = len(steps(ladder))
        out.append(
            Chart(
                report.table(f"{ladder.value}_distribution").title, bars(f"{ladder.value}_distribution", 1, 1 + width)
            )
        )
        out.append(Chart(report.table(f"{ladder.value}_movement").title, bars(f"{ladder.value}_movement", 1, 5)))
    new = [
        (str(r[1]), r[2].n) for r in report.table("signals").rows if r[0] == area and isinstance(r[2], Count) and r[2].n
    ]
    out.append(Chart("Nieuwe signalen per soort", new))
    months = [
        (str(r[1]), r[2].n) for r in report.table("contacts_per_month").rows if r[0] == area and isinstance(r[2], Count)
    ]
    out.append(Chart("Contacten per maand", months))
    return out


def shown(cell: Cell) -> bool:
    return not isinstance(cell, Hidden)
