"""published decision processing days: the days from the file's completeness to the decision,
null for the decisions published before it was carried

Revision ID: 0008_processing_days_proc
Revises: 0007_audit_seq_from_one_edge
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0008_processing_days_proc'
down_revision: Union[str, Sequence[str], None] = '0007_audit_seq_from_one_edge'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('published_decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('processing_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('published_decision', schema=None) as batch_op:
        batch_op.drop_column('processing_days')
