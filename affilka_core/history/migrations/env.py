"""Alembic's environment: the migrations run on the connection `migrate.upgrade` hands over, inside its
transaction (which holds the lock that lets one process migrate at a time)."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("The history's migrations run on first use, through affilka_core.history.migrate.")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
