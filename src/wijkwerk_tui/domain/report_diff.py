"""A frozen (vastgestelde) report against a new run: which figures changed, and which changed
records since the freeze can explain each, so the organisation can tell the municipality why.

A figure is named by its table, row labels and column; its value is the number as computed
(before suppression). The digest covers the figures and what was hidden, so a frozen report
that was altered afterwards no longer matches its own digest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.report import ALL, Count, Hidden, Measure, PeriodReport

SEP = " · "


def figure_key(table: str, labels: list[Any], column: str) -> str:
    return SEP.join([table, *[str(label) for label in labels], column])


def figures(report: PeriodReport) -> dict[str, int | float | None]:
    """Every count and measure of the whole report, by key, as computed."""
    out: dict[str, int | float | None] = {}
    for table in report.tables:
        for row in table.rows:
            labels = row[: table.labels]
            for column, cell in zip(table.columns[table.labels :], row[table.labels :], strict=True):
                if isinstance(cell, Count):
                    out[figure_key(table.key, labels, column)] = cell.n
                elif isinstance(cell, Measure):
                    out[figure_key(table.key, labels, column)] = cell.value
    return out


def hidden_keys(published: PeriodReport) -> list[str]:
    keys = []
    for table in published.tables:
        for row in table.rows:
            labels = row[: table.labels]
            for column, cell in zip(table.columns[table.labels :], row[table.labels :], strict=True):
                if isinstance(cell, Hidden):
                    keys.append(figure_key(table.key, labels, column))
    return keys


def digest(figures_json: str, hidden_json: str) -> str:
    return hashlib.sha256(f"{figures_json}\n{hidden_json}".encode()).hexdigest()


def encode(values: Any) -> str:
    """Canonical JSON: the same figures always give the same text (and digest)."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class FigureChange:
    key: str
    table: str
    area: str
    then: int | float | None
    now: int | float | None

    @property
    def label(self) -> str:
        """The figure as a person reads it: table title, row and column, without the table's key."""
        return self.key.split(SEP, 1)[1]


@dataclass(frozen=True)
class RecordChange:
    """A record added, changed or removed after the freeze that touches the period."""

    kind: str  # Dutch: "contactmoment", "trede", ...
    record: str  # short id, never a name
    what: str  # "toegevoegd", "gewijzigd", "verwijderd", "verhuisd", "heropend"
    at: datetime
    areas: frozenset[str]
    tables: frozenset[str]  # the report tables it can move


@dataclass
class Explained:
    change: FigureChange
    records: list[RecordChange] = field(default_factory=list)


def diff(then: dict[str, int | float | None], now: dict[str, int | float | None]) -> list[FigureChange]:
    """Figures whose value differs (a figure missing on one side counts as 0 there: a row with
    nothing to count is not shown)."""
    out = []
    for key in sorted(then.keys() | now.keys()):
        a, b = then.get(key, 0), now.get(key, 0)
        if a != b:
            table, area = key.split(SEP)[:2]
            out.append(FigureChange(key, table, area, a, b))
    return out


def explain(changes: list[FigureChange], records: list[RecordChange]) -> list[Explained]:
    """Per changed figure, the changed records that count in its table and area."""
    return [
        Explained(
            change,
            [r for r in records if change.table in r.tables and (change.area == ALL or change.area in r.areas)],
        )
        for change in changes
    ]


def _number(value: int | float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",") if isinstance(value, float) else str(value)


def lines(explained: list[Explained], titles: dict[str, str]) -> list[str]:
    """The comparison in Dutch, a figure per line with the records under it."""
    if not explained:
        return ["Geen verschillen: elk cijfer is nog hetzelfde."]
    out = [f"{len(explained)} cijfer(s) veranderd sinds het vaststellen:"]
    for item in explained:
        change = item.change
        title = titles.get(change.table, change.table)
        out.append(f"{title}{SEP}{change.label}: {_number(change.then)} → {_number(change.now)}")
        for record in item.records:
            at = record.at.astimezone(LOCAL_ZONE)
            out.append(f"    {record.kind} {record.record} {record.what} op {at:%d-%m-%Y %H:%M}")
        if not item.records:
            out.append(
                "    geen gewijzigde gegevens: de tijd verstreek (bijv. een terugkoppeldatum die sindsdien verliep)"
            )
    return out
