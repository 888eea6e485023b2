"""Small-count protection that holds: complementary suppression over the report's sums.

Counts from 1 to SMALL-1 are hidden (primary). Hiding them alone is not enough: a hidden
count that is the only hidden one in a sum (a row total, the all-areas row) is that sum
minus the rest. So in every sum with a hidden count, more counts are hidden until the hidden
ones together come to at least SMALL (secondary), and the zeros in it are hidden too (a
shown zero tells that every x beside it is at least 1, enough to pin several x's down at
once), repeated until every sum holds; an
attacker who solves all published sums together is then left with a range of at least SMALL
for each hidden count (tests/domain/test_suppression_lp.py checks this by linear programming
over the report of every area at once). Measures (medians, percentages, averages) on fewer
than SMALL cases, on a hidden count, or that would show a small part, are hidden too.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from wijkwerk_tui.domain.report_cells import SMALL, Cell, CellRef, Count, Hidden, Measure, Relation

if TYPE_CHECKING:
    from wijkwerk_tui.domain.report import PeriodReport

HIDDEN = Hidden()


def _value(report: PeriodReport, ref: CellRef) -> int:
    cell = report.cell(ref)
    return cell.n if isinstance(cell, Count) else 0


def hidden_counts(report: PeriodReport) -> set[CellRef]:
    """The counts to hide: the small ones, and in each sum enough others to cover them."""
    hidden: set[CellRef] = set()
    for table in report.tables:
        for i, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                if isinstance(cell, Count) and 0 < cell.n < SMALL:
                    hidden.add((table.key, i, c))
    relations = [r for r in report.relations if r.parts]
    changed = True
    while changed:
        changed = False
        for relation in relations:
            changed |= _cover(report, relation, hidden)
    return hidden


def _cover(report: PeriodReport, relation: Relation, hidden: set[CellRef]) -> bool:
    """Hide more of this sum's counts while its hidden ones come to less than SMALL (or one
    alone is hidden). Picks the smallest counts that close the gap: the least lost."""
    members = [relation.total, *relation.parts]
    mine = [m for m in members if m in hidden]
    if not mine:
        return False
    # Zeros beside a hidden count are hidden too: were they shown, every x in this sum would
    # be known to be at least 1, and an attacker could pin several x's down at once.
    zeros = [m for m in members if m not in hidden and _value(report, m) == 0]
    hidden.update(zeros)
    added = bool(zeros)
    while True:
        mine = [m for m in members if m in hidden]
        # What the published figures leave for the hidden ones: the hidden parts' sum (with
        # the total hidden too, the total is that sum plus the parts that are shown).
        covered = sum(_value(report, m) for m in mine if m != relation.total)
        if len(mine) >= 2 and covered >= SMALL:
            return added
        candidates = sorted(
            (m for m in members if m not in hidden and _value(report, m) > 0),
            key=lambda m: (m == relation.total, _value(report, m)),
        )
        if not candidates:
            return added
        gap = SMALL - covered
        pick = next((m for m in candidates if _value(report, m) >= gap), candidates[-1])
        hidden.add(pick)
        added = True


def protect(report: PeriodReport) -> PeriodReport:
    """The report as it may be published: hidden counts and measures replaced by HIDDEN."""
    if report.protected:
        return report
    if report.cut:  # its sums are gone with the other areas' rows: protecting it now would leak
        raise ValueError("protect the whole report, then cut it")
    hidden = hidden_counts(report)
    tables = []
    for table in report.tables:
        rows = []
        for i, row in enumerate(table.rows):
            rows.append([_published(cell, (table.key, i, c), hidden) for c, cell in enumerate(row)])
        tables.append(replace(table, rows=rows))
    return replace(report, tables=tables, protected=True)


def _published(cell: Cell, ref: CellRef, hidden: set[CellRef]) -> Cell:
    if ref in hidden:
        return HIDDEN
    if isinstance(cell, Measure) and (
        cell.n < SMALL or any(b in hidden for b in cell.base) or any(0 < p < SMALL for p in cell.parts)
    ):
        return HIDDEN
    return cell
