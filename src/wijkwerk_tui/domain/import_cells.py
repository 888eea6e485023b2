"""Reading one spreadsheet cell as a date, a ladder step, a name or a yes/no.

Spreadsheets made by hand hold anything: Excel serial numbers, `12-3-'24`, `12 mrt 2024`,
roman numerals, a step's words, trailing spaces. Each reader returns the value or raises
CellError with a short Dutch reason; the import puts row and column in front of it. The
reason may quote the cell (the coordinator must see what was wrong), so a CellError never
leaves the import's preview: it is not a DomainError and is never logged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from wijkwerk_tui.domain.dates import MONTHS
from wijkwerk_tui.domain.ladders import Ladder, steps, top_step
from wijkwerk_tui.domain.names import PREFIXES, split_full_name
from wijkwerk_tui.domain.text import fold, visible_line

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts 1900 as a leap year; this absorbs it)
FIRST_YEAR = 1900
# Serial numbers from 1-3-1900 (before it Excel counts a 29 February 1900 that never was) to
# 31-12-2199. Whole numbers of four digits are years, never serials (1950 is not 3-5-1905).
_SERIALS = range(61, (date(2199, 12, 31) - EXCEL_EPOCH).days + 1)
_YEARS = range(1000, 10000)

_MONTH_WORDS: dict[str, int] = {name: i for i, name in enumerate(MONTHS, start=1)}
_MONTH_WORDS.update({name[:3]: i for i, name in enumerate(MONTHS, start=1)})
_MONTH_WORDS.update({"mrt": 3, "mar": 3, "sept": 9, "okt": 10, "oct": 10, "may": 5, "mei": 5})

# ASCII digits only: other scripts' digits are no dates, and int() would not read them all.
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.]('?\d{2}|\d{4})$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$", re.ASCII)
_NAMED = re.compile(r"^(\d{1,2})[ -]?([a-z]+)\.?[ -]?('?\d{2}|\d{4})$", re.ASCII)
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
_SERIAL_TEXT = re.compile(r"^\d{1,6}(?:\.\d{1,12})?$", re.ASCII)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_WORDS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6}
# "3", "3.0", "trede 3", "3 - Deelname..." or "3. Deelname"; not "2.5" (no step is half).
_STEP_NUMBER = re.compile(r"^(?:trede|stap|niveau)?\s*(\d{1,3})(?:[.,]0+)?(?:\s*[-:.)]\s*(?!\d).*)?$", re.ASCII)

YES = frozenset({"ja", "j", "yes", "y", "x", "1", "waar", "true", "akkoord", "gegeven", "v", "✓", "✔"})
NO = frozenset({"nee", "n", "no", "0", "onwaar", "false", "geen", "niet", "geweigerd", "-"})


class CellError(ValueError):
    """One cell could not be read; `reason` is Dutch (it may quote the cell: preview only)."""

    def __init__(self, reason: str) -> None:
        super().__init__("cell not readable")  # the reason stays out of any traceback
        self.reason = reason


def text_of(value: object) -> str:
    """What a cell shows, on one line: 3.0 as 3, a date as 12-03-2024, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return visible_line(str(value))


def _full_year(text: str, today: date) -> int:
    """'24 and 24 -> 2024; '35 -> 1935 (a two-digit year is never in the future)."""
    digits = text.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    century = today.year - today.year % 100
    year = century + int(digits)
    return year - 100 if year > today.year else year


def _build(day: int, month: int, year: int, shown: str) -> date:
    if not FIRST_YEAR <= year <= 2199:
        raise CellError(f"{shown}: jaar {year} kan niet")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"{shown} bestaat niet") from None


