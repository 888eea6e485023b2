from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkwerk_tui.domain.dates import (
    MONTHS,
    age_on,
    format_date,
    format_date_long,
    format_day_long,
    parse_date,
    parse_optional_date,
)
from wijkwerk_tui.domain.errors import ValidationError

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vandaag", TODAY),
        ("Vandaag ", TODAY),
        ("gisteren", date(2026, 11, 22)),
        ("morgen", date(2026, 11, 24)),
        ("over 2 weken", date(2026, 12, 7)),
        ("over twee weken", date(2026, 12, 7)),
        ("+2w", date(2026, 12, 7)),
        ("+ 3 dagen", date(2026, 11, 26)),
        ("-1w", date(2026, 11, 16)),
        ("+1m", date(2026, 12, 23)),
        ("3 dagen geleden", date(2026, 11, 20)),
        ("12-3", date(2026, 3, 12)),
        ("12-3-2026", date(2026, 3, 12)),
        ("12/03/2026", date(2026, 3, 12)),
        ("12.3.2026", date(2026, 3, 12)),
        ("12 maart", date(2026, 3, 12)),
        ("12 maart 2026", date(2026, 3, 12)),
        ("12 mrt 2025", date(2025, 3, 12)),
        ("1 OKT 2026", date(2026, 10, 1)),
        ("2024-01-02", date(2024, 1, 2)),  # ISO is year-month-day, never flipped
        ("29-2-2024", date(2024, 2, 29)),
    ],
)
def test_dutch_inputs(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31-02-2026", "bestaat niet"),
        ("29-2-2025", "bestaat niet"),
        ("12-13-2026", "maand"),
        ("1-2-60", "jaar voluit"),
        ("99", "Onbekende datum"),
        ("12 foo 2026", "Onbekende maand"),
        ("", "Vul een datum in"),
        ("1-1-1850", "jaar tussen"),
        ("+999j", "te ver"),
    ],
)
def test_rejected_with_dutch_message(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(text, TODAY, field="follow_up_on")
    assert fragment in info.value.message
    assert info.value.field == "follow_up_on"


def test_formatting() -> None:
    assert format_date(date(2026, 3, 5)) == "05-03-2026"
    assert format_date(None) == ""
    assert format_date_long(date(2026, 3, 5)) == "5 maart 2026"
    assert format_day_long(TODAY) == "maandag 23 november 2026"
    assert parse_optional_date("  ", TODAY) is None


def test_age() -> None:
    assert age_on(TODAY, 1951) == 75
    assert age_on(TODAY, None, date(1951, 12, 1)) == 74
    assert age_on(TODAY, None) is None


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(dates)
def test_formatted_date_parses_back(day: date) -> None:
    assert parse_date(format_date(day), TODAY) == day


@given(dates)
def test_every_written_form_means_the_same_day(day: date) -> None:
    forms = [
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}" if day.month != 3 else f"{day.day} mrt {day.year}",
        day.isoformat(),
    ]
    for form in forms:
        assert parse_date(form, TODAY) == day


@given(st.integers(min_value=0, max_value=500), st.sampled_from(["d", "dagen"]))
def test_relative_days(n: int, unit: str) -> None:
    assert parse_date(f"+{n}{unit}", TODAY) == TODAY + timedelta(days=n)
    assert parse_date(f"over {n} {unit}", TODAY) == TODAY + timedelta(days=n)


@given(st.text(max_size=30))
def test_any_text_gives_a_date_or_a_dutch_message(text: str) -> None:
    try:
        result = parse_date(text, TODAY)
    except ValidationError as error:
        assert error.message  # a message for the field, never another exception
    else:
        assert isinstance(result, date)


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1900, 2200))
def test_numeric_dates_are_exact_or_rejected(d: int, m: int, y: int) -> None:
    try:
        expected = date(y, m, d)
    except ValueError:
        with pytest.raises(ValidationError):
            parse_date(f"{d}-{m}-{y}", TODAY)
    else:
        assert parse_date(f"{d}-{m}-{y}", TODAY) == expected
