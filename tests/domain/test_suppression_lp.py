"""Suppression that holds (issue 15, point 8): an attacker who takes every published count of
the reports for one period (all areas, and each area's own report) and solves them together
as a linear programme can narrow no hidden count to a range less than SMALL wide.

The attacker's knowledge is written here from the README's definitions, not taken from the
code's list of sums: rows that add up, the all-areas row as the sum of the areas, figures
that count the same people in two tables, and the obvious inequalities (part <= whole)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from tests.conftest import frozen_clock
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.domain import report_build
from wijkwerk_tui.domain.activities import CONTACT_KINDS, GOAL_STATUSES
from wijkwerk_tui.domain.report import AGE_GROUPS, ALL, SMALL, Count, Hidden, PeriodReport
from wijkwerk_tui.domain.signals import SOURCES, URGENCIES
from wijkwerk_tui.ops.demo_data import build_demo
from wijkwerk_tui.queries import report_data
from wijkwerk_tui.store import areas, workers

STEPS = {"participation": 6, "support": 5}
WORDS = {"participation": ["omhoog", "omlaag"], "support": ["lichter", "zwaarder"]}
# total column: its parts (every row)
ROW_SUMS: dict[str, tuple[str, list[str]]] = {
    **{f"{lad}_distribution": ("in beeld", [f"trede {n}" for n in range(1, k + 1)]) for lad, k in STEPS.items()},
    **{f"{lad}_movement": ("in beeld", [*WORDS[lad], "gelijk", "nieuw"]) for lad in STEPS},
    "signals_urgency": ("totaal", list(URGENCIES.values())),
    "signals_source": ("totaal", list(SOURCES.values())),
    "reach": ("contacten", [f"contact: {k}" for k in CONTACT_KINDS.values()]),
    "referrals": ("verstuurd", ["terugkoppeling op tijd", "te laat", "nog niet verlopen"]),
    "goals": ("gesteld", list(GOAL_STATUSES.values())),
    "reached": ("totaal", list(AGE_GROUPS)),
}
# Distinct residents: all areas is not the sum of the areas.
NOT_ADDITIVE = {
    ("reach", "unieke inwoners"),
    ("reach", "unieke vrijwilligers (bij naam)"),
    ("caseload", "inwoners met contact (3 mnd)"),
    *[("reached", column) for column in [*AGE_GROUPS, "totaal", "voor het eerst bereikt"]],
}
# part <= whole, in every row
AT_MOST = [
    ("signals", "waarvan anoniem", "nieuw in periode"),
    ("reach", "anoniem", "contacten"),
    ("reach", "unieke inwoners", "contacten"),
    ("referrals", "zonder toestemming", "gemaakt"),
    ("referrals", "verstuurd", "gemaakt"),
    ("referrals", "afgerond", "aangenomen"),
    ("referrals", "aangenomen", "gemaakt"),
    ("referrals", "afgewezen", "gemaakt"),
    *[(f"{lad}_distribution", "in beeld", "ooit geplaatst") for lad in STEPS],
    *[(f"{lad}_distribution", "met groeipotentieel", "in beeld") for lad in STEPS],
    ("reached", "voor het eerst bereikt", "totaal"),
]


class Attack:
    """The published counts as LP variables with what the attacker knows about them."""

    def __init__(self, published: PeriodReport, truth: PeriodReport) -> None:
        self.index: dict[tuple[str, int, int], int] = {}
        self.bounds: list[tuple[float, float | None]] = []
        self.truth: list[int] = []
        for table in truth.tables:
            for i, row in enumerate(table.rows):
                for c, cell in enumerate(row):
                    if isinstance(cell, Count):
                        shown = published.table(table.key).rows[i][c]
                        self.index[(table.key, i, c)] = len(self.bounds)
                        self.truth.append(cell.n)
                        if isinstance(shown, Hidden):
                            self.bounds.append((0, None))
                        else:
                            assert isinstance(shown, Count) and shown.n == cell.n
                            self.bounds.append((shown.n, shown.n))
        self.equal: list[dict[int, float]] = []
        self.less: list[dict[int, float]] = []  # sum <= 0
        self.report = truth
        self._know()

    def var(self, key: str, row: int, column: str) -> int:
        table = self.report.table(key)
        return self.index[(key, row, table.columns.index(column))]

    def _know(self) -> None:
        report = self.report
        for key, (total, parts) in ROW_SUMS.items():
            for i in range(len(report.table(key).rows)):
                self.equal.append({self.var(key, i, total): 1, **{self.var(key, i, p): -1 for p in parts}})
        for table in report.tables:
            groups: dict[tuple[object, ...], list[int]] = {}
            for i, row in enumerate(table.rows):
                groups.setdefault(tuple(row[1 : table.labels]), []).append(i)
            for rows in groups.values():
                everyone = [i for i in rows if table.rows[i][0] == ALL]
                if not everyone:
                    continue
                for c, column in enumerate(table.columns):
                    if (table.key, everyone[0], c) not in self.index or (table.key, column) in NOT_ADDITIVE:
                        continue
                    sums = {self.index[(table.key, everyone[0], c)]: 1.0}
                    for i in rows:
                        if i != everyone[0]:
                            sums[self.index[(table.key, i, c)]] = -1.0
                    self.equal.append(sums)
        for key, part, whole in AT_MOST:
            for i in range(len(report.table(key).rows)):
                self.less.append({self.var(key, i, part): 1, self.var(key, i, whole): -1})
        for lad in STEPS:  # the same residents in beeld in both ladder tables
            for i in range(len(report.table(f"{lad}_distribution").rows)):
                a, b = self.var(f"{lad}_distribution", i, "in beeld"), self.var(f"{lad}_movement", i, "in beeld")
                self.equal.append({a: 1, b: -1})
        urgency, source = report.table("signals_urgency"), report.table("signals_source")
        for i in range(len(urgency.rows)):  # both count the new signal cards
            self.equal.append({self.var(urgency.key, i, "totaal"): 1, self.var(source.key, i, "totaal"): -1})
        self._same(("reached", "totaal"), ("reach", "unieke inwoners"))
        signals = report.table("signals")
        for i, row in enumerate(report.table("caseload").rows):  # open signals: over the categories
            parts = [j for j, s in enumerate(signals.rows) if s[0] == row[0]]
            self.equal.append(
                {
                    self.var("caseload", i, "open signalen"): 1,
                    **{self.var("signals", j, "open aan eind"): -1 for j in parts},
                }
            )
        months = report.table("contacts_per_month")
        for i, row in enumerate(report.table("reach").rows):  # the months add up to the contacts
            parts = [j for j, m in enumerate(months.rows) if m[0] == row[0]]
            self.equal.append(
                {self.var("reach", i, "contacten"): 1, **{self.var(months.key, j, "contacten"): -1 for j in parts}}
            )

    def matrices(self) -> None:
        """The constraints as sparse matrices, built once for every hidden count's two programmes."""
        n = len(self.bounds)

        def sparse(rows: list[dict[int, float]]) -> csr_matrix | None:
            if not rows:
                return None
            cells = [(r, j, v) for r, row in enumerate(rows) for j, v in row.items()]
            data = [v for _r, _j, v in cells]
            return csr_matrix((data, ([r for r, _j, _v in cells], [j for _r, j, _v in cells])), shape=(len(rows), n))

        self.a_eq, self.a_ub = sparse(self.equal), sparse(self.less)

    def _same(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        """Column a of table a counts what column b of table b counts, row by row (same areas)."""
        first, second = self.report.table(a[0]), self.report.table(b[0])
        rows = {row[0]: i for i, row in enumerate(second.rows)}
        for i, row in enumerate(first.rows):
            if row[0] in rows:
                self.equal.append({self.var(a[0], i, a[1]): 1, self.var(b[0], rows[row[0]], b[1]): -1})

    def range_of(self, variable: int) -> tuple[float, float]:
        ends = []
        for sign in (1, -1):
            objective = np.zeros(len(self.bounds))
            objective[variable] = sign
            result = linprog(
                objective,
                A_ub=self.a_ub,
                b_ub=np.zeros(self.a_ub.shape[0]) if self.a_ub is not None else None,
                A_eq=self.a_eq,
                b_eq=np.zeros(self.a_eq.shape[0]) if self.a_eq is not None else None,
                bounds=self.bounds,
                method="highs",
            )
            if result.status == 3:  # unbounded: no upper end
                ends.append(float("inf") if sign == -1 else float("-inf"))
                continue
            assert result.status == 0, result.message
            ends.append(sign * result.fun)
        return ends[0], ends[1]


def narrow_cells(
    published: PeriodReport, truth: PeriodReport, first: bool = False
) -> list[tuple[tuple[str, int, int], float, float]]:
    attack = Attack(published, truth)
    attack.matrices()
    found = []
    for ref, variable in attack.index.items():
        # A hidden zero may come out as zero: it counts nobody (zeros are hidden only so that
        # no x is known to be at least 1).
        if attack.bounds[variable] == (0, None) and attack.truth[variable] > 0:
            low, high = attack.range_of(variable)
            assert low - 1e-6 <= attack.truth[variable] <= high + 1e-6  # the attacker's model holds
            if high - low < SMALL - 1e-6:
                found.append((ref, low, high))
                if first:
                    break
    return found


def _report(db: Database, start: date, end: date, area=None) -> PeriodReport:
    boss = next(w.id for w in workers.list_workers(db) if w.role == "coordinator")
    return report_build.build(report_data.load(db, boss, report_data.Period(start, end, area)), "Welzijn")


@pytest.fixture(scope="module")
def bigger_demo(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("lp")) / "demo.db"
    db = open_database(path, frozen_clock)
    build_demo(db, residents=400, seed=11)
    yield db
    db.close()


PERIODS = [(date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 3, 1), date(2026, 3, 31))]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_issue15_08_no_hidden_count_can_be_narrowed(demo_db, bigger_demo, start, end) -> None:
    for db in (demo_db, bigger_demo):
        truth = _report(db, start, end)
        published = truth.view()
        hidden = sum(isinstance(c, Hidden) for t in published.tables for r in t.rows for c in r)
        assert hidden > 0  # there is something to protect
        assert narrow_cells(published, truth) == []