def read_date(value: object, today: date) -> tuple[date, bool]:
    """A cell as a date, and whether it held only a year (1950, '2024': the caller decides
    which day of that year it means)."""
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, bool):
        raise CellError(f"{text_of(value)} is geen datum")
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and int(number) in _YEARS:
            return _build(1, 1, int(number), text_of(value)), True  # a year typed as a number
        if number.is_integer() and int(number) in _SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(number)), False
        raise CellError(f"{text_of(value)} is geen datum")
    shown = text_of(value)
    text = " ".join(fold(shown).replace("’", "'").split())
    if not text:
        raise CellError("geen datum")
    if m := _YEAR.match(text):
        return _build(1, 1, int(m.group(1)), shown), True
    if m := _ISO.match(text):
        return _build(int(m.group(3)), int(m.group(2)), int(m.group(1)), shown), False
    if m := _NUMERIC.match(text):
        return _build(int(m.group(1)), int(m.group(2)), _full_year(m.group(3), today), shown), False
    if m := _NAMED.match(text):
        month = _MONTH_WORDS.get(m.group(2))
        if month is None:
            raise CellError(f"{shown}: onbekende maand")
        return _build(int(m.group(1)), month, _full_year(m.group(3), today), shown), False
    if _SERIAL_TEXT.match(text):  # a serial number stored as text
        return read_date(float(text), today)
    raise CellError(f"{shown} is geen datum (bijv. 12-3-2024)")


def read_step(value: object, ladder: Ladder, labels: Mapping[int, str] | None = None) -> int:
    """A ladder step as a number (3, '3.0', 'trede 3', '3 - Deelname...'), a roman numeral
    (III) or the step's own words ('werk met ondersteuning')."""
    top = top_step(ladder)
    shown = text_of(value)
    text = fold(shown)
    number: int | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer() or abs(value) > 1000:
            raise CellError(f"{shown} is geen trede (een getal van 1 tot en met {top})")
        number = int(value)
    elif m := _STEP_NUMBER.match(text):
        number = int(m.group(1))
    elif (bare := text.removeprefix("trede ").strip()) in _ROMAN or bare in _WORDS:
        number = _ROMAN.get(bare) or _WORDS[bare]
    if number is not None:
        if not 1 <= number <= top:
            raise CellError(f"trede {shown} bestaat niet (1 tot en met {top})")
        return number
    words = " ".join(re.sub(r"[^\w ]", " ", text).split())
    if words:
        named = [(s.number, " ".join(re.sub(r"[^\w ]", " ", fold(s.label)).split())) for s in steps(ladder, labels)]
        exact = [n for n, label in named if label == words]
        if exact:  # 'betaald werk' is step 6 itself, though step 5 holds the words too
            return exact[0]
        # Whole words of one step's name ('werk met ondersteuning'); 'werk' alone fits three.
        within = [n for n, label in named if f" {words} " in f" {label} "]
        if len(within) == 1:
            return within[0]
    choices = f"een getal van 1 tot en met {top}, I-{_roman(top)} of de naam van de trede"
    raise CellError(f"{shown} is geen trede ({choices})")


def _roman(number: int) -> str:
    return next(k for k, v in _ROMAN.items() if v == number).upper()


def read_yes_no(value: object) -> bool | None:
    if value is None or text_of(value) == "":
        return None
    if isinstance(value, bool):
        return value
    text = fold(text_of(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(f"{text_of(value)}: vul ja of nee in")


def read_birth_year(value: object, today: date) -> int:
    try:
        day, _year_only = read_date(value, today)
    except CellError:
        raise CellError(f"{text_of(value)}: een geboortejaar van {FIRST_YEAR} tot en met {today.year}") from None
    if not FIRST_YEAR <= day.year <= today.year:
        raise CellError(f"{text_of(value)}: een geboortejaar van {FIRST_YEAR} tot en met {today.year}")
    return day.year


_PREFIX_WORDS = frozenset(word for prefix in PREFIXES for word in prefix.split())


def split_family(family: str) -> tuple[str, str]:
    """'de Vries' -> ('de', 'Vries'); 'Vries de' -> ('de', 'Vries'); 'Vries' -> ('', 'Vries')."""
    words = family.split()
    front: list[str] = []
    while len(words) > 1 and words[0].lower() in _PREFIX_WORDS:
        front.append(words.pop(0).lower())
    back: list[str] = []
    while len(words) > 1 and words[-1].lower() in _PREFIX_WORDS:
        back.insert(0, words.pop().lower())
    return " ".join(front or back), " ".join(words)


def read_name(value: object) -> tuple[str, str, str]:
    """'Vries, Anna de', 'de Vries, Anna', 'Vries de, Anna' and 'Anna de Vries' all give
    ('Anna', 'de', 'Vries')."""
    text = text_of(value)
    given, prefix, family = split_full_name(text)
    if "," in text:
        moved, family = split_family(family)
        prefix = " ".join(p for p in (moved, prefix) if p)
    return given, prefix, family
