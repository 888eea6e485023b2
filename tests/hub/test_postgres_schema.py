"""The hub's PostgreSQL gets its schema from the same SQLModel tables and Alembic history as
the laptops (issue 17): the migrations run on PostgreSQL, and autogenerate then finds
nothing to change, as it finds nothing on SQLite (tests/db/test_schema_drift.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import wijkwerk_tui.db.tables  # noqa: F401 - the models, registered in SQLModel.metadata
from wijkwerk_tui.db import migrate


def drift(engine: sa.Engine, metadata: sa.MetaData) -> list[Any]:
    with engine.connect() as connection:
        options = {"include_object": migrate.include_object, "compare_type": True}
        return list(compare_metadata(MigrationContext.configure(connection, opts=options), metadata))


def test_issue17_migrations_run_on_postgresql_and_match_the_models(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    try:
        assert engine.dialect.name == "postgresql"
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.HEAD
        assert drift(engine, SQLModel.metadata) == []
        with engine.connect() as connection:
            where = connection.execute(
                sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_contact_story'")
            ).scalar_one()
        assert "WHERE (is_story AND (deleted_at IS NULL))" in where  # a boolean, not "= 1"
    finally:
        engine.dispose()


def test_issue17_a_model_change_without_a_migration_is_found_on_postgresql(pg_url: str) -> None:
    """The check can fail there too: a column the models have and the migrations do not."""
    engine = sa.create_engine(pg_url)
    changed = sa.MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["resident"].append_column(sa.Column("nickname", sa.String(40)))
    try:
        migrate.upgrade(engine)
        found = drift(engine, changed)
    finally:
        engine.dispose()
    assert [(op[0], op[2], op[3].name) for op in found] == [("add_column", "resident", "nickname")]


def test_issue17_the_hub_reads_its_aliases_through_their_index(pg_url: str, tmp_path: Path) -> None:
    """Every push reads the aliases: without their index, the whole change log (0.5 s at 1.3
    million changes, measured). The planner is told to avoid a full read wherever it can."""
    from wijkwerk_tui.db.engine import make_engine
    from wijkwerk_tui.hub.aliases import ALIASES

    engine = sa.create_engine(pg_url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("SET enable_seqscan = off")
            compiled = ALIASES.compile(engine, compile_kwargs={"literal_binds": True})
            plan = " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
        assert "ix_hubchange_alias" in plan, plan
    finally:
        engine.dispose()
    laptop = make_engine(tmp_path / "hub.db")  # (the same history on SQLite)
    try:
        migrate.upgrade(laptop)
        with laptop.connect() as connection:
            compiled = ALIASES.compile(laptop)
            said = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", tuple(compiled.params.values()))
            plan = " ".join(str(row[-1]) for row in said)
        assert "ix_hubchange_alias" in plan, plan
    finally:
        laptop.dispose()
