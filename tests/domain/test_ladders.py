from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import (
    Ladder,
    Movement,
    Placement,
    classify_movement,
    is_improvement,
    latest_on_or_before,
    movement_between,
    steps,
    top_step,
    validate_step,
)

START, END = date(2026, 1, 1), date(2026, 6, 30)


def test_fixed_steps_and_default_labels() -> None:
    participation = steps(Ladder.PARTICIPATION)
    assert [s.number for s in participation] == [1, 2, 3, 4, 5, 6]
    assert participation[0].label == "Geïsoleerd"
    assert participation[5].label == "Betaald werk"
    support = steps(Ladder.SUPPORT)
    assert [s.number for s in support] == [1, 2, 3, 4, 5]
    assert support[0].label == "Eigen kracht"
    assert all(s.description for s in participation + support)


def test_labels_can_be_renamed_numbers_cannot() -> None:
    renamed = steps(Ladder.SUPPORT, {3: "Basisvoorzieningen", 4: "  "})
    assert renamed[2].label == "Basisvoorzieningen" and renamed[2].number == 3
    assert renamed[3].label == "Voorliggende voorzieningen"  # blank override falls back


@pytest.mark.parametrize("value", [0, 7, -1, "x", "", "2.5", None, True, 3.0])
def test_invalid_steps_rejected(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        validate_step(Ladder.PARTICIPATION, value)
    assert "1 tot en met 6" in info.value.message


def test_valid_steps() -> None:
    assert validate_step(Ladder.SUPPORT, "5") == 5
    with pytest.raises(ValidationError):
        validate_step(Ladder.SUPPORT, 6)


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], Movement.NO_DATA),
        ([Placement(END + timedelta(days=1), 3)], Movement.NO_DATA),
        ([Placement(date(2026, 3, 1), 2)], Movement.NEW),
        ([Placement(date(2025, 12, 1), 2), Placement(date(2026, 3, 1), 3)], Movement.UP),
        ([Placement(date(2025, 12, 1), 4), Placement(date(2026, 3, 1), 3)], Movement.DOWN),
        ([Placement(date(2025, 12, 1), 3), Placement(date(2026, 3, 1), 3)], Movement.SAME),
        ([Placement(START - timedelta(days=1), 2), Placement(END, 2)], Movement.SAME),
        # first placed on the first day: new in this period (issue 15, point 1)
        ([Placement(START, 2), Placement(END, 2)], Movement.NEW),
        # a change on the first day belongs to the period
        ([Placement(date(2025, 12, 1), 2), Placement(START, 3)], Movement.UP),
        # twice on one day: the later entry wins
        (
            [
                Placement(START - timedelta(days=1), 2, 1),
                Placement(date(2026, 5, 1), 1, 1),
                Placement(date(2026, 5, 1), 4, 2),
            ],
            Movement.UP,
        ),
        # placements after the period do not count
        ([Placement(START - timedelta(days=3), 2), Placement(END + timedelta(days=3), 6)], Movement.SAME),
    ],
)
def test_classify_movement(history: list[Placement], expected: Movement) -> None:
    assert classify_movement(history, START, END) is expected


def test_direction_meaning_per_ladder() -> None:
    assert is_improvement(Ladder.PARTICIPATION, Movement.UP) is True
    assert is_improvement(Ladder.SUPPORT, Movement.DOWN) is True  # lighter support
    assert is_improvement(Ladder.SUPPORT, Movement.UP) is False
    assert is_improvement(Ladder.SUPPORT, Movement.SAME) is None
    assert movement_between(None, 3) is Movement.NEW and movement_between(3, 2) is Movement.DOWN


placements = st.lists(
    st.builds(Placement, st.dates(date(2024, 1, 1), date(2027, 12, 31)), st.integers(1, 6), st.floats(0, 100)),
    max_size=12,
    # `order` is the entry time: two entries never share both day and time.
    unique_by=lambda p: (p.measured_on, p.order),
)


@given(placements, st.dates(date(2024, 1, 1), date(2027, 12, 31)), st.integers(0, 800))
def test_movement_agrees_with_steps_in_force(history: list[Placement], start: date, days: int) -> None:
    end = start + timedelta(days=days)
    movement = classify_movement(history, start, end)
    before_start = [p for p in history if p.measured_on < start]
    before_end = [p for p in history if p.measured_on <= end]
    if not before_end:
        assert movement is Movement.NO_DATA
    elif not before_start:
        assert movement is Movement.NEW
    else:
        a = max(before_start, key=lambda p: (p.measured_on, p.order)).step
        b = max(before_end, key=lambda p: (p.measured_on, p.order)).step
        expected = Movement.UP if b > a else Movement.DOWN if b < a else Movement.SAME
        assert movement is expected


@given(placements)
def test_latest_is_order_independent(history: list[Placement]) -> None:
    assert latest_on_or_before(history) == latest_on_or_before(list(reversed(history)))


def test_top_steps() -> None:
    assert top_step(Ladder.PARTICIPATION) == 6 and top_step(Ladder.SUPPORT) == 5
