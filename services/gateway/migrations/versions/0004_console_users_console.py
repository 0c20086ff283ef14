"""Create console_user and console_session: the people who sign in to the console, and their
browsers' sessions.

Revision ID: 0004_console_users_console
Revises: 0003_audit_seq_from_one_edge
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = "0004_console_users_console"
down_revision: str | None = "0003_audit_seq_from_one_edge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_user",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=True),
        sa.Column("agency_id", sa.Uuid(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_at", shared.db.UtcDateTime(), nullable=True),
        sa.Column("created_at", shared.db.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_console_user")),
    )
    op.create_table(
        "console_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", shared.db.UtcDateTime(), nullable=False),
        sa.Column("last_seen_at", shared.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["username"],
            ["console_user.username"],
            name=op.f("fk_console_session_username_console_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_console_session")),
    )
    op.create_index(
        op.f("ix_console_session_username"), "console_session", ["username"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_console_session_username"), table_name="console_session")
    op.drop_table("console_session")
    op.drop_table("console_user")
