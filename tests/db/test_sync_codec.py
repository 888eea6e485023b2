"""What travels between laptop and hub is read back by its column's type (db.sync_codec): a
value written comes back as it was; whatever else arrives is refused with CodecError, never
another exception; text from elsewhere loses control and format characters."""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkwerk_tui.db.sync_codec import SYNCED, CodecError, _column, decode, encode, read_uuid, synced_columns

COLUMNS = [(name, field) for name in SYNCED for field in synced_columns(name)]
json_values = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)


def _values(kind: str, length: int | None) -> st.SearchStrategy[object]:
    return {
        "uuid": st.uuids(),
        "moment": st.datetimes(timezones=st.just(UTC)),
        "date": st.dates(),
        "bool": st.booleans(),
        "int": st.integers(-(2**31), 2**31 - 1),
        "text": st.text(
            st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=min(length or 200, 200)
        ),
    }[kind]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(COLUMNS), st.data())
def test_issue17_every_synced_value_comes_back_as_it_was(column: tuple[str, str], data: st.DataObject) -> None:
    name, field = column
    kind, _nullable, length = _column(name, field)
    value = data.draw(_values(kind, length))
    assert decode(name, field, encode(value)) == value


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(COLUMNS), json_values)
def test_issue17_anything_else_is_refused_with_a_codec_error(column: tuple[str, str], raw: object) -> None:
    name, field = column
    try:
        taken = decode(name, field, raw)
    except CodecError:
        return
    assert decode(name, field, encode(taken)) == taken  # what is taken is a value of the column


def test_issue17_refusals() -> None:
    for name, field, raw in [
        ("resident", "no_such_field", "x"),
        ("resident", "search_key", "x"),  # derived: each side makes its own
        ("resident", "given_name", "x" * 500),
        ("resident", "given_name", 5),
        ("resident", "birth_year", True),
        ("resident", "birth_year", 2**40),
        ("resident", "id", "geen-uuid"),
        ("resident", "area_id", "geen-uuid"),  # (an id that may be empty)
        ("resident", "area_id", 5),
        ("resident", "area_id", str(uuid.uuid4()) + "0"),
        ("resident", "created_at", "2026-11-30T10:00:00"),  # a time without its zone
        ("no_such_table", "id", str(uuid.uuid4())),
    ]:
        with pytest.raises(CodecError):
            decode(name, field, raw)


def test_issue17_text_from_another_laptop_keeps_no_escape_sequence() -> None:
    assert decode("resident", "given_name", "Kees\x1b[2J\u202eX") == "Kees [2JX"
    assert decode("contact", "note", "regel 1\nregel 2\x07\u200b") == "regel 1\nregel 2"


def _parsed(read: Any, text: str) -> object:
    try:
        made = read(text)
    except ValueError:
        return ValueError
    return (made, made.int, made.hex, made.is_safe, hash(made), str(made))


@settings(max_examples=300, deadline=None)
@given(
    st.uuids().map(str)
    | st.uuids().map(lambda u: str(u).upper())
    | st.uuids().map(lambda u: str(u)[:9] + "_" + str(u)[10:])  # int() takes underscores
    | st.uuids().map(lambda u: str(u)[:35] + "٣")  # and digits of other scripts
    | st.uuids().map(lambda u: " " + str(u)[1:])
    | st.text(st.sampled_from("0123456789abcdefABCDEFg-_+ {}٣"), min_size=30, max_size=40)
)
def test_issue17_an_id_reads_exactly_as_uuid_reads_it(text: str) -> None:
    assert _parsed(read_uuid.__wrapped__, text) == _parsed(uuid.UUID, text)
