"""Dataclasses to JSON and back, by their type hints: the organisation's report data travels
from the hub to a laptop's report screen this way (no pickle: the laptop trusts no code from
the network), its text cleaned of control characters. Handles what report data holds:
dataclasses, tuples, lists, unions with None, str, int, float, bool, dates and UUIDs.
Anything else is refused (WireError)."""

from __future__ import annotations

import dataclasses
import types
import uuid
from datetime import date, datetime
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from wijkwerk_tui.domain.text import clean_note

T = TypeVar("T")


class WireError(ValueError):
    """A value that does not fit its type (never shows the value)."""


def to_wire(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if isinstance(value, datetime):
        raise WireError("datetime not supported")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if value is None or isinstance(value, str | int | float):
        return value
    raise WireError(f"not supported: {type(value).__name__}")


def from_wire(kind: Any, raw: Any) -> Any:
    """`raw` (JSON) read as `kind`; WireError when it does not fit."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = get_args(kind)
        if raw is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return from_wire(option, raw)
            except WireError:
                continue
        raise WireError("no type of the union fits")
    if origin is list:
        (item,) = get_args(kind)
        return [from_wire(item, value) for value in _sequence(raw)]
    if origin is tuple:
        items = get_args(kind)
        values = _sequence(raw)
        if len(items) == 2 and items[1] is Ellipsis:
            return tuple(from_wire(items[0], value) for value in values)
        if len(items) != len(values):
            raise WireError("tuple of another length")
        return tuple(from_wire(item, value) for item, value in zip(items, values, strict=True))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(raw, dict):
            raise WireError("not an object")
        hints = get_type_hints(kind)
        fields = {f.name for f in dataclasses.fields(kind)}
        if set(raw) - fields:
            raise WireError("unknown field")
        try:
            return kind(**{name: from_wire(hints[name], value) for name, value in raw.items()})
        except TypeError:
            raise WireError("missing field") from None
    return _plain(kind, raw)


def _sequence(raw: Any) -> list[Any]:
    if not isinstance(raw, list):
        raise WireError("not a list")
    return raw


def _plain(kind: Any, raw: Any) -> Any:
    if kind is bool:
        if isinstance(raw, bool):
            return raw
    elif kind is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
    elif kind is float:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
    elif kind is str:
        if isinstance(raw, str):
            # A story typed on another laptop goes on screen here: no escape sequence or bidi
            # override gets through (line breaks and tabs stay).
            return clean_note(raw)
    elif kind is date:
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
    elif kind is uuid.UUID and isinstance(raw, str):
        try:
            return uuid.UUID(raw)
        except ValueError:
            pass
    raise WireError(f"not a {getattr(kind, '__name__', kind)}")
