"""create mobility tables: the kernel's tables and inter-institutional agreements

Revision ID: 0001_mobility
Revises:
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from shared.migrations import (
    audit_seq_from_one,
    create_audit_entry,
    create_event_tables,
    create_idempotency_key,
    drop_audit_entry,
    drop_audit_seq_from_one,
    drop_event_tables,
    drop_idempotency_key,
)


# revision identifiers, used by Alembic.
revision: str = '0001_mobility'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_event_tables(op)
    create_audit_entry(op)
    create_idempotency_key(op)
    audit_seq_from_one(op)
    json = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
    op.create_table(
        "mobility_agreement",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("proposer_institution_id", sa.Uuid(), nullable=False),
        sa.Column("proposer_node", sa.String(length=16), nullable=False),
        sa.Column("partner_institution_id", sa.Uuid(), nullable=False),
        sa.Column("partner_node", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("conditions", json, nullable=False),
        sa.Column("digest", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("approvals", json, nullable=False),
        sa.Column("terminated_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_agreement")),
    )
    op.create_index(
        "ix_mobility_agreement_proposer",
        "mobility_agreement",
        ["proposer_institution_id", "updated_at"],
    )
    op.create_index(
        "ix_mobility_agreement_partner",
        "mobility_agreement",
        ["partner_institution_id", "updated_at"],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_mobility_agreement_partner", table_name="mobility_agreement")
    op.drop_index("ix_mobility_agreement_proposer", table_name="mobility_agreement")
    op.drop_table("mobility_agreement")
    drop_audit_seq_from_one(op)
    drop_idempotency_key(op)
    drop_audit_entry(op)
    drop_event_tables(op)
