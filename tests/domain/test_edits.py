"""Hardening 4, the rule: only what the worker changed is written; a field changed here and
there since the form opened refuses the save, with the other value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkwerk_tui.domain.edits import Base, EditConflict, changes

FIELDS = ["phone", "email", "area", "consent"]
values = st.sampled_from(["", "a", "b", None])
rows = st.fixed_dictionaries(dict.fromkeys(FIELDS, values))


@given(rows, rows, rows)
def test_hardening_04_merge_keeps_both_sides_or_refuses(base_values, mine, current) -> None:
    base = Base(1, base_values)
    mine_changed = {k for k in FIELDS if mine[k] != base_values[k]}
    theirs_changed = {k for k in FIELDS if current[k] != base_values[k]}
    clash = {k for k in mine_changed & theirs_changed if mine[k] != current[k]}
    if clash:
        with pytest.raises(EditConflict) as refused:
            changes(base, mine, current, 2)
        assert set(refused.value.theirs) == clash
        assert all(refused.value.theirs[k] == current[k] for k in clash)
        assert str(refused.value) == refused.value.message  # the other values are not in the message
        return
    written = changes(base, mine, current, 2)
    after = {**current, **written}
    for k in FIELDS:
        assert after[k] == (mine[k] if k in mine_changed else current[k])  # nobody's change is lost


@given(rows, rows, rows)
def test_hardening_04_an_unmoved_row_takes_exactly_what_was_changed(base_values, mine, current) -> None:
    written = changes(Base(7, base_values), mine, current, 7)
    assert written == {k: v for k, v in mine.items() if base_values[k] != v}


@given(rows, rows)
def test_hardening_04_after_the_other_value_is_seen_saving_again_overwrites(mine, current) -> None:
    base = Base(1, dict.fromkeys(FIELDS, "old"))
    try:
        changes(base, mine, current, 2)
    except EditConflict as refused:
        again = changes(base.seen(refused.theirs), mine, current, 2)
        assert all(again[k] == mine[k] for k in refused.theirs)


@given(rows, rows)
def test_without_a_base_only_differences_are_written(mine, current) -> None:
    assert changes(None, mine, current, 3) == {k: v for k, v in mine.items() if current[k] != v}
