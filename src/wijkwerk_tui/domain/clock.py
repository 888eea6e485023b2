"""Time as the app sees it: one clock type, one local zone.

Every component takes a clock (a function returning an aware datetime) instead of calling
`datetime.now()` itself, so tests, screenshots and benchmarks can freeze or move time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# Workers and their dates are Dutch; timestamps are stored in UTC.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_today(clock: Clock) -> date:
    return clock().astimezone(LOCAL_ZONE).date()
