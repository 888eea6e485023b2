"""Resident search: the full-text index (SQLite's FTS5) and the spelling-tolerant key.

Every token the user typed is quoted before it reaches MATCH, so `jansen-de` or a
stray quote is a search, not a syntax error. Other databases fall back to LIKE on
the same folded key. (SQLite-only SQL lives here and in `queries.report_data`, each
behind a check of the dialect with a portable path beside it.)

The spelling-tolerant key (`Resident.name_key`, `domain.names.phonetic_key` of the family
name: Jansen = Janssen, Meijer = Meyer) finds likely duplicates at the intake, and, after the
exact matches, what the residents list calls "lijkt op": `jansen 1935` finds Gerrit Janssen
born in 1935.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Select, and_, exists, func, literal_column, not_, or_, text
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Area, Resident, Signal
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.names import full_name, phonetic_key, sort_name, split_full_name
from wijkwerk_tui.domain.text import fold
from wijkwerk_tui.store.access import viewer
from wijkwerk_tui.store.scope import Scope
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
    # Found by the spelling-tolerant key only, not by the text as typed ("lijkt op").
    tolerant: bool = False
    # Outside the searcher's areas and caseload: his file opens only with a reason (store.scope).
    needs_reason: bool = False


def _tokens(query: str) -> list[str]:
    return [t for t in fold(query).replace('"', " ").split() if t]


def fts_match(query: str) -> str:
    """An FTS5 MATCH expression: every folded token quoted, as a prefix, all required."""
    return " ".join(f'"{token}"*' for token in _tokens(query))


# From this many full-text matches on, walking `ix_resident_order` until the page is full
# beats looking every match up and sorting them. At 100 000 residents a walk takes 1-12 ms
# (by where the first matches sort; a page never filled walks the whole index), a look-up
# ~2 us per match once the table is in the page cache and 10-25 us before: 300 matches
# 1.5-3 ms looked up against 1-9 ms walked, 2 000 matches 4-5 (up to 50 cold) against 1-11.
WALK_FROM = 500


def _matching(db: Database, tokens: list[str], name: str, *, walk: bool = True) -> ColumnElement[bool]:
    """Residents with, for every token, a word of their search key that starts with it: the
    exact search. `name` names the MATCH parameter (one statement may hold several).

    `walk`: SQLite reads the residents in list order and checks each against the matches
    (right for many matches), instead of looking the matches up (right for few)."""
    if db.engine.dialect.name == "sqlite":
        # The unary + keeps SQLite from looking the matches up by rowid one by one
        # (and then sorting them): it walks the ordered index instead.
        return literal_column("+resident.pk" if walk else "resident.pk").in_(
            text(f"SELECT rowid FROM resident_fts WHERE resident_fts MATCH :{name}").bindparams(
                sa.bindparam(name, fts_match(" ".join(tokens)))
            )
        )
    return and_(*(col(Resident.search_key).contains(token) for token in tokens))


def _many_matches(db: Database, connection: sa.Connection, tokens: list[str]) -> bool:
    """Whether the full-text index has at least WALK_FROM matches (it stops counting there)."""
    if db.engine.dialect.name != "sqlite":
        return True
    counted = text(
        "SELECT count(*) FROM (SELECT 1 FROM resident_fts WHERE resident_fts MATCH :match LIMIT :most)"
    ).bindparams(match=fts_match(" ".join(tokens)), most=WALK_FROM)
    return bool(connection.execute(counted).scalar_one() >= WALK_FROM)


def _year_range(token: str) -> tuple[int, int] | None:
    """The birth years a token of digits can be the start of: '1935' -> 1935, '19' -> 1900-1999."""
    if not token.isdigit() or len(token) > 4:
        return None
    scale = 10 ** (4 - len(token))
    return int(token) * scale, (int(token) + 1) * scale - 1


def _tolerant(db: Database, tokens: list[str]) -> ColumnElement[bool] | None:
    """Residents the tokens find when family names are compared by their spelling-tolerant key
    (`Resident.name_key`) and not only as typed, who are not exact matches.

    Every token must fit, by its key (the family name) or as the exact search has it (the start
    of a word of the search key: given name, tussenvoegsel, area); at least one by its key. A
    token of digits is (the start of) the birth year. None: nothing to try."""
    keys = {t: phonetic_key(t) for t in tokens if not t.isdigit()}
    usable = sorted({key for key in keys.values() if key})  # (van der) Aa: 'a'
    if not usable:
        return None
    clauses: list[ColumnElement[bool]] = [col(Resident.name_key).in_(usable)]
    for n, token in enumerate(tokens):
        if len(token) == 4 and token.isdigit():
            # The year as a word of the search key: the full-text index gives the few residents
            # born then, checked against the candidates in their index, without reading each
            # candidate's row for its birth year (2 000-4 000 rows at 100 000 residents: 4-8 ms,
            # up to 50 ms before the table is in the page cache).
            clauses.append(_matching(db, [token], f"word_{n}"))
        elif token.isdigit():
            years = _year_range(token)
            if years is None:
                return None  # five digits or more: no birth year
            clauses.append(col(Resident.birth_year).between(*years))
        elif keys[token]:
            clauses.append(or_(col(Resident.name_key) == keys[token], _matching(db, [token], f"word_{n}")))
        else:
            clauses.append(_matching(db, [token], f"word_{n}"))
    clauses.append(not_(_matching(db, tokens, "exact")))
    return and_(*clauses)


def _statement(
    session: Session, matching: ColumnElement[bool] | None, filters: ResidentFilter, actor: uuid.UUID | None
) -> Select[uuid.UUID, str, str, str, int | None, str, int | None, int | None, bool]:
    """Live residents that match and pass the filters, in list order, and whether each opens
    without a reason for `actor` (store.scope)."""
    opens = Scope(session, actor).column()
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
            opens,
        )
        .select_from(Resident)
        .join(Area, col(Area.id) == col(Resident.area_id), isouter=True)
        .where(col(Resident.deleted_at).is_(None), col(Resident.anonymised_at).is_(None))
    )
    if matching is not None:
        statement = statement.where(matching)
    if filters.area_id is not None:
        statement = statement.where(col(Resident.area_id) == filters.area_id)
    if filters.participation_step is not None or filters.support_step is not None or filters.open_signals:
        statement = statement.where(opens)  # (a filter on what is in the file would tell it: store.scope)
    if filters.participation_step is not None:
        statement = statement.where(col(Resident.participation_step) == filters.participation_step)
    if filters.support_step is not None:
        statement = statement.where(col(Resident.support_step) == filters.support_step)
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
    return statement.order_by(col(Resident.family_name), col(Resident.given_name), col(Resident.pk))


def search_residents(
    db: Database,
    query: str = "",
    filters: ResidentFilter = ResidentFilter(),
    limit: int = 50,
    offset: int = 0,
    *,
    actor: uuid.UUID | None = None,
    tolerant: bool = False,
) -> list[ResidentRow]:
    """One page of matching residents, sorted by family name. The open-signals filter counts
    only the signals `actor` may see (none that are confidential without an actor).

    With `tolerant`, the exact matches are followed by the spelling-tolerant ones (marked
    `tolerant`, in the same order, none of them an exact match), as one list that `offset`
    and `limit` page through: the tolerant ones are read only for a page the exact ones do
    not fill.

    With many name matches the page is read in list order from `ix_resident_order`, each
    resident checked against them, until the page is full: at most a walk over that index
    (~6-15 ms at 100k), however many residents match. Left to itself SQLite fetched every
    match (25 000 for "de") from the table and sorted them (~25-50 ms). With few matches
    (fewer than WALK_FROM, counted first) that is what it does: a walk that ends without a
    full page went over the whole index.
    """
    tokens = _tokens(query)
    with db.reading_recent() as session:  # (during a sync: a snapshot up to 2 s old)
        connection = session.connection()
        exact = _matching(db, tokens, "exact", walk=_many_matches(db, connection, tokens)) if tokens else None
        statement = _statement(session, exact, filters, actor)
        rows = [(row, False) for row in connection.execute(statement.offset(offset).limit(limit)).all()]
        similar = _tolerant(db, tokens) if tolerant and len(rows) < limit else None
        if similar is not None:
            if rows or not offset:
                exact_total = offset + len(rows)
            else:  # the page starts past the last exact match: how far past?
                counted = sa.select(func.count()).select_from(statement.order_by(None).subquery())
                exact_total = connection.execute(counted).scalar_one()
            more = _statement(session, similar, filters, actor)
            more = more.offset(max(0, offset - exact_total)).limit(limit - len(rows))
            rows += [(row, True) for row in connection.execute(more).all()]
    return [
        ResidentRow(
            rid,
            full_name(given, prefix, family),
            sort_name(given, prefix, family),
            birth_year,
            area or "",
            p_step if opens else None,  # (the steps are the file's: not shown before it opens)
            s_step if opens else None,
            similar_only,
            not opens,
        )
        for (rid, given, prefix, family, birth_year, area, p_step, s_step, opens), similar_only in rows
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
