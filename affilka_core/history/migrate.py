"""The schema brought up to date on first use: Alembic's migrations, run by one process at a time.

Many first uses can meet (app sessions, batch workers, CLI processes started together): the migration
runs inside a write transaction that holds the database's lock (SQLite's `BEGIN IMMEDIATE`, a
PostgreSQL advisory lock), and the version is read again under it, so it runs once. A database
already at `schema.HEAD` is used without loading Alembic.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from affilka_core.history.schema import HEAD

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
# Any fixed number: the key of the advisory lock one migrating process holds on PostgreSQL.
_PG_LOCK_KEY = 0x4166_6B61


def current_revision(conn: sa.Connection) -> str | None:
    """The revision the database is at, None before the first migration."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(engine: sa.Engine) -> None:
    """Run the migrations the database lacks (none when it is at `HEAD`)."""
    with engine.connect() as conn, conn.begin():
        if current_revision(conn) == HEAD:
            return
    with engine.connect() as conn:
        conn.execution_options(affilka_write=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            if current_revision(conn) == HEAD:
                return  # another process migrated while this one waited for the lock
            from alembic import command
            from alembic.config import Config

            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
