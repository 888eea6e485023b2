"""Issue 16: the import's pure cell readers (dates, ladder steps, yes/no, names) and the
header recogniser, as properties over generated cells plus a few worked examples.

Expected values are written from the rules the module docstrings state (Excel's day 0 is
30-12-1899, a two-digit year is never in the future, ...), never by calling the code.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wijkwerk_tui.domain import import_columns
from wijkwerk_tui.domain.import_cells import (
    CellError,
    read_birth_year,
    read_date,
    read_name,
    read_step,
    read_yes_no,
    split_family,
    text_of,
)
from wijkwerk_tui.domain.import_columns import (
    IGNORE,
    TARGETS,
    describe,
    guess,
    is_target,
    map_headers,
    normal_header,
)
from wijkwerk_tui.domain.ladders import Ladder, steps, top_step

TODAY = date(2026, 11, 23)
EXCEL_DAY_ZERO = date(1899, 12, 30)
MESSAGE = "cell not readable"  # all a CellError ever says outside the preview

SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
FULL_MONTHS = (
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
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}

PAST_DAYS = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)

# Any text, control characters included, and digits of other scripts (Ethiopic '፩',
# Kharosthi '𐩀': digits to str.isdigit(), not to float()).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",))) | st.sampled_from(["፩", "𐩀", "1፩", "12-3-፩፩"])
DATEISH_TEXT = st.lists(
    st.sampled_from([*"0123456789-/.' :tT’", "mrt", "mei", "okt", "jan", "ma"]),
    max_size=12,
).map("".join)


def _serial(day: date) -> int:
    return (day - EXCEL_DAY_ZERO).days


def _two_digit_year(two: int, today: date) -> int:
    """The latest year ending in `two` that is not after today's year."""
    return max(year for year in range(today.year - 99, today.year + 1) if year % 100 == two)


def _mixed_case(text: str, upper: list[bool]) -> str:
    flags = upper + [False] * len(text)
    return "".join(ch.upper() if flag else ch.lower() for ch, flag in zip(text, flags, strict=False))


def _quiet(error: CellError) -> None:
    """The reason may quote the cell; the exception itself never does."""
    assert str(error) == MESSAGE
    assert error.args == (MESSAGE,)
    assert repr(error) == f"CellError('{MESSAGE}')"


# --- read_date ---------------------------------------------------------------------------


@given(PAST_DAYS)
def test_issue16_a_date_reads_back_in_every_written_form(day: date) -> None:
    forms: list[object] = [
        day,
        datetime(day.year, day.month, day.day, 14, 30),
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        day.isoformat(),
        f"{day.isoformat()} 00:00:00",
        f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}",
        f"{day.day} {SHORT_MONTHS[day.month - 1].upper()}. {day.year}",
        f"{day.day} {FULL_MONTHS[day.month - 1]} {day.year}",
        f"  {day.day}-{FULL_MONTHS[day.month - 1].capitalize()}-{day.year}\t",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        text_of(day),
    ]
    for form in forms:
        assert read_date(form, TODAY) == (day, False), form


@given(PAST_DAYS)
def test_issue16_an_excel_serial_number_reads_as_its_day(day: date) -> None:
    serial = _serial(day)
    assume(serial >= 61 and not 1000 <= serial <= 9999)  # four digits are years (next test)
    assert read_date(serial, TODAY) == (day, False)
    assert read_date(float(serial), TODAY) == (day, False)
    assert read_date(f"{serial}.0", TODAY) == (day, False)  # a serial stored as text
    if len(str(serial)) != 4:  # four digits as text are a year (below)
        assert read_date(str(serial), TODAY) == (day, False)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (61, date(1900, 3, 1)),  # Excel's first day after its 29 February 1900 that never was
        (999, date(1902, 9, 25)),  # just below the years
        (10000, date(1927, 5, 18)),  # just above them
        (45000, date(2023, 3, 15)),
        (46349, date(2026, 11, 23)),
    ],
)
def test_issue16_excel_serial_examples(serial: int, expected: date) -> None:
    assert read_date(serial, TODAY) == (expected, False)


@given(st.integers(min_value=1900, max_value=TODAY.year + 1))
def test_issue16_a_number_that_could_be_a_year_is_a_year(year: int) -> None:
    assert read_date(year, TODAY) == (date(year, 1, 1), True)
    assert read_date(float(year), TODAY) == (date(year, 1, 1), True)
    assert read_date(str(year), TODAY) == (date(year, 1, 1), True)
    assert read_date(f" {year} ", TODAY) == (date(year, 1, 1), True)


