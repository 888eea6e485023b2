"""Hybrid logical clock (Kulkarni et al.): the order of changes across laptops.

A stamp is wall-clock milliseconds, a counter and the device, written as one string that
sorts in time order. A laptop's stamps never go backwards, even when its clock is set back,
and a stamp taken after seeing another device's change sorts after it (causal order), even
when this laptop's clock is behind. The stamps order histories and the audit; they never
decide a conflict (DESIGN.md §7).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

# 15 digits of milliseconds reach the year 33658; 6 of counter allow a million stamps in one ms.
_MS_DIGITS = 15
_COUNTER_DIGITS = 6


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    device: str

    def text(self) -> str:
        return f"{self.wall_ms:0{_MS_DIGITS}d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.device}"

    @property
    def wall(self) -> datetime:
        return datetime.fromtimestamp(self.wall_ms / 1000, UTC)


class StampError(ValueError):
    """Not a stamp this module wrote."""


def parse(text: str) -> Stamp:
    parts = text.split("-", 2)
    if len(parts) != 3 or len(parts[0]) != _MS_DIGITS or len(parts[1]) != _COUNTER_DIGITS:
        raise StampError("not a clock stamp")
    if not (parts[0].isdigit() and parts[1].isdigit()) or not parts[2]:
        raise StampError("not a clock stamp")
    return Stamp(int(parts[0]), int(parts[1]), parts[2])


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class HybridClock:
    """One device's clock. `now()` for a local change, `seen()` for a change from elsewhere."""

    def __init__(self, device: str, last: Stamp | None = None) -> None:
        self.device = device
        self._wall = last.wall_ms if last else 0
        self._counter = last.counter if last else 0
        self._lock = threading.Lock()

    def now(self, physical: datetime) -> Stamp:
        with self._lock:
            ms = millis(physical)
            if ms > self._wall:
                self._wall, self._counter = ms, 0
            else:  # the clock stood still or went back: keep the order with the counter
                self._counter += 1
            return Stamp(self._wall, self._counter, self.device)

    def seen(self, other: Stamp, physical: datetime) -> None:
        """Take in a stamp from another device so that later local stamps sort after it."""
        with self._lock:
            ms = millis(physical)
            top = max(self._wall, other.wall_ms, ms)
            if top == self._wall == other.wall_ms:
                counter = max(self._counter, other.counter)
            elif top == self._wall:
                counter = self._counter
            elif top == other.wall_ms:
                counter = other.counter
            else:
                counter = -1  # the physical clock is ahead of both: the next now() starts at 0
            self._wall, self._counter = top, counter
