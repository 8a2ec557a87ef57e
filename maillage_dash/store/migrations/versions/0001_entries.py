"""Published entries, their history and the data version.

Revision ID: 0001_entries
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_entries"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.String(160), primary_key=True),
        sa.Column("file", sa.String(160), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("organisation", sa.String(400), nullable=False),
        sa.Column("region", sa.String(2), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("confirmed_on", sa.Date, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(320), nullable=False),
    )
    op.create_index("ix_entries_region", "entries", ["region"])
    op.create_index("ix_entries_confirmed_on", "entries", ["confirmed_on"])
    op.create_table(
        "entry_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(160), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("previous", sa.JSON, nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(320), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_entry_history_entry_id", "entry_history", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_entry_history_entry_id", "entry_history")
    op.drop_table("entry_history")
    op.drop_index("ix_entries_confirmed_on", "entries")
    op.drop_index("ix_entries_region", "entries")
    op.drop_table("entries")
    op.drop_table("data_version")