def test_issue15_08_no_zero_is_shown_beside_a_hidden_count(demo_db) -> None:
    """Else every x beside it is known to be at least 1 (the review found 19 x's pinned down
    exactly that way: five hidden areas summing to 11 over 11 hidden cells)."""
    truth = _report(demo_db, *PERIODS[0])
    published = truth.view()
    shown_zero_beside_x = []
    for relation in truth.relations:
        members = [relation.total, *relation.parts]
        cells = [published.cell(m) for m in members]
        if any(isinstance(c, Hidden) for c in cells):
            shown_zero_beside_x += [m for m, c in zip(members, cells, strict=True) if isinstance(c, Count) and c.n == 0]
    assert shown_zero_beside_x == []
    assert any(isinstance(published.cell(r), Hidden) and truth.cell(r) == Count(0) for r in _refs(truth))


def _refs(report: PeriodReport) -> list[tuple[str, int, int]]:
    return [(t.key, i, c) for t in report.tables for i, row in enumerate(t.rows) for c in range(len(row))]


def test_issue15_08_each_areas_report_is_the_all_areas_report_cut(demo_db) -> None:
    """So the family of reports publishes nothing the all-areas report does not."""
    start, end = PERIODS[0]
    full = _report(demo_db, start, end).view()
    for area in areas.list_areas(demo_db):
        mine = _report(demo_db, start, end, area.id).view()
        for table in mine.tables:
            assert table.rows == [r for r in full.table(table.key).rows if r[0] == area.name]


def test_issue15_08_hiding_only_the_small_counts_is_caught(demo_db) -> None:
    """The check can fail: with only the counts under 5 hidden (what the report did before), the
    attacker narrows some of them."""
    from dataclasses import replace

    truth = _report(demo_db, *PERIODS[0])
    naive = replace(truth, relations=[]).view()
    assert narrow_cells(naive, truth, first=True)
