"""Which tables and columns travel between laptop and hub, and how their values are written.

Derived columns are left out: each side recomputes them (the ladder caches, the last contact,
the search keys, the row's own version and update stamp). Workers travel without their
passphrase hash (accounts across laptops: issue 18).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Integer, String, Table, Text, Uuid
from sqlalchemy.types import TypeDecorator

from wijkwerk_tui.db.sync_tables import core
from wijkwerk_tui.db.tables import (
    ActivityResident,
    Area,
    AuditEvent,
    Contact,
    Goal,
    GroupActivity,
    LadderStep,
    MeldcodeStep,
    OrgSetting,
    Partner,
    Referral,
    Resident,
    ResidentMove,
    Row,
    Signal,
    SignalReopening,
    Worker,
)
from wijkwerk_tui.db.types import UTCDateTime
from wijkwerk_tui.domain.text import clean_note, without_controls

# In an order in which each table's references come before it (a first upload follows it).
Synced = type[Row] | type[Resident] | type[AuditEvent]
SYNCED_MODELS: tuple[Synced, ...] = (
    Worker,
    OrgSetting,
    Area,
    Partner,
    Resident,
    LadderStep,
    Referral,
    Signal,
    MeldcodeStep,
    SignalReopening,
    Contact,
    Goal,
    GroupActivity,
    ActivityResident,
    ResidentMove,
    AuditEvent,  # only grows: the hub takes no edit of an entry
)
SYNCED: dict[str, Synced] = {core(m).name: m for m in SYNCED_MODELS}
APPEND_ONLY = frozenset({"auditevent"})
NOT_SYNCED = frozenset(
    {
        "pk",
        "seq",  # an audit entry's place in one database (each numbers its own)
        "version",
        "updated_at",
        "search_key",
        "name_key",
        "participation_step",
        "support_step",
        "last_contact_on",
        "passphrase_hash",
    }
)
# Names that are one per organisation: a second "Ruinen" from another laptop becomes the first.
UNIQUE_NAMES = {"area": "name", "worker": "name", "orgsetting": "key"}


class CodecError(ValueError):
    """A value that does not fit its column (never shows the value)."""


def table_of(name: str) -> Table:
    model = SYNCED.get(name)
    if model is None:
        raise CodecError(f"unknown table {name!r}")
    return core(model)


def synced_columns(name: str) -> list[str]:
    return [c.name for c in table_of(name).columns if c.name not in NOT_SYNCED]


def encode(value: Any) -> Any:
    """A column value as JSON."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@functools.cache
def _column(name: str, field: str) -> tuple[str, bool, int | None]:
    """What a synced column holds: (kind, may be empty, longest text). Looked up once per column
    (a joining laptop decodes a million values)."""
    table = table_of(name)
    if field not in table.columns or field in NOT_SYNCED:
        raise CodecError(f"unknown field {name}.{field}")
    column = table.columns[field]
    kind = column.type
    while isinstance(kind, TypeDecorator) and not isinstance(kind, UTCDateTime):
        kind = kind.impl_instance  # SQLModel's AutoString is a String
    for tag, types in _KINDS:
        if isinstance(kind, types):
            return tag, bool(column.nullable), getattr(kind, "length", None)
    raise CodecError(f"{name}.{field}: type not synced")


_KINDS: tuple[tuple[str, Any], ...] = (
    ("uuid", Uuid),
    ("moment", UTCDateTime),
    ("date", Date),
    ("bool", Boolean),
    ("int", Integer),
    ("text", String | Text),
)


@functools.lru_cache(maxsize=1 << 16)
def read_uuid(text: str) -> uuid.UUID:
    """An id as sent. Remembered: a page names the same residents, workers and areas again and
    again, and a joining laptop reads millions (parsing one costs ~1.3 µs, a lookup ~0.1)."""
    if len(text) == 36 and text[8] == text[13] == text[18] == text[23] == "-":
        # The form every id travels in, read in a third less time than uuid.UUID's general
        # parser (braces, "urn:", no dashes): the same object, made the way it makes one.
        digits = text.replace("-", "")
        if len(digits) == 32 and digits.isascii() and digits.isalnum():
            made = _NEW_UUID(uuid.UUID)
            _SET(made, "int", int(digits, 16))
            _SET(made, "is_safe", uuid.SafeUUID.unknown)
            return made
    return uuid.UUID(text)


_NEW_UUID, _SET = object.__new__, object.__setattr__


def decode(name: str, field: str, raw: Any) -> Any:
    """A JSON value back into what its column holds; CodecError when it does not fit."""
    return _decoder(name, field)(raw)


def decode_fields(name: str, fields: dict[str, Any]) -> dict[str, Any]:
    known = _DECODERS.setdefault(name, {})
    out = {}
    for field, raw in fields.items():
        read = known.get(field)
        if read is None:
            read = known[field] = _decoder(name, field)  # (CodecError for an unknown field)
        out[field] = read(raw)
    return out


_DECODERS: dict[str, dict[str, Callable[[Any], Any]]] = {}  # table -> field -> its reader


def _decoder(name: str, field: str) -> Callable[[Any], Any]:
    """The reader of one column's values, made once: a joining laptop reads millions."""
    kind, nullable, length = _column(name, field)
    convert = _CONVERTERS[kind](f"{name}.{field}", length)

    def read(raw: Any) -> Any:
        if raw is None:
            if not nullable:
                raise CodecError(f"{name}.{field} may not be empty")
            return None
        try:
            return convert(raw)
        except CodecError:
            raise
        except (TypeError, ValueError):
            raise CodecError(f"{name}.{field}: unreadable value") from None

    return read


def _moment(what: str, _length: int | None) -> Callable[[Any], Any]:
    def convert(raw: Any) -> datetime:
        moment = datetime.fromisoformat(str(raw))
        if moment.tzinfo is None:
            raise CodecError(f"{what}: time without zone")
        return moment

    return convert


def _bool(what: str, _length: int | None) -> Callable[[Any], Any]:
    def convert(raw: Any) -> bool:
        if not isinstance(raw, bool):
            raise CodecError(f"{what}: not a boolean")
        return raw

    return convert


def _int(what: str, _length: int | None) -> Callable[[Any], Any]:
    def convert(raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not -(2**31) <= raw < 2**31:
            raise CodecError(f"{what}: not a whole number")
        return raw

    return convert


def _text(what: str, length: int | None) -> Callable[[Any], Any]:
    def convert(raw: Any) -> str:
        if not isinstance(raw, str):
            raise CodecError(f"{what}: not text")
        if length is not None and len(raw) > length:
            raise CodecError(f"{what}: too long")
        raw.encode("utf-8")  # (a lone surrogate: no database takes it; UnicodeEncodeError is a ValueError)
        # Another laptop's text reaches this terminal: no escape sequences, no bidi tricks.
        return without_controls(raw) if length is not None else clean_note(raw)

    return convert


_CONVERTERS: dict[str, Callable[[str, int | None], Callable[[Any], Any]]] = {
    "uuid": lambda _what, _length: lambda raw: read_uuid(str(raw)),
    "moment": _moment,
    "date": lambda _what, _length: lambda raw: date.fromisoformat(str(raw)),
    "bool": _bool,
    "int": _int,
    "text": _text,
}
