"""public, anonymous mobility statistics

Revision ID: 0004_statistics
Revises: 0003_transcripts
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0004_statistics'
down_revision: Union[str, Sequence[str], None] = '0003_transcripts'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    json = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
    op.create_table(
        "mobility_statistics",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_node", sa.String(length=16), nullable=False),
        sa.Column("academic_year", sa.String(length=9), nullable=False),
        sa.Column("flows", json, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_statistics")),
    )
    op.create_index(
        "ix_mobility_statistics_year", "mobility_statistics", ["academic_year", "origin_node"]
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_mobility_statistics_year", table_name="mobility_statistics")
    op.drop_table("mobility_statistics")
