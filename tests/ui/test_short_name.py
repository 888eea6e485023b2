"""The ladder history's "Door" column: a long worker name is shortened to given name and
initial, never cut mid-word."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wijkwerk_tui.ui.screens.resident.resident import short_name

WORD = st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=12)


@given(st.lists(WORD, min_size=1, max_size=5))
def test_a_name_fits_or_becomes_given_name_and_initial(words: list[str]) -> None:
    name = " ".join(words)
    short = short_name(name)
    if len(name) <= 14 or len(words) == 1:
        assert short == name
    else:
        assert short == f"{words[0]} {words[-1][0]}." and len(short) <= 16


def test_examples() -> None:
    assert short_name("Lotte van den Brink") == "Lotte B."
    assert short_name("Anke Boerema") == "Anke Boerema"
