"""The report data's JSON codec (domain.wire): what the hub sends comes back as it was, and
whatever else arrives is refused with WireError, never another exception."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkwerk_tui.domain.report import ReportData
from wijkwerk_tui.domain.text import clean_note
from wijkwerk_tui.domain.wire import WireError, from_wire, to_wire

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _cleaned(value: Any) -> Any:
    """The value with every text in it as a note may be stored (domain.text.clean_note)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _cleaned(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(item) for item in value)
    return clean_note(value) if isinstance(value, str) else value


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for item in value.values() for t in _texts(item)]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return [value] if isinstance(value, str) else []


@settings(max_examples=150, deadline=None)
@given(st.from_type(ReportData))
def test_issue17_report_data_survives_the_trip_from_hub_to_laptop(data: ReportData) -> None:
    arrived = from_wire(ReportData, json.loads(json.dumps(to_wire(data))))
    assert arrived == _cleaned(data)  # as it was, its texts without control characters
    for text in _texts(to_wire(arrived)):
        assert all(ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf") for ch in text)


def test_issue17_an_escape_sequence_in_a_story_does_not_reach_the_laptops_screen() -> None:
    raw = to_wire("Buurman\x1b]52;c;ZWNobw==\x07 kwam langs\u202e\nvolgende week")
    assert from_wire(str, raw) == "Buurman]52;c;ZWNobw== kwam langs\nvolgende week"


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_issue17_anything_else_is_refused_cleanly(raw: object) -> None:
    try:
        taken = from_wire(ReportData, raw)
    except WireError:
        return
    assert isinstance(taken, ReportData)


@settings(max_examples=100, deadline=None)
@given(st.from_type(ReportData), st.sampled_from(["areas", "reached_total", "period", "ladders", "extra"]), json_values)
def test_issue17_a_field_of_the_wrong_kind_is_refused(data: ReportData, field: str, junk: object) -> None:
    wire = to_wire(data)
    if json.dumps(wire[field]) == json.dumps(junk):
        return
    wire[field] = junk
    try:
        taken = from_wire(ReportData, wire)
    except WireError:
        return
    if not isinstance(junk, dict):  # (an object may leave out fields that have defaults)
        assert to_wire(taken)[field] == junk  # taken only because it fits (an empty list, a number)


def test_issue17_unknown_and_missing_fields_are_refused() -> None:
    with pytest.raises(WireError):
        from_wire(ReportData, {"onbekend": 1})
    with pytest.raises(WireError):
        from_wire(ReportData, {"areas": []})


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (int, True),  # JSON's true is no count
        (int, 1.5),
        (str, 3),
        (tuple[str, int], ["a"]),  # a tuple of another length
        (tuple[str, int], ["a", 1, 2]),
        (list[int], {"a": 1}),
    ],
)
def test_issue17_values_that_do_not_fit_their_type_are_refused(kind: object, raw: object) -> None:
    with pytest.raises(WireError):
        from_wire(kind, raw)
