"""The hybrid logical clock: stamps never go back, and follow what they have seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from wijkwerk_tui.domain.hlc import HybridClock, Stamp, StampError, parse

BASE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
# A physical clock that jumps forward and back (set back by hand, NTP corrections).
moves = st.lists(st.integers(min_value=-86_400_000, max_value=86_400_000), min_size=1, max_size=60)


def _times(offsets: list[int]) -> list[datetime]:
    return [BASE + timedelta(milliseconds=ms) for ms in offsets]


@given(moves)
def test_stamps_of_one_device_only_grow_whatever_the_clock_does(offsets: list[int]) -> None:
    clock = HybridClock("laptop-a")
    stamps = [clock.now(moment) for moment in _times(offsets)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)
    texts = [s.text() for s in stamps]
    assert texts == sorted(texts), "the text form sorts as the stamps do"


@given(moves, moves, st.integers(min_value=0, max_value=59))
def test_a_stamp_taken_after_seeing_another_sorts_after_it(mine: list[int], theirs: list[int], pick: int) -> None:
    a, b = HybridClock("a"), HybridClock("b")
    their_stamps = [b.now(moment) for moment in _times(theirs)]
    seen = their_stamps[pick % len(their_stamps)]
    for moment in _times(mine):
        a.now(moment)
    # Laptop a's clock is a day behind when it takes in b's change.
    a.seen(seen, BASE - timedelta(days=1))
    after = a.now(BASE - timedelta(days=1))
    assert after > seen
    assert after.text() > seen.text()


@given(st.integers(min_value=0, max_value=10**14), st.integers(min_value=0, max_value=999_999), st.text(min_size=1))
def test_text_form_reads_back(ms: int, counter: int, device: str) -> None:
    stamp = Stamp(ms, counter, device)
    assert parse(stamp.text()) == stamp


def test_a_clock_set_back_keeps_the_wall_time_of_the_last_stamp() -> None:
    clock = HybridClock("a")
    first = clock.now(BASE)
    back = clock.now(BASE - timedelta(hours=3))
    assert back.wall == first.wall == BASE
    assert back.counter == first.counter + 1


def test_garbage_is_not_a_stamp() -> None:
    for text in ("", "12-3", "x" * 15 + "-000000-a", "000000000000001-000001-"):
        try:
            parse(text)
        except StampError:
            continue
        raise AssertionError(f"{text!r} was read as a stamp")
