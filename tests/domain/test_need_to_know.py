"""The need-to-know rule (domain.need_to_know), for every combination hypothesis finds."""

from __future__ import annotations

import unicodedata
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkwerk_tui.domain import need_to_know
from wijkwerk_tui.domain.errors import ValidationError

ids = st.uuids()


@given(st.booleans(), st.frozensets(ids, max_size=4), st.one_of(st.none(), ids), st.booleans())
def test_a_file_opens_without_a_reason_exactly_when_the_rule_says(coordinator, areas, area, caseload) -> None:
    expected = coordinator or caseload or not areas or area is None or area in areas
    assert need_to_know.in_scope(coordinator, areas, area, caseload) == expected


@given(st.frozensets(ids, min_size=1, max_size=4), ids)
def test_a_worker_outside_his_areas_needs_a_reason(areas, area) -> None:
    if area not in areas:
        assert not need_to_know.in_scope(False, areas, area, caseload=False)
        assert need_to_know.in_scope(False, areas, area, caseload=True)
        assert need_to_know.in_scope(True, areas, area, caseload=False)


@given(st.frozensets(ids, max_size=6))
def test_areas_as_kept_read_back_the_same(areas) -> None:
    assert need_to_know.parse_areas(need_to_know.format_areas(areas)) == areas


@given(st.text(max_size=40))
def test_any_text_as_areas_never_raises(raw) -> None:
    assert all(isinstance(a, uuid.UUID) for a in need_to_know.parse_areas(raw))


@given(st.text(max_size=200))
def test_a_reason_is_refused_in_dutch_or_kept_clean(text) -> None:
    try:
        reason = need_to_know.check_reason(text)
    except ValidationError as refused:
        assert refused.field == "reason" and refused.message
    else:
        assert need_to_know.MIN_REASON <= len(reason) <= need_to_know.MAX_REASON
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in reason)  # (no control or format)


def test_a_short_reason_is_refused() -> None:
    with pytest.raises(ValidationError, match="minstens 10"):
        need_to_know.check_reason("  even  ")