def test_issue16_year_examples() -> None:
    assert read_date(1950, TODAY) == (date(1950, 1, 1), True)
    assert read_date(2027, TODAY) == (date(2027, 1, 1), True)  # next year is still a year
    assert read_date("1950", TODAY) == (date(1950, 1, 1), True)
    assert read_date(2028, TODAY) == (date(2028, 1, 1), True)  # four digits are a year, never 20-7-1905
    for value in ("1899", 1899, 1899.0, 9863, 60, 1):  # before 1900, past 2199, or Excel's days before March 1900
        with pytest.raises(CellError):
            read_date(value, TODAY)


@given(PAST_DAYS)
def test_issue16_a_two_digit_year_is_never_in_the_future(day: date) -> None:
    two = day.year % 100
    year = _two_digit_year(two, TODAY)
    expected = date(year, day.month, day.day)
    assert read_date(f"{day.day}-{day.month}-'{two:02d}", TODAY) == (expected, False)
    assert read_date(f"{day.day}-{day.month}-’{two:02d}", TODAY) == (expected, False)
    assert read_date(f"{day.day}-{day.month}-{two:02d}", TODAY) == (expected, False)
    assert read_date(f"{day.day} {SHORT_MONTHS[day.month - 1]} '{two:02d}", TODAY) == (expected, False)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2199, 12, 31)),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=28),
)
def test_issue16_the_two_digit_pivot_moves_with_today(today: date, two: int, month: int, day: int) -> None:
    expected = date(_two_digit_year(two, today), month, day)
    assert read_date(f"{day}-{month}-'{two:02d}", today) == (expected, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-3-'24", date(2024, 3, 12)),
        ("12-3-'26", date(2026, 3, 12)),
        ("1-12-'26", date(2026, 12, 1)),  # the year decides, not the day: this year is not the future
        ("12-3-'27", date(1927, 3, 12)),
        ("12-3-'00", date(2000, 3, 12)),
        ("12-3-'99", date(1999, 3, 12)),
        ("12 mrt 2024", date(2024, 3, 12)),
        ("12-mrt-24", date(2024, 3, 12)),
        ("12mrt2024", date(2024, 3, 12)),
        ("1 Mei 1950", date(1950, 5, 1)),
        ("3 oct 2020", date(2020, 10, 3)),
        ("3 sept 2020", date(2020, 9, 3)),
        ("2024-03-12T09:30", date(2024, 3, 12)),
    ],
)
def test_issue16_date_examples(text: str, expected: date) -> None:
    assert read_date(text, TODAY) == (expected, False)


def _impossible() -> st.SearchStrategy[tuple[int, int, int]]:
    years = st.integers(min_value=1900, max_value=2199)
    fixed = st.tuples(
        st.sampled_from([(30, 2), (31, 2), (31, 4), (31, 6), (31, 9), (31, 11), (32, 1), (0, 5), (12, 13), (1, 0)]),
        years,
    ).map(lambda t: (t[0][0], t[0][1], t[1]))
    not_leap = years.filter(lambda y: not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))).map(lambda y: (29, 2, y))
    return fixed | not_leap


@given(_impossible(), st.sampled_from(["numeric", "slash", "iso", "named"]))
def test_issue16_an_impossible_day_does_not_exist(dmy: tuple[int, int, int], form: str) -> None:
    day, month, year = dmy
    if form == "named":
        assume(1 <= month <= 12)
    text = {
        "numeric": f"{day}-{month}-{year}",
        "slash": f"{day:02d}/{month:02d}/{year}",
        "iso": f"{year}-{month:02d}-{day:02d}",
        "named": f"{day} {FULL_MONTHS[(month - 1) % 12]} {year}",
    }[form]
    with pytest.raises(CellError) as caught:
        read_date(text, TODAY)
    assert caught.value.reason.endswith("bestaat niet")
    _quiet(caught.value)
    assert text not in str(caught.value) and text not in repr(caught.value.args)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize(
    "text", ["31-02-2024", "30-02-2024", "31-04-2023", "29-02-2023", "29-2-1900", "2023-02-29", "31 apr 2024"]
)
def test_issue16_impossible_day_examples(text: str) -> None:
    with pytest.raises(CellError) as caught:
        read_date(text, TODAY)
    assert caught.value.reason == f"{text} bestaat niet"  # the preview shows the cell
    _quiet(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        None,
        True,
        False,
        "morgen",
        "12 foo 2024",
        "1-1-1899",
        "1-1-2200",
        "12.5",
        -3,
        0,
        1.5,
        float("nan"),
        float("inf"),
        10**9,
    ],
)
def test_issue16_not_a_date(value: object) -> None:
    with pytest.raises(CellError) as caught:
        read_date(value, TODAY)
    _quiet(caught.value)


