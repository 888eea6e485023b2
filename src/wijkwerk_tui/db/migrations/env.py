"""Alembic environment: always run on a connection handed over by `db.migrate`."""

from alembic import context
from sqlmodel import SQLModel

import wijkwerk_tui.db.tables  # noqa: F401 - importing the tables puts them on SQLModel.metadata
from wijkwerk_tui.db.migrate import include_object

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
