"""Submissions (new entries, corrections, testimonies), published testimonies, reviewers' accounts;
the history remembers which submission a change came from.

Revision ID: 0002_review
Revises: 0001_entries
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_review"
down_revision = "0001_entries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(20), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target_id", sa.String(160), nullable=True),
        sa.Column("target_version", sa.Integer, nullable=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("submitter_name", sa.String(200), nullable=False),
        sa.Column("submitter_email", sa.String(320), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(320), nullable=False),
        sa.Column("result_id", sa.String(160), nullable=True),
    )
    op.create_index("ix_submissions_status", "submissions", ["status"])
    op.create_table(
        "testimonies",
        sa.Column("id", sa.String(160), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(320), nullable=False),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=True),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(400), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
    )
    with op.batch_alter_table("entry_history") as batch:
        batch.add_column(sa.Column("submission_id", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entry_history") as batch:
        batch.drop_column("submission_id")
    op.drop_table("users")
    op.drop_table("testimonies")
    op.drop_index("ix_submissions_status", "submissions")
    op.drop_table("submissions")
