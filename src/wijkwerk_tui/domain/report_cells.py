"""The report's cells: counts, measures, what is hidden, and the sums counts make."""

from __future__ import annotations

from dataclasses import dataclass

SMALL = 5  # counts from 1 to SMALL-1 are never published, nor what would give them away


@dataclass(frozen=True)
class Count:
    """A number of people or events: not published when small (`domain.suppression`)."""

    n: int


CellRef = tuple[str, int, int]  # (table key, row index, column index)


@dataclass(frozen=True)
class Measure:
    """A median, percentage or average: hidden when it stands on fewer than SMALL cases, when a
    count it rests on is hidden, or when it would show a part between 1 and SMALL-1."""

    value: float | None
    n: int
    base: tuple[CellRef, ...] = ()
    parts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Hidden:
    """A value left out of a published report."""


Cell = str | int | float | Count | Measure | Hidden | None


@dataclass(frozen=True)
class Relation:
    """Published counts that add up: total = sum of parts (suppression keeps them from
    giving a hidden count away)."""

    total: CellRef
    parts: tuple[CellRef, ...]
