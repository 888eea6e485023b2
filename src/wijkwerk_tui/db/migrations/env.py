"""Alembic environment: always run on a connection handed over by store.migrate."""

from alembic import context

from wijkwerk_tui.db.tables import SQLModel

target_metadata = SQLModel.metadata

# The full-text index, the ladder summary and their triggers are managed by hand in
# migrations (0002, 0007). A batch migration that rebuilds `resident` or `ladderstep`
# drops their triggers: such a migration must create them again.
_IGNORED = {
    "resident_fts",
    "resident_fts_data",
    "resident_fts_idx",
    "resident_fts_docsize",
    "resident_fts_config",
    "resident_fts_content",
    "ladder_summary",
}


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in _IGNORED)


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
