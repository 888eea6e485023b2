"""While the app's sync runs in its own process, the app says when a worker is reading.

Two cores are not enough for a search, an opened file and a sync taking pages in at full
speed: at 100 000 residents a search typed during a sync took 1.2-1.5x as long at p95, and
the sync's own process used most of a core (BENCHMARKS.md). So the app touches a mark beside
the database each time it searches or opens a file during a sync (at most every TOUCH_S),
and the sync, between two small steps of its work, rests REST_FACTOR times as long as the
step took while the mark is fresh. A sync nobody waits on (a join, the app idle, `wijkwerk
sync`) keeps its full speed; one taking 10 000 changes in while a worker searched took 12-13 s
instead of 4-5 at 100 000 residents (BENCHMARKS.md).

The mark is an empty file whose modification time is the signal (no content, nothing
personal). A clock set back makes a mark look as if from the future: only marks within
FRESH_S either way count, so a sync never rests for longer than a worker reads.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

FRESH_S = 1.0  # a search or an opened file this recent: the sync gives way
TOUCH_S = 0.2  # the app touches the mark at most this often
REST_FACTOR = 3  # while a worker reads, the sync works a quarter of the time
REST_MAX_S = 0.25  # longest rest at a time (a step of the sync is a few hundredths)
# A rest inside a page holds the write lock: it is taken in slices, and ends as soon as a
# save waits (then the page commits and lets the save in, as without resting).
SLICE_S = 0.005


def mark_path(path: Path) -> str:
    return f"{path}.in-use"


class InUseMark:
    """The app's side: `touch` when a worker reads during a sync."""

    def __init__(self, path: Path) -> None:
        self._path = mark_path(path)
        self._last = float("-inf")

    def touch(self) -> None:
        now = time.monotonic()
        if now - self._last < TOUCH_S:
            return
        self._last = now
        try:
            handle = os.open(self._path, os.O_CREAT | os.O_WRONLY, 0o600)
        except OSError:
            return  # (a read-only folder, a full disk: the sync goes on at full speed)
        try:
            os.utime(handle)
        except OSError:
            pass
        finally:
            os.close(handle)


def in_use(path: Path) -> bool:
    """The sync's side: whether a worker read from this file within FRESH_S."""
    try:
        touched = os.stat(mark_path(path)).st_mtime
    except OSError:
        return False
    return abs(time.time() - touched) < FRESH_S


class Pace:
    """Between two steps of the sync's work: while the app is in use, rest REST_FACTOR times
    as long as the step took, so the worker's reads find the CPU, caches and disk mostly free."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._since = time.monotonic()
        self.rested, self.rests = 0.0, 0  # (seconds and times: for the benchmark and the tests)

    def step(self, interrupt: Callable[[], bool] | None = None) -> bool:
        """Rest if a worker reads; True when `interrupt` (someone waits to write) cut it short."""
        worked = time.monotonic() - self._since
        cut = False
        if in_use(self._path):
            start = time.monotonic()
            end = start + min(REST_FACTOR * worked, REST_MAX_S)
            while (now := time.monotonic()) < end:
                if interrupt is not None and interrupt():
                    cut = True
                    break
                time.sleep(min(SLICE_S, end - now))
            self.rested += time.monotonic() - start
            self.rests += 1
        self.restart()
        return cut

    def restart(self) -> None:
        """What follows is a new step (what went before was not this process's work)."""
        self._since = time.monotonic()
