"""Issue 16: is a name from a spreadsheet someone already on file? The family name by its
sound, the given name by its initial or first letters, and the birth year must agree."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from wijkwerk_tui.domain.names import phonetic_key
from wijkwerk_tui.domain.person_match import Likeness, Named, likeness
from wijkwerk_tui.domain.text import fold

SAME, SIMILAR, NAME_ONLY = Likeness.SAME, Likeness.SIMILAR, Likeness.NAME_ONLY


def person(given: str, family: str, year: int | None, prefix: str = "", born: date | None = None) -> Named:
    return Named(given, prefix, family, year, born)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (person("Anna", "Jansen", 1935), person("Anna", "Janssen", 1935), SIMILAR),
        (person("Anna", "Jansen", 1935), person("Anna", "Janssen", 1953), None),
        (person("Anna", "Jansen", 1935), person("Anna", "Jansen", 1935), SAME),
        (person("anna", "JANSEN", 1935), person("Anna", "Jansen", 1935), SAME),  # case is not a difference
        (person("Anna", "Jansen", 1935), person("Anna", "Jansen", 1953), None),
        (person("Kees", "Meijer", 1948), person("Kees", "Meyer", 1948), SIMILAR),
        (person("Kees", "Meijer", 1948), person("Kees", "Meyer", 1949), None),
        (person("A.", "Jansen", 1935), person("Anna", "Jansen", 1935), SIMILAR),
        (person("A", "Jansen", 1935), person("Anna", "Jansen", 1935), SIMILAR),
        (person("B.", "Jansen", 1935), person("Anna", "Jansen", 1935), None),
        (person("Johanna", "Jansen", 1935), person("Johan", "Jansen", 1935), SIMILAR),  # first three letters
        (person("Piet", "Jansen", 1935), person("Klaas", "Jansen", 1935), None),
        (person("Jo", "Jansen", 1935), person("Johan", "Jansen", 1935), None),  # two letters are too few
        (person("", "Jansen", 1935), person("Anna", "Jansen", 1935), SIMILAR),  # no given name on one side
        (person("Anna", "Jansen", 1935), person("Anna", "Pietersen", 1935), None),
        (person("Gerrit", "Vries", 1950, "de"), person("Gerrit", "Vries", 1950, "de"), SAME),
        (person("Gerrit", "de Vries", 1950), person("Gerrit", "Vries", 1950, "de"), SIMILAR),
        (person("Gerrit", "Vries", 1950, "de"), person("Gerrit", "Vries", 1950), SIMILAR),  # prefix differs
        (person("Jan", "Smit", 1960), person("Jan", "Smidt", 1960), SIMILAR),
        (person("Jan", "Müller", 1960), person("Jan", "Muller", 1960), SAME),  # accents are not a difference
        (person("Jan", "Jansen", None), person("Jan", "Jansen", None), SAME),
        (person("Jan", "Jansen", 1960), person("Jan", "Jansen", None), NAME_ONLY),
        (person("Jan", "Jansen", None), person("Jan", "Jansen", 1960), NAME_ONLY),
        (person("Jan", "Jansen", 1960), person("Jan", "Janssen", None), None),  # a guess needs the very name
        (person("Jan", "J", 1960), person("Jan", "J", 1960), None),  # too short to compare by sound
        (person("Jan", "", 1960), person("Jan", "", 1960), None),
    ],
)
def test_issue16_likeness_examples(a: Named, b: Named, expected: Likeness | None) -> None:
    assert likeness(a, b) == expected
    assert likeness(b, a) == expected


def test_issue16_a_birth_date_outweighs_the_year() -> None:
    a = person("Anna", "Jansen", 1935, born=date(1935, 3, 1))
    assert likeness(a, person("Anna", "Jansen", 1935, born=date(1935, 3, 1))) == SAME
    assert likeness(a, person("Anna", "Jansen", 1935, born=date(1935, 3, 2))) is None
    assert likeness(a, person("Anna", "Janssen", 1935, born=date(1935, 3, 1))) == SIMILAR
    assert likeness(a, person("Anna", "Janssen", 1935)) == SIMILAR  # a date on one side: the years decide


# Names close enough to collide often (Jansen = Janssen, Meijer = Meyer, Smit = Smidt), so
# the properties below see matches as well as misses.
GIVEN = st.sampled_from(["Anna", "A.", "A", "Anne", "Annemiek", "Piet", "P.", "Pieter", "Klaas", "", "ANNA", "Ánna"])
FAMILY = st.sampled_from(
    ["Jansen", "Janssen", "JANSEN", "Meijer", "Meyer", "Meier", "Smit", "Smidt", "Vries", "de Vries", "Müller", "J"]
)
PREFIX = st.sampled_from(["", "de", "van", "van der"])
YEAR = st.none() | st.integers(min_value=1930, max_value=1933)


@st.composite
def people(
    draw: st.DrawFn, names: st.SearchStrategy[str] = FAMILY, years: st.SearchStrategy[int | None] = YEAR
) -> Named:
    year = draw(years)
    born = None
    if year is not None and draw(st.booleans()):
        born = draw(st.dates(min_value=date(year, 1, 1), max_value=date(year, 1, 3)))
    return Named(draw(GIVEN), draw(PREFIX), draw(names), year, born)


ANY_PERSON = people(FAMILY | st.text(max_size=10))


@given(ANY_PERSON, ANY_PERSON)
def test_issue16_likeness_is_symmetric(a: Named, b: Named) -> None:
    assert likeness(a, b) == likeness(b, a)


GIVEN_GROUPS = (
    ("Anna", "A.", "A", "a", "Anne", "Annemiek", "ANNA", "Ánna", "An"),
    ("Piet", "P.", "Pieter", "Pietje", "p", ""),
)
FAMILY_GROUPS = (("Jansen", "Janssen", "JANSEN"), ("Meijer", "Meyer"), ("Smit", "Smidt"), ("Vries", "de Vries"))


@st.composite
def look_alikes(draw: st.DrawFn) -> tuple[Named, Named]:
    """Two people from one group of given names and one of family names, mostly born in the
    same year: many pairs match, so every rule of `likeness` is reached."""
    givens = draw(st.sampled_from(GIVEN_GROUPS))
    families = draw(st.sampled_from(FAMILY_GROUPS))
    year = draw(st.integers(min_value=1930, max_value=1940))

    def one() -> Named:
        own_year = draw(st.sampled_from([year, year, year, None, year + 1]))
        born = None
        if own_year is not None and draw(st.booleans()):
            born = date(own_year, 1, draw(st.integers(min_value=1, max_value=2)))
        prefix = draw(st.sampled_from(["", "", "de"]))
        return Named(draw(st.sampled_from(givens)), prefix, draw(st.sampled_from(families)), own_year, born)

    return one(), one()


@given(look_alikes())
def test_issue16_likeness_is_symmetric_among_look_alikes(pair: tuple[Named, Named]) -> None:
    a, b = pair
    assert likeness(a, b) == likeness(b, a)


@given(st.data(), st.integers(min_value=1930, max_value=1932), st.integers(min_value=1, max_value=2))
def test_issue16_different_birth_years_never_match(data: st.DataObject, year: int, gap: int) -> None:
    names = FAMILY | st.text(max_size=10)
    a = data.draw(people(names, st.just(year)))
    b = data.draw(people(names, st.just(year + gap)))
    assert likeness(a, b) is None
    assert likeness(b, a) is None


@given(people(), st.integers(min_value=1, max_value=60))
def test_issue16_a_year_apart_is_another_person(a: Named, gap: int) -> None:
    assume(a.birth_year is not None)
    other = Named(a.given, a.prefix, a.family, a.birth_year + gap, None)
    assert likeness(a, other) is None
    assert likeness(other, a) is None


@given(ANY_PERSON)
def test_issue16_a_person_is_the_same_as_themselves(a: Named) -> None:
    expected = SAME if len(phonetic_key(a.family)) >= 2 else None
    assert likeness(a, a) == expected


@given(look_alikes() | st.tuples(people(), people()))
def test_issue16_a_match_has_the_same_sound_and_a_fitting_given_name(pair: tuple[Named, Named]) -> None:
    a, b = pair
    verdict = likeness(a, b)
    if verdict is None:
        return
    assert phonetic_key(a.family) == phonetic_key(b.family)
    ga, gb = fold(a.given).rstrip("."), fold(b.given).rstrip(".")
    if ga and gb:
        assert ga[0] == gb[0]
    if verdict == NAME_ONLY:
        assert (a.birth_year is None) != (b.birth_year is None)
    if verdict == SIMILAR:
        assert a.birth_year == b.birth_year is not None


@given(
    # ("Meijer", "Meier") is left out: phonetic_key gives "meyer" and "myer" (a known gap,
    # reported with issue 16; add the pair once "eij" and "ei" sound alike).
    st.sampled_from([("Jansen", "Janssen"), ("Meijer", "Meyer"), ("Rijnders", "Reinders"), ("Smit", "Smidt")]),
    st.integers(min_value=1900, max_value=2026),
)
def test_issue16_spelling_variants_match_in_the_same_year(pair: tuple[str, str], year: int) -> None:
    one, other = pair
    assert likeness(person("Anna", one, year), person("Anna", other, year)) == SIMILAR
    assert likeness(person("Anna", one, year), person("Anna", other, year + 18)) is None