@settings(max_examples=200)
@given(ANY_TEXT | DATEISH_TEXT)
def test_issue16_any_text_is_a_date_or_a_cell_error(text: str) -> None:
    try:
        day, year_only = read_date(text, TODAY)
    except CellError as error:
        _quiet(error)
        assert error.reason
    else:
        assert date(1900, 1, 1) <= day <= date(2199, 12, 31)
        assert not year_only or (day.month, day.day) == (1, 1)


@given(st.integers() | st.floats(allow_nan=True, allow_infinity=True))
def test_issue16_any_number_is_a_date_or_a_cell_error(number: float) -> None:
    try:
        day, year_only = read_date(number, TODAY)
    except CellError as error:
        _quiet(error)
    else:
        assert float(number).is_integer()
        assert year_only == (1000 <= number <= 9999)
        if year_only:
            assert day == date(int(number), 1, 1)
        else:
            assert day == EXCEL_DAY_ZERO + timedelta(days=int(number))


# --- read_birth_year ---------------------------------------------------------------------


@given(st.integers(min_value=1900, max_value=TODAY.year))
def test_issue16_a_birth_year_reads_as_itself(year: int) -> None:
    assert read_birth_year(year, TODAY) == year
    assert read_birth_year(str(year), TODAY) == year
    assert read_birth_year(float(year), TODAY) == year
    assert read_birth_year(date(year, 6, 15), TODAY) == year
    assert read_birth_year(f"15-6-{year}", TODAY) == year


@pytest.mark.parametrize(
    "value", [TODAY.year + 1, str(TODAY.year + 1), "1899", 1899, 2028, 3000, "2100", "onbekend", "", None]
)
def test_issue16_impossible_birth_years(value: object) -> None:
    with pytest.raises(CellError) as caught:
        read_birth_year(value, TODAY)
    _quiet(caught.value)


# --- read_step ---------------------------------------------------------------------------


def _ladder_and_step() -> st.SearchStrategy[tuple[Ladder, int]]:
    return st.sampled_from(list(Ladder)).flatmap(
        lambda ladder: st.tuples(st.just(ladder), st.integers(min_value=1, max_value=top_step(ladder)))
    )


@given(_ladder_and_step())
def test_issue16_a_step_reads_in_every_written_form(ladder_step: tuple[Ladder, int]) -> None:
    ladder, n = ladder_step
    forms: list[object] = [
        n,
        float(n),
        str(n),
        f"{n}.0",
        f"{n},0",
        f" {n} ",
        f"trede {n}",
        f"Trede {n}",
        f"stap {n}",
        f"niveau {n}",
        f"{n} - iets erachter",
        f"{n}: iets erachter",
        ROMAN[n],
        ROMAN[n].lower(),
        f"trede {ROMAN[n]}",
    ]
    for form in forms:
        assert read_step(form, ladder) == n, form


@given(_ladder_and_step(), st.lists(st.booleans(), max_size=60), st.sampled_from(["", " ", ".", "  "]))
def test_issue16_a_step_reads_by_its_label_in_any_case(
    ladder_step: tuple[Ladder, int], upper: list[bool], around: str
) -> None:
    ladder, n = ladder_step
    label = next(s.label for s in steps(ladder) if s.number == n)
    assert read_step(f"{around}{_mixed_case(label, upper)}{around}", ladder) == n
    assert read_step(label.upper(), ladder) == n


def test_issue16_every_label_reads_as_its_own_step() -> None:
    for ladder in Ladder:
        numbers = [s.number for s in steps(ladder)]
        assert numbers == list(range(1, top_step(ladder) + 1))
        for s in steps(ladder):
            assert read_step(s.label, ladder) == s.number
            assert read_step(f"{s.number} - {s.label}", ladder) == s.number


