"""Schema migrations with Alembic, applied when a database is opened.

Foreign keys are switched off while migrating: a batch-mode table rebuild drops the
old table, and with foreign keys on that would cascade into deleting rows.
Alembic is imported only when the file is not at the newest revision, which keeps
the everyday start-up lean.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# Newest revision; tests/store/test_migrations.py checks it against the scripts.
HEAD = "0025"
SCRIPT_LOCATION = Path(__file__).parent / "migrations"

# Tables the migrations manage by hand, beside the SQLModel tables: the full-text index
# (0002) and the ladder summary (0007), with their triggers. Autogenerate leaves them
# alone; a batch migration that rebuilds `resident` or `ladderstep` drops their triggers
# and must create them again.
MANAGED_BY_HAND = frozenset(
    {
        "resident_fts",
        "resident_fts_data",
        "resident_fts_idx",
        "resident_fts_docsize",
        "resident_fts_config",
        "resident_fts_content",
        "ladder_summary",
    }
)


# Indexes one kind of database has and the other has not, made by the migrations (0005): on
# PostgreSQL the report reads the ladder history in this index's order, where SQLite reads
# the ladder summary.
INDEXES_BY_DIALECT = frozenset({"ix_ladderstep_history"})


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's filter: everything but what the migrations manage by hand."""
    if type_ == "index" and name in INDEXES_BY_DIALECT:
        return False
    return not (type_ == "table" and name in MANAGED_BY_HAND)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and current_revision(engine) == HEAD:
        return
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"  # the hub's PostgreSQL has no PRAGMA (and no batch rebuilds)
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        try:
            command.upgrade(alembic_config(connection), revision)
            connection.commit()
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
