"""What people type or paste is text: no control, format or direction characters reach the data."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain import text as text_module
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.text import clean_line, clean_text, fold
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.store import residents

INVISIBLE = st.characters(categories=("Cc", "Cf"))
TEXT = st.text(st.one_of(INVISIBLE, st.characters(categories=("Lu", "Ll", "Zs", "Nd"))), max_size=60)


def _kinds(text: str) -> set[str]:
    return {unicodedata.category(ch) for ch in text}


@given(TEXT)
def test_hardening_17_one_line_fields_keep_no_control_or_format_character(value: str) -> None:
    cleaned = clean_line(value, "name", max_len=1000)
    assert not _kinds(cleaned) & {"Cc", "Cf"}
    # Every visible character stays, in order; only spacing may change.
    shown = [ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf") and not ch.isspace()]
    assert [ch for ch in cleaned if not ch.isspace()] == shown


@given(TEXT)
def test_hardening_17_notes_keep_line_breaks_and_nothing_else_invisible(value: str) -> None:
    cleaned = clean_text(value, "note", max_len=1000)
    assert not _kinds(cleaned) & {"Cf"}
    assert {ch for ch in cleaned if unicodedata.category(ch) == "Cc"} <= {"\n"}


def test_hardening_17_c1_bidi_and_zero_width_characters_are_gone() -> None:
    assert clean_line("\u202eTseT", "name", max_len=80) == "TseT"  # a right-to-left override
    assert clean_line("Jan\u0085sen\x9b", "name", max_len=80) == "Jan sen"  # C1 controls: like C0, spaces
    assert clean_line("Zero\u200bwidth \u2066Isolaat\u2069", "name", max_len=80) == "Zerowidth Isolaat"
    assert clean_text("regel 1\n\u202eregel 2\u200d\x9b", "note", max_len=80) == "regel 1\nregel 2"
    assert fold("Zero\u200bwidth") == "zerowidth"


def test_hardening_17_a_name_with_a_zero_width_character_is_found(db: Database) -> None:
    r = residents.add_resident(db, None, PersonalData("Anna", "", "Zero\u200bwidth", 1950), None, True)
    assert r.family_name == "Zerowidth"
    assert [row.id for row in search_residents(db, "zerowidth")] == [r.id]


@given(st.text() | st.text(st.characters(max_codepoint=127)))
def test_issue17_plain_ascii_folds_as_any_text_does(text: str) -> None:
    # (the fast path for ASCII names must give what the full Unicode path gives)
    assert fold(text) == text_module._fold_any(text)