@pytest.mark.parametrize(
    ("text", "ladder", "expected"),
    [
        ("Betaald werk", Ladder.PARTICIPATION, 6),
        ("betaald werk met ondersteuning", Ladder.PARTICIPATION, 5),
        ("GEISOLEERD", Ladder.PARTICIPATION, 1),
        ("geïsoleerd", Ladder.PARTICIPATION, 1),
        ("algemene collectieve voorzieningen", Ladder.SUPPORT, 3),
        ("Maatwerk", Ladder.SUPPORT, 5),
        ("drie", Ladder.PARTICIPATION, 3),
        ("één", Ladder.SUPPORT, 1),
        ("trede vijf", Ladder.SUPPORT, 5),
        ("3 - Deelname georganiseerde activiteiten", Ladder.PARTICIPATION, 3),
    ],
)
def test_issue16_step_examples(text: str, ladder: Ladder, expected: int) -> None:
    assert read_step(text, ladder) == expected


def test_issue16_an_organisations_own_label_reads_too() -> None:
    labels = {2: "Contact met de buren"}
    assert read_step("contact met de buren", Ladder.PARTICIPATION, labels) == 2
    with pytest.raises(CellError):
        read_step("Contact met de buren", Ladder.PARTICIPATION)  # not a default label


@given(st.sampled_from(list(Ladder)), st.data())
def test_issue16_a_step_outside_the_ladder_is_a_cell_error(ladder: Ladder, data: st.DataObject) -> None:
    top = top_step(ladder)
    n = data.draw(st.sampled_from([0, top + 1, top + 2, 10, 99]))
    form = data.draw(st.sampled_from([n, float(n), str(n), f"trede {n}", f"{n}.0"]))
    with pytest.raises(CellError) as caught:
        read_step(form, ladder)
    assert "bestaat niet" in caught.value.reason
    _quiet(caught.value)


@pytest.mark.parametrize("ladder", list(Ladder))
@pytest.mark.parametrize(
    "value", ["onzin", "weet ik niet", "n.v.t.", "zeven", "VII", "", "   ", None, True, False, "-1", "2,5", "xyz"]
)
def test_issue16_nonsense_is_no_step(value: object, ladder: Ladder) -> None:
    with pytest.raises(CellError) as caught:
        read_step(value, ladder)
    _quiet(caught.value)


def test_issue16_the_support_ladder_has_no_sixth_step() -> None:
    for form in ("VI", "zes", "6", 6):
        with pytest.raises(CellError):
            read_step(form, Ladder.SUPPORT)
    assert read_step("VI", Ladder.PARTICIPATION) == 6


@settings(max_examples=200)
@given(ANY_TEXT, st.sampled_from(list(Ladder)))
def test_issue16_any_text_is_a_step_or_a_cell_error(text: str, ladder: Ladder) -> None:
    try:
        n = read_step(text, ladder)
    except CellError as error:
        _quiet(error)
    else:
        assert 1 <= n <= top_step(ladder)


# Any number: a fraction (2.5, 6.1e-05) is no step, nor is a number of thousands of digits.
WHOLE_NUMBERS = st.integers() | st.floats() | st.sampled_from([float("inf"), float("nan"), 2.5, "2.5", "1" * 5000])


@given(WHOLE_NUMBERS, st.sampled_from(list(Ladder)))
def test_issue16_any_number_is_a_step_or_a_cell_error(number: float, ladder: Ladder) -> None:
    try:
        n = read_step(number, ladder)
    except CellError as error:
        _quiet(error)
    else:
        assert n == number and 1 <= n <= top_step(ladder)


# --- read_yes_no -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ja", True),
        ("Ja", True),
        (" JA ", True),
        ("j", True),
        ("Yes", True),
        ("x", True),
        ("X", True),
        ("✓", True),
        ("akkoord", True),
        ("Gegeven", True),
        (True, True),
        (1, True),
        (1.0, True),
        ("nee", False),
        ("Nee", False),
        ("NEE ", False),
        ("n", False),
        ("no", False),
        ("-", False),
        ("geweigerd", False),
        (False, False),
        (0, False),
        (0.0, False),
        (None, None),
        ("", None),
        ("   ", None),
        ("\t", None),
    ],
)
def test_issue16_yes_no_examples(value: object, expected: bool | None) -> None:
    assert read_yes_no(value) is expected


