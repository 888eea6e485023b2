"""The report's further tables: goals, residents reached by age, the caseload at the end of
the period, meldcode steps taken. Like `report_tables`, each records which counts add up."""

from __future__ import annotations

from collections import Counter

from wijkwerk_tui.domain.activities import GOAL_STATUSES
from wijkwerk_tui.domain.report import (
    AGE_GROUPS,
    ALL,
    Count,
    PeriodReport,
    Relation,
    ReportData,
    Table,
    area_label,
    area_rows,
    pick,
)
from wijkwerk_tui.domain.report_tables import add_table, area_relations, row_relations
from wijkwerk_tui.domain.signals import MELDCODE_STEPS


def goals(data: ReportData, report: PeriodReport) -> None:
    """Goals set in the period, by their status now, where the resident lived at the end."""
    table = add_table(
        report,
        Table("goals", "Doelen gesteld in de periode", ["Gebied", "gesteld", *GOAL_STATUSES.values()]),
    )
    rows = data.extra.goals
    for area in area_rows(data, rows):
        counts: Counter[str] = Counter()
        for _a, status, n in pick(rows, area):
            counts[status] += n
        table.rows.append([area, Count(sum(counts.values())), *[Count(counts[s]) for s in GOAL_STATUSES]])
    row_relations(report, table, 1, range(2, 2 + len(GOAL_STATUSES)))
    area_relations(report, table, range(1, 2 + len(GOAL_STATUSES)))


def reached(data: ReportData, report: PeriodReport) -> None:
    """Residents with a contact in the period by age at its end, and those reached for the first
    time (no contact before the period). Distinct residents: all areas is not the sum."""
    table = add_table(
        report,
        Table(
            "reached",
            "Bereikte inwoners naar leeftijd aan het eind van de periode",
            ["Gebied", *AGE_GROUPS, "totaal", "voor het eerst bereikt"],
        ),
    )
    everyone = [(ALL, g, new, n) for g, new, n in data.extra.reached_everyone]
    per_area = data.extra.reached_by_area
    reach_rows = {row[0]: i for i, row in enumerate(report.table("reach").rows)}
    unique_column = report.table("reach").columns.index("unieke inwoners")
    for area in area_rows(data, per_area):
        mine = everyone if area == ALL else [r for r in per_area if area_label(r[0]) == area]
        ages: Counter[str] = Counter()
        first = 0
        for _a, group, new, n in mine:
            ages[group] += n
            first += n if new else 0
        i = len(table.rows)
        table.rows.append([area, *[Count(ages[g]) for g in AGE_GROUPS], Count(sum(ages.values())), Count(first)])
        if area in reach_rows:  # the same residents as the reach's unique residents
            total = (table.key, i, 1 + len(AGE_GROUPS))
            report.relations.append(Relation(total, (("reach", reach_rows[area], unique_column),)))
    row_relations(report, table, 1 + len(AGE_GROUPS), range(1, 1 + len(AGE_GROUPS)))


def caseload(data: ReportData, report: PeriodReport) -> None:
    """At the period's end: signals open, referrals sent and not yet answered (status now not
    rejected or completed), residents with a contact in the three months up to the end."""
    table = add_table(
        report,
        Table(
            "caseload",
            "Caseload aan het eind van de periode",
            ["Gebied", "open signalen", "lopende doorverwijzingen", "inwoners met contact (3 mnd)"],
        ),
    )
    signals = report.table("signals")
    open_column = signals.columns.index("open aan eind")
    open_at_end: Counter[str] = Counter()
    for row in signals.rows:
        cell = row[open_column]
        open_at_end[str(row[0])] += cell.n if isinstance(cell, Count) else 0
    running = {area_label(a): n for a, n in data.extra.running_referrals}
    seen = {area_label(a): n for a, n in data.extra.seen_recently}
    groups = [(a, 0) for a in open_at_end if a != ALL] + data.extra.running_referrals + data.extra.seen_recently
    for area in area_rows(data, groups):
        everyone = area == ALL
        table.rows.append(
            [
                area,
                Count(open_at_end[area]),
                Count(sum(running.values()) if everyone else running.get(area, 0)),
                Count(data.extra.seen_recently_total if everyone else seen.get(area, 0)),
            ]
        )
    # The open signals are the signal table's "open aan eind" of that area, summed over categories.
    for i, row in enumerate(table.rows):
        parts = tuple((signals.key, j, open_column) for j, r in enumerate(signals.rows) if r[0] == row[0])
        report.relations.append(Relation((table.key, i, 1), parts))
    area_relations(report, table, [1, 2])


def meldcode(data: ReportData, report: PeriodReport) -> None:
    """Meldcode steps (huiselijk geweld en kindermishandeling) taken in the period."""
    table = add_table(
        report,
        Table(
            "meldcode",
            "Meldcode huiselijk geweld: stappen gezet in de periode",
            ["Gebied", *[f"stap {n}" for n in MELDCODE_STEPS]],
            note="; ".join(f"stap {n}: {label}" for n, label in MELDCODE_STEPS.items()),
        ),
    )
    rows = data.extra.meldcode
    for area in area_rows(data, rows):
        steps: Counter[int] = Counter()
        for _a, step, n in pick(rows, area):
            steps[step] += n
        table.rows.append([area, *[Count(steps[n]) for n in MELDCODE_STEPS]])
    area_relations(report, table, range(1, 1 + len(MELDCODE_STEPS)))
