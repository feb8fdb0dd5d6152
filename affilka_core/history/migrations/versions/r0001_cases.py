"""The cases table: one row per recorded check or fetch.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("user_name", sa.String(320), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("offer_key", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("insights", sa.JSON(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_cases_at", "cases", ["at"])
    op.create_index("ix_cases_host_at", "cases", ["host", "at"])
    op.create_index("ix_cases_offer_key_at", "cases", ["offer_key", "at"])


def downgrade() -> None:
    op.drop_table("cases")