@pytest.mark.parametrize("value", ["misschien", "jawel", "2", 2, "ja nee", "?", "nee!"])
def test_issue16_other_text_is_no_yes_or_no(value: object) -> None:
    with pytest.raises(CellError) as caught:
        read_yes_no(value)
    _quiet(caught.value)


@given(ANY_TEXT)
def test_issue16_any_text_is_yes_no_empty_or_a_cell_error(text: str) -> None:
    try:
        answer = read_yes_no(text)
    except CellError as error:
        _quiet(error)
    else:
        assert answer in (True, False, None)
        assert (answer is None) == (text_of(text) == "")


# --- text_of -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "ja"),
        (False, "nee"),
        (3.0, "3"),
        (3.5, "3.5"),
        (3, "3"),
        (date(2024, 3, 2), "02-03-2024"),
        (datetime(2024, 3, 2, 10, 5), "02-03-2024"),
        ("  Anna \t de\nVries ", "Anna de Vries"),
        ("An\u200bna", "Anna"),
    ],
)
def test_issue16_text_of_examples(value: object, expected: str) -> None:
    assert text_of(value) == expected


@given(ANY_TEXT)
def test_issue16_text_of_is_one_trimmed_line(text: str) -> None:
    shown = text_of(text)
    assert shown == shown.strip()
    assert "  " not in shown
    assert not any(ch in shown for ch in "\n\r\t\x1b\x00\u2028\u2029\u200b\u202e")


# --- read_name and split_family ----------------------------------------------------------

_PREFIX_WORDS = {"van", "der", "den", "de", "'t", "in", "op", "uit", "ter", "ten", "te", "het"}
_PREFIX_WORDS |= {"le", "la", "du", "da", "di", "von"}
NAME_WORD = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("ABCDEFGHIJKLMNOPRSTUVWZÖÉ"),
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzëéïöü"), min_size=1, max_size=10),
).filter(lambda word: word.lower() not in _PREFIX_WORDS)
PREFIX = st.sampled_from(["", "de", "van", "van der", "ten"])
SPACE = st.sampled_from(["", " ", "  ", "\t"])


@given(NAME_WORD, PREFIX, st.lists(NAME_WORD, min_size=1, max_size=2).map(" ".join), SPACE, SPACE)
def test_issue16_a_name_reads_the_same_in_every_order(
    given_name: str, prefix: str, family: str, before: str, after: str
) -> None:
    expected = (given_name, prefix, family)
    forms = [
        f"{family}, {given_name} {prefix}",
        f"{prefix} {family}, {given_name}",
        f"{given_name} {prefix} {family}",
        f"{before}{family} ,  {given_name}  {prefix}{after}",
        f"{before}{prefix}  {family},{given_name}{after}",
        f"{before}{given_name}  {prefix}   {family}{after}",
    ]
    for form in forms:
        assert read_name(form) == expected, form


@pytest.mark.parametrize("text", ["Vries, Anna de", "de Vries, Anna", "Vries de, Anna", "Anna de Vries"])
def test_issue16_name_examples(text: str) -> None:
    assert read_name(text) == ("Anna", "de", "Vries")


def test_issue16_more_name_examples() -> None:
    assert read_name("Berg, Jan van den") == ("Jan", "van den", "Berg")
    assert read_name("Van Der Berg, Jan") == ("Jan", "van der", "Berg")
    assert read_name("Jan van 't Hof") == ("Jan", "van 't", "Hof")
    assert read_name("Jansen") == ("", "", "Jansen")
    assert read_name("Anna Jansen") == ("Anna", "", "Jansen")
    assert read_name("Jansen, Anna Maria") == ("Anna Maria", "", "Jansen")
    assert read_name("Jan de") == ("Jan", "", "de")  # a prefix alone is the family name
    assert read_name(None) == ("", "", "")


@given(NAME_WORD, st.sampled_from(["de", "van", "van der", "van den", "ten", "van 't", "in 't", "op de"]))
def test_issue16_split_family_finds_the_prefix_front_or_back(family: str, prefix: str) -> None:
    assert split_family(f"{prefix} {family}") == (prefix, family)
    assert split_family(f"{family} {prefix}") == (prefix, family)
    assert split_family(f"{prefix.title()} {family}") == (prefix, family)
    assert split_family(family) == ("", family)


