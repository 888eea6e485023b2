"""Full-text search on residents (SQLite FTS5, accent-insensitive, prefix matching)

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# External-content FTS5 over resident.search_key, keyed by the integer rowid `pk`.
_STATEMENTS = [
    """CREATE VIRTUAL TABLE resident_fts USING fts5(
        search_key, content='resident', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    """CREATE TRIGGER resident_fts_ai AFTER INSERT ON resident BEGIN
        INSERT INTO resident_fts(rowid, search_key) VALUES (new.pk, new.search_key);
    END""",
    """CREATE TRIGGER resident_fts_ad AFTER DELETE ON resident BEGIN
        INSERT INTO resident_fts(resident_fts, rowid, search_key) VALUES ('delete', old.pk, old.search_key);
    END""",
    """CREATE TRIGGER resident_fts_au AFTER UPDATE OF search_key ON resident BEGIN
        INSERT INTO resident_fts(resident_fts, rowid, search_key) VALUES ('delete', old.pk, old.search_key);
        INSERT INTO resident_fts(rowid, search_key) VALUES (new.pk, new.search_key);
    END""",
    "INSERT INTO resident_fts(resident_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # other databases search with LIKE on search_key (queries.search)
    for statement in _STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("resident_fts_au", "resident_fts_ad", "resident_fts_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS resident_fts")
