"""Many rows at once, for a laptop taking in the organisation's million: inserts, and which of
many ids a table holds.

SQLAlchemy's Core statements do per-row and per-parameter work (parameters built, each value
through its type, an IN list expanded) that took more time than SQLite's own work (profiled: a
joining laptop). Here the statement is written once and each column's own conversion (its bind
processor, as SQLAlchemy would use it) runs over the values, so what lands in the file, and
what is looked up, is the same.
"""

from __future__ import annotations

import functools
import itertools
import operator
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Date, Table, Uuid, insert, select
from sqlmodel import Session

from wijkwerk_tui.db.types import UTCDateTime


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]], chunk: int) -> None:
    """Insert `rows` (dicts of column values), `chunk` rows per statement. Columns a row leaves
    out get their defaults, as with SQLAlchemy's insert."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":  # (the hub's side does not come here; kept correct anyway)
        for start in range(0, len(rows), chunk):
            session.execute(insert(table), rows[start : start + chunk])
        return
    for keys, group in itertools.groupby(rows, key=_keys):
        given = [table.c[key] for key in keys]
        defaults = [c for c in table.columns if c.name not in keys and c.default is not None]
        columns = given + defaults
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        convert = [_fast_processor(column, dialect) for column in columns]
        fill = [_default(column) for column in defaults]
        # Column by column: the values taken out and converted by C loops (`itemgetter`, `map`)
        # where a row-by-row Python loop took as long as SQLite's own work (profiled: a join).
        group_rows = list(group)
        pick = operator.itemgetter(*keys)
        picked = [pick(row) for row in group_rows] if len(keys) > 1 else [(pick(row),) for row in group_rows]
        given_columns: list[Any] = list(zip(*picked, strict=True))
        made = [[make() for _ in group_rows] for make in fill]
        converted = [
            values if how is None else list(map(how, values))
            for values, how in zip(given_columns + made, convert, strict=True)
        ]
        values = list(zip(*converted, strict=True))
        for start in range(0, len(values), chunk):
            connection.exec_driver_sql(sql, values[start : start + chunk])


def present(session: Session, column: Column[Any], ids: Iterable[Any], chunk: int = 500) -> set[Any]:
    """Which of `ids` the column holds (a joining laptop asks this of every page it takes in,
    and mostly hears "none")."""
    connection = session.connection()
    dialect = connection.dialect
    convert = _fast_processor(column, dialect) or (lambda value: value)
    wanted = {convert(value): value for value in ids}
    keys = list(wanted)
    quote = dialect.identifier_preparer.quote
    found: set[Any] = set()
    if dialect.name != "sqlite":
        for start in range(0, len(keys), chunk):
            part = [wanted[key] for key in keys[start : start + chunk]]
            found.update(session.execute(select(column).where(column.in_(part))).scalars())
        return found
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        sql = (
            f"SELECT {quote(column.name)} FROM {quote(column.table.name)} "
            f"WHERE {quote(column.name)} IN ({', '.join('?' for _ in part)})"
        )
        found.update(wanted[key] for (key,) in connection.exec_driver_sql(sql, tuple(part)) if key in wanted)
    return found


def _keys(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(row)


def _processor(column: Column[Any], dialect: Any) -> Callable[[Any], Any] | None:
    processor: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    return processor


def _fast_processor(column: Column[Any], dialect: Any) -> Callable[[Any], Any] | None:
    """SQLAlchemy's conversion of a column's values, or the same done in C for the two kinds a
    joining laptop writes millions of (ids, moments and days in SQLite; tests/db/test_bulk.py checks
    they agree)."""
    processor = _processor(column, dialect)
    if processor is None or dialect.name != "sqlite":
        return processor
    if isinstance(column.type, Uuid) and column.type.as_uuid:
        return _uuid_text
    if isinstance(column.type, UTCDateTime):
        return _utc_text
    if isinstance(column.type, Date):
        slow = processor  # (anything but a plain date: SQLAlchemy's own way)
        return lambda value: value.isoformat() if type(value) is date else slow(value)
    return processor


def _uuid_text(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


@functools.lru_cache(maxsize=1 << 14)
def _utc_text(value: datetime | None) -> str | None:
    """Remembered: a page's rows share moments (the stamp of the page they came in with, the
    same creation moment of an import) and writing one out costs ~1.6 µs, a lookup ~0.2.
    (Equal moments in other zones are one UTC text: the same answer.)"""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    if value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _default(column: Column[Any]) -> Callable[[], Any]:
    default: Any = column.default
    if default.is_callable:
        return lambda: default.arg(None)  # (SQLAlchemy wraps a plain function to take a context)
    if default.is_scalar:
        return lambda: default.arg
    raise TypeError(f"{column.name}: a default this insert cannot make")
