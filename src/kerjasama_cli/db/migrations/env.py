"""Alembic environment: always runs on a connection that kerjasama hands over."""

from alembic import context

from kerjasama_cli.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running alembic by hand
    raise RuntimeError("run migrations through `kerjasama db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite changes tables by copying them: batch mode does it safely
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