def test_issue16_split_family_keeps_a_lone_prefix_word() -> None:
    assert split_family("de") == ("", "de")
    assert split_family("Vries") == ("", "Vries")


# --- import_columns ----------------------------------------------------------------------

# The module's own header table (private, read here on purpose: every word in it must work).
HEADER_TABLE: dict[str, str] = dict(import_columns._HEADERS)
assert "clientnaam" in HEADER_TABLE  # "Cliëntnaam", as `normal_header` folds it

_ACCENTS = {"a": "á", "e": "é", "i": "ï", "o": "ö", "u": "ü"}


@st.composite
def _written_like_a_person(draw: st.DrawFn, key: str) -> str:
    """`key` as someone might type it in a header cell: any case, accents, dots, spacing."""
    words = key.split()
    seps = [draw(st.sampled_from([" ", "  ", ". ", "_", "-", " / "])) for _ in words[1:]]
    text = words[0] + "".join(sep + word for sep, word in zip(seps, words[1:], strict=True))
    out = []
    for ch in text:
        letter = _ACCENTS[ch] if ch in _ACCENTS and draw(st.booleans()) else ch
        out.append(letter.upper() if draw(st.booleans()) else letter)
    end = draw(st.sampled_from(["", ".", ":", " *"]))
    return draw(SPACE) + "".join(out) + end + draw(SPACE)


@given(st.sampled_from(sorted(HEADER_TABLE)).flatmap(lambda key: st.tuples(st.just(key), _written_like_a_person(key))))
def test_issue16_every_known_header_is_recognised_however_written(key_and_header: tuple[str, str]) -> None:
    key, header = key_and_header
    assert guess(header) == HEADER_TABLE[key], header


def test_issue16_every_known_header_as_written_in_the_table() -> None:
    for key, target in HEADER_TABLE.items():
        assert guess(key) == target
        assert guess(key.upper()) == target
        assert guess(f"  {key.title()}.  ") == target
        assert target in TARGETS


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Geb. jaar", "birth_year"),
        ("GEBOORTEDATUM", "birth_date"),
        ("Géboortedatum ", "birth_date"),
        ("E-mail", "email"),
        ("e_mail", "email"),
        ("Tel.", "phone"),
        ("Telnr", "phone"),
        ("Cliënt", "name"),
        ("Naam inwoner:", "name"),
        ("Toestemming (AVG)", "consent"),
        ("PL 2024", "participation@2024"),
        ("VL 2025", "support@2025"),
        ("PL 1-3-2025", "participation@2025-03-01"),
        ("vl 01/03/2025", "support@2025-03-01"),
        ("Trede PL 2024", "participation@2024"),
        ("PL trede 2024", "participation@2024"),
        ("Participatieladder 2023", "participation@2023"),
        ("Verantwoordelijkheidsladder 31-12-2024", "support@2024-12-31"),
        ("PL 31-2-2024", None),
        ("XY 2024", None),
        ("Schoenmaat", None),
        ("", None),
        ("  ...  ", None),
    ],
)
def test_issue16_header_examples(header: str, expected: str | None) -> None:
    assert guess(header) == expected


WIDE_WORDS = {
    "PL": "participation",
    "Participatie": "participation",
    "Participatieladder": "participation",
    "VL": "support",
    "Verantwoordelijkheid": "support",
    "Verantwoordelijkheidsladder": "support",
}


@given(
    st.sampled_from(sorted(WIDE_WORDS)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)),
    st.sampled_from(["-", "/", "."]),
)
def test_issue16_a_wide_ladder_column_carries_its_year_or_date(word: str, day: date, sep: str) -> None:
    ladder = WIDE_WORDS[word]
    by_year = guess(f"{word} {day.year}")
    by_date = guess(f"{word} {day.day}{sep}{day.month}{sep}{day.year}")
    assert by_year == f"{ladder}@{day.year}"
    assert by_date == f"{ladder}@{day.isoformat()}"
    for target in (by_year, by_date):
        assert is_target(target)
    name = "Participatieladder" if ladder == "participation" else "Verantwoordelijkheidsladder"
    assert describe(by_year) == f"{name} {day.year}"
    assert describe(by_date) == f"{name} {day.day:02d}-{day.month:02d}-{day.year}"


HEADERS = (
    st.sampled_from(sorted(HEADER_TABLE))
    | st.sampled_from(["PL 2024", "VL 2024", "PL 1-3-2025", "pl 2024", "Schoenmaat", "", "Naam"])
    | st.text(max_size=8)
)


