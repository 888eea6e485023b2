"""Which backups to keep: by age and by count, within a disk budget.

Kept are the newest few whatever their age, then the newest backup of each of the last days,
ISO weeks and months that have one. So twenty backups made today replace each other (only the
newest few of today stay), and can never push out last week's or last month's restore point.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Plan:
    recent: int = 3
    daily: int = 7
    weekly: int = 4
    monthly: int = 6

    @property
    def most(self) -> int:
        return self.recent + self.daily + self.weekly + self.monthly


PLAN = Plan()


def to_keep(taken: Sequence[datetime], plan: Plan = PLAN) -> set[datetime]:
    """The moments (of `taken`) whose backups stay."""
    newest_first = sorted(set(taken), reverse=True)
    keep = set(newest_first[: plan.recent])
    periods: list[tuple[Callable[[datetime], Hashable], int]] = [
        (lambda t: t.date(), plan.daily),
        (lambda t: t.isocalendar()[:2], plan.weekly),
        (lambda t: (t.year, t.month), plan.monthly),
    ]
    for period_of, count in periods:
        seen: set[Hashable] = set()
        for moment in newest_first:
            period = period_of(moment)
            if period not in seen and len(seen) < count:
                seen.add(period)
                keep.add(moment)
    return keep


def within_budget(sizes: Sequence[tuple[datetime, int]], budget: int) -> set[datetime]:
    """Of the kept backups (moment, bytes), the newest that fit in `budget` bytes together;
    the newest one always stays (it is the restore point that matters most)."""
    keep: set[datetime] = set()
    used = 0
    for index, (moment, size) in enumerate(sorted(sizes, reverse=True)):
        if index and used + size > budget:
            break
        keep.add(moment)
        used += size
    return keep
