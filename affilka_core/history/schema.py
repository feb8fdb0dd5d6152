"""The history's one table, as the code reads and writes it. Alembic's migrations (`migrations/`) create
and upgrade it; `HEAD` is their latest revision, so a database already there is used without loading
Alembic (a test keeps the two equal, and the migrated table equal to this one)."""

from __future__ import annotations

import sqlalchemy as sa

HEAD = "0001"

metadata = sa.MetaData()

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(), nullable=False),  # UTC
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("user_name", sa.String(320), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("offer_key", sa.Text(), nullable=False),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("verdict", sa.String(8), nullable=False),
    sa.Column("checks", sa.JSON(), nullable=False),
    sa.Column("data", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("insights", sa.JSON(), nullable=False),
    sa.Index("ix_cases_at", "at"),
    sa.Index("ix_cases_host_at", "host", "at"),
    sa.Index("ix_cases_offer_key_at", "offer_key", "at"),
    # Ids are never reused after a purge: a link to a purged case must not open another one.
    sqlite_autoincrement=True,
)
