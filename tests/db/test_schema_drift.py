"""The migrations build exactly the tables the code declares: Alembic's autogenerate, run
against a freshly migrated file, finds nothing to change (so no model change ships without
its migration, and no migration leaves the models behind)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.db.migrate import include_object


def drift(db: Database, metadata: sa.MetaData) -> list[Any]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object, "compare_type": True})
        return list(compare_metadata(context, metadata))


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.db")
    try:
        assert drift(db, SQLModel.metadata) == []
    finally:
        db.close()


def test_a_model_change_without_a_migration_is_found(tmp_path: Path) -> None:
    """The check can fail: a column the models have and the migrations do not."""
    db = open_database(tmp_path / "fresh.db")
    changed = sa.MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["resident"].append_column(sa.Column("nickname", sa.String(40)))
    try:
        found = drift(db, changed)
    finally:
        db.close()
    assert [(op[0], op[2], op[3].name) for op in found] == [("add_column", "resident", "nickname")]
