"""Create api_client: the OAuth2 clients that may ask the gateway for tokens.

Revision ID: 0001_create_api_client
Revises:
Create Date: 2025-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = "0001_create_api_client"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_client",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=True),
        sa.Column("agency_id", sa.Uuid(), nullable=True),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", shared.db.UtcDateTime(), nullable=False),
        sa.Column("disabled_at", shared.db.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_api_client")),
    )


def downgrade() -> None:
    op.drop_table("api_client")
