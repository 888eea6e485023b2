"""Dutch date input and output.

Parsing is strict on purpose: dateutil's free parser guesses (`99` becomes 1999,
`1-2-60` becomes 2060, ISO dates flip with dayfirst), and a wrong follow-up date
is worse than a message asking to type it again. dateutil's `relativedelta` does
the calendar arithmetic for months and years.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.errors import ValidationError

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTH_BY_NAME: dict[str, int] = {name: i for i, name in enumerate(MONTHS, start=1)}
_MONTH_BY_NAME.update(
    {
        "jan": 1,
        "feb": 2,
        "mrt": 3,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    }
)

_KEYWORDS = {"vandaag": 0, "nu": 0, "gisteren": -1, "eergisteren": -2, "morgen": 1, "overmorgen": 2}

_UNITS = {
    "d": "days",
    "dag": "days",
    "dagen": "days",
    "w": "weeks",
    "wk": "weeks",
    "week": "weeks",
    "weken": "weeks",
    "m": "months",
    "mnd": "months",
    "maand": "months",
    "maanden": "months",
    "j": "years",
    "jr": "years",
    "jaar": "years",
}
_NUMBER_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUM_RE = r"\d{1,3}|" + "|".join(_NUMBER_WORDS)

_SIGNED = re.compile(rf"^([+-])\s*(\d{{1,3}})\s*({_UNIT_RE})$")
_OVER = re.compile(rf"^over\s+({_NUM_RE})\s+({_UNIT_RE})$")
_AGO = re.compile(rf"^({_NUM_RE})\s+({_UNIT_RE})\s+geleden$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d+))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d+))?$")

MIN_YEAR = 1900
MAX_YEAR = 2200

HINT = "Typ bijvoorbeeld 12-3-2026, 12 maart, vandaag, morgen of +2w."


def _invalid(field: str, message: str = "") -> ValidationError:
    return ValidationError(field, (message + " " if message else "Onbekende datum. ") + HINT)


def _build(day: int, month: int, year: int, field: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(field, f"Kies een jaar tussen {MIN_YEAR} en {MAX_YEAR}.")
    if not 1 <= month <= 12:
        raise ValidationError(field, "Een maand loopt van 1 tot en met 12.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(field, f"Die datum bestaat niet: {day:02d}-{month:02d}-{year}.") from None


def _year(text: str | None, today: date, field: str) -> int:
    if text is None:
        return today.year
    if len(text) != 4:
        raise ValidationError(field, "Schrijf het jaar voluit, bijvoorbeeld 12-3-2026.")
    return int(text)


def _offset(today: date, amount: int, unit: str) -> date:
    # The two dates named (as their defaults), so the unpacked keyword can only be a unit.
    result = today + relativedelta(dt1=None, dt2=None, **{_UNITS[unit]: amount})
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise ValueError("out of range")
    return result


def _amount(text: str) -> int:
    return _NUMBER_WORDS[text] if text in _NUMBER_WORDS else int(text)


def parse_date(text: str, today: date, field: str = "date") -> date:
    """Read a Dutch date as workers type it. Raises ValidationError with a Dutch hint."""
    value = " ".join(str(text).strip().lower().split())
    if not value:
        raise ValidationError(field, "Vul een datum in. " + HINT)
    if value in _KEYWORDS:
        return today + timedelta(days=_KEYWORDS[value])
    try:
        if m := _SIGNED.match(value):
            sign = 1 if m.group(1) == "+" else -1
            return _offset(today, sign * int(m.group(2)), m.group(3))
        if m := _OVER.match(value):
            return _offset(today, _amount(m.group(1)), m.group(2))
        if m := _AGO.match(value):
            return _offset(today, -_amount(m.group(1)), m.group(2))
    except (OverflowError, ValueError):
        raise _invalid(field, "Die datum ligt te ver weg.") from None
    if m := _ISO.match(value):
        return _build(int(m.group(3)), int(m.group(2)), int(m.group(1)), field)
    if m := _NUMERIC.match(value):
        return _build(int(m.group(1)), int(m.group(2)), _year(m.group(3), today, field), field)
    if m := _NAMED.match(value):
        month = _MONTH_BY_NAME.get(m.group(2))
        if month is None:
            raise _invalid(field, "Onbekende maand.")
        return _build(int(m.group(1)), month, _year(m.group(3), today, field), field)
    raise _invalid(field)


def parse_optional_date(text: str, today: date, field: str = "date") -> date | None:
    """Like parse_date, but an empty field means 'no date'."""
    if not str(text).strip():
        return None
    return parse_date(text, today, field)


def format_date(value: date | None) -> str:
    """dd-mm-jjjj, the form used on every screen; empty for no date."""
    return value.strftime("%d-%m-%Y") if value else ""


def format_time(moment: datetime) -> str:
    """hh:mm in the Netherlands."""
    return moment.astimezone(LOCAL_ZONE).strftime("%H:%M")


WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def format_date_long(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_day_long(value: date) -> str:
    """'maandag 23 november 2026'."""
    return f"{WEEKDAYS[value.weekday()]} {format_date_long(value)}"


def age_on(today: date, birth_year: int | None, birth_date: date | None = None) -> int | None:
    """Age in whole years; from the year alone it is the age reached this year."""
    if birth_date is not None:
        return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    if birth_year is not None:
        return today.year - birth_year
    return None


def check_not_before_birth(day: date, birth_year: int | None, birth_date: date | None, field: str) -> None:
    """Nothing about a resident can be dated before they were born (from the year alone: 1 January)."""
    born = birth_date or (date(birth_year, 1, 1) if birth_year else None)
    if born is not None and day < born:
        raise ValidationError(field, "Die datum ligt vóór de geboorte van de inwoner.")