@given(st.lists(HEADERS, max_size=12))
def test_issue16_map_headers_uses_a_target_once(headers: list[str]) -> None:
    mapped = map_headers(headers)
    assert len(mapped) == len(headers)
    used = [t for t in mapped if t is not None and t != IGNORE]
    assert len(used) == len(set(used))
    seen: set[str] = set()
    for header, target in zip(headers, mapped, strict=True):
        guessed = guess(header)
        if guessed is None or guessed in seen:
            assert target is None
        else:
            assert target == guessed  # the first column with a target keeps it
            seen.add(guessed)


def test_issue16_a_second_name_column_is_left_out() -> None:
    assert map_headers(["Naam", "Naam inwoner", "Geb. jaar", "Geboortejaar"]) == [
        "name",
        None,
        "birth_year",
        None,
    ]


@given(
    st.lists(HEADERS, min_size=1, max_size=8),
    st.data(),
)
def test_issue16_a_saved_mapping_wins_over_the_guess(headers: list[str], data: st.DataObject) -> None:
    chosen = data.draw(st.sampled_from(list(range(len(headers)))))
    header = headers[chosen]
    assume(normal_header(header))
    key = normal_header(header)
    first = next(i for i, h in enumerate(headers) if normal_header(h) == key)
    target = data.draw(st.sampled_from(sorted(TARGETS)))
    mapped = map_headers(headers, {key: target})
    assert mapped[first] == target  # before any column's guess, wherever the column stands


def test_issue16_saved_mapping_examples() -> None:
    saved = {"naam": "note", "opmerking": IGNORE, "kolom 7": "area"}
    assert map_headers(["Naam", "Opmerking", "Kolom 7", "Kern"], saved) == ["note", IGNORE, "area", None]
    assert map_headers(["Opmerking", "Opmerking"], saved) == [IGNORE, IGNORE]  # ignore may repeat


@given(st.sampled_from(sorted(TARGETS)))
def test_issue16_every_target_is_a_target(target: str) -> None:
    assert is_target(target)
    assert describe(target) == TARGETS[target]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "naam",
        "Name",
        "name ",
        "participation@",
        "participation@24",
        "participation@20245",
        "support@2025-13-01",
        "support@2025-02-30",
        "name@2024",
        "ignore@2024",
        "date@2024-01-01",
        "@2024",
        "@",
    ],
)
def test_issue16_junk_is_not_a_target(value: str) -> None:
    assert not is_target(value)


@given(st.text(max_size=20))
def test_issue16_is_target_agrees_with_the_list_of_targets(value: str) -> None:
    if "@" not in value:
        assert is_target(value) == (value in TARGETS)


def test_issue16_ladder_targets_need_no_date_when_plain() -> None:
    # "participation" on its own is a long-format column ("Trede" next to "Datum").
    assert is_target("participation")
    assert is_target("support")
    assert is_target("participation@2024")
    assert is_target("support@2025-03-01")
    assert describe(None).startswith("?")
    assert describe("participation@2024") == "Participatieladder 2024"
    assert describe("support@2025-03-01") == "Verantwoordelijkheidsladder 01-03-2025"


def test_issue16_normal_header_examples() -> None:
    assert normal_header("Geb. jaar ") == "geb jaar"
    assert normal_header("E-mail_adres") == "e mail adres"
    assert normal_header("  Cliënt  ") == "client"
    assert normal_header("...") == ""


@given(ANY_TEXT)
def test_issue16_guess_never_fails_and_gives_a_target(header: str) -> None:
    target = guess(header)
    assert target is None or is_target(target)


def test_issue16_dates_round_trip_through_text_of() -> None:
    day = date(1950, 1, 1)
    while day <= TODAY:
        assert read_date(text_of(day), TODAY) == (day, False)
        day += timedelta(days=397)


def test_issue16_a_word_several_steps_share_is_no_step() -> None:
    for word in ("werk", "eige", "ocia"):  # in three labels, or no whole word of any
        with pytest.raises(CellError):
            read_step(word, Ladder.PARTICIPATION if word == "werk" else Ladder.SUPPORT)
    assert read_step("werk met ondersteuning", Ladder.PARTICIPATION) == 5
    assert read_step("eigen kracht", Ladder.SUPPORT) == 1
