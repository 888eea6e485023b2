"""The report data's JSON codec (domain.wire): what the hub sends comes back as it was, and
whatever else arrives is refused with WireError, never another exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkwerk_tui.domain.report import ReportData
from wijkwerk_tui.domain.wire import WireError, from_wire, to_wire

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.from_type(ReportData))
def test_issue17_report_data_survives_the_trip_from_hub_to_laptop(data: ReportData) -> None:
    assert from_wire(ReportData, json.loads(json.dumps(to_wire(data)))) == data


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
