"""Resident search: the full-text index (SQLite's FTS5) and the spelling-tolerant duplicates.

Every token the user typed is quoted before it reaches MATCH, so `jansen-de` or a
stray quote is a search, not a syntax error. Other databases fall back to LIKE on
the same folded key. (SQLite-only SQL lives here and in `queries.report_data`, each
behind a check of the dialect with a portable path beside it.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import and_, exists, literal_column, text
from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Area, Resident, Signal
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.names import full_name, phonetic_key, sort_name, split_full_name
from wijkwerk_tui.domain.text import fold
from wijkwerk_tui.store.access import viewer
from wijkwerk_tui.store.signals import visible_to


@dataclass(frozen=True)
class ResidentFilter:
    area_id: uuid.UUID | None = None
    participation_step: int | None = None
    support_step: int | None = None
    open_signals: bool = False


@dataclass(frozen=True)
class ResidentRow:
    id: uuid.UUID
    name: str
    sort_name: str
    birth_year: int | None
    area: str
    participation_step: int | None
    support_step: int | None


def fts_match(query: str) -> str:
    """An FTS5 MATCH expression: every folded token quoted, as a prefix, all required."""
    tokens = [t for t in fold(query).replace('"', " ").split() if t]
    return " ".join(f'"{token}"*' for token in tokens)


def search_residents(
    db: Database,
    query: str = "",
    filters: ResidentFilter = ResidentFilter(),
    limit: int = 50,
    offset: int = 0,
    *,
    actor: uuid.UUID | None = None,
) -> list[ResidentRow]:
    """One page of matching residents, sorted by family name. The open-signals filter counts
    only the signals `actor` may see (none that are confidential without an actor).

    The page is read in list order from `ix_resident_order`, each resident checked against
    the name matches, until the page is full: at most a walk over that index (~6 ms at 100k),
    however many residents match. Left to itself SQLite fetched every match (25 000 for
    "de") from the table and sorted them (~25 ms).
    """
    # SQLAlchemy's own select: SQLModel's is typed for at most four columns.
    statement = (
        sa.select(
            col(Resident.id),
            col(Resident.given_name),
            col(Resident.family_prefix),
            col(Resident.family_name),
            col(Resident.birth_year),
            col(Area.name),
            col(Resident.participation_step),
            col(Resident.support_step),
        )
        .select_from(Resident)
        .join(Area, col(Area.id) == col(Resident.area_id), isouter=True)
        .where(col(Resident.deleted_at).is_(None), col(Resident.anonymised_at).is_(None))
    )
    match = fts_match(query)
    if match:
        if db.engine.dialect.name == "sqlite":
            # The unary + keeps SQLite from looking the matches up by rowid one by one
            # (and then sorting them): it walks the ordered index instead.
            statement = statement.where(
                literal_column("+resident.pk").in_(
                    text("SELECT rowid FROM resident_fts WHERE resident_fts MATCH :match").bindparams(match=match)
                )
            )
        else:
            for token in fold(query).split():
                statement = statement.where(col(Resident.search_key).contains(token))
    if filters.area_id is not None:
        statement = statement.where(col(Resident.area_id) == filters.area_id)
    if filters.participation_step is not None:
        statement = statement.where(col(Resident.participation_step) == filters.participation_step)
    if filters.support_step is not None:
        statement = statement.where(col(Resident.support_step) == filters.support_step)
    statement = (
        statement.order_by(col(Resident.family_name), col(Resident.given_name), col(Resident.pk))
        .offset(offset)
        .limit(limit)
    )
    with db.reading() as session:
        if filters.open_signals:
            statement = statement.where(
                exists().where(
                    and_(
                        col(Signal.resident_id) == col(Resident.id),
                        col(Signal.status).in_(signal_rules.OPEN_STATUSES),
                        col(Signal.deleted_at).is_(None),
                        visible_to(viewer(session, actor)),
                    )
                )
            )
        rows = session.connection().execute(statement).all()
    return [
        ResidentRow(
            rid,
            full_name(given, prefix, family),
            sort_name(given, prefix, family),
            birth_year,
            area or "",
            p_step,
            s_step,
        )
        for rid, given, prefix, family, birth_year, area, p_step, s_step in rows
    ]


def likely_duplicates(db: Database, name: str, birth_year: str = "", limit: int = 5) -> list[ResidentRow]:
    """Existing residents the typed name probably means (spelling-tolerant), best first."""
    given, _prefix, family = split_full_name(name)
    key = phonetic_key(family)
    if len(key) < 2:
        return []
    with db.reading() as session:
        rows = session.exec(
            select(Resident, Area.name)
            .join(Area, col(Area.id) == col(Resident.area_id), isouter=True)
            .where(Resident.name_key == key, col(Resident.deleted_at).is_(None), col(Resident.anonymised_at).is_(None))
            .limit(200)
        ).all()
    year = int(birth_year) if birth_year.strip().isdigit() else None
    wanted_given = fold(given)

    def score(item: tuple[Resident, str | None]) -> tuple[int, int, str]:
        r = item[0]
        year_gap = abs((r.birth_year or 0) - year) if year and r.birth_year else 50
        given_match = 0 if wanted_given and fold(r.given_name).startswith(wanted_given[:3]) else 1
        return (given_match, year_gap, fold(r.given_name))

    ranked = sorted(rows, key=score)[:limit]
    return [
        ResidentRow(
            r.id,
            full_name(r.given_name, r.family_prefix, r.family_name),
            "",
            r.birth_year,
            area or "",
            r.participation_step,
            r.support_step,
        )
        for r, area in ranked
    ]
