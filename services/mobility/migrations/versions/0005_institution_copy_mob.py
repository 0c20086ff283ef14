"""the directory's institutions, copied for the partners of agreements

Revision ID: 0005_institution_copy_mob
Revises: 0004_statistics
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0005_institution_copy_mob'
down_revision: Union[str, Sequence[str], None] = '0004_statistics'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "mobility_institution_copy",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_node", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_institution_copy")),
    )
    op.create_index(
        op.f("ix_mobility_institution_copy_country"), "mobility_institution_copy", ["country"]
    )
    op.create_index(
        op.f("ix_mobility_institution_copy_origin_node"),
        "mobility_institution_copy",
        ["origin_node"],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(
        op.f("ix_mobility_institution_copy_origin_node"), table_name="mobility_institution_copy"
    )
    op.drop_index(op.f("ix_mobility_institution_copy_country"), table_name="mobility_institution_copy")
    op.drop_table("mobility_institution_copy")
