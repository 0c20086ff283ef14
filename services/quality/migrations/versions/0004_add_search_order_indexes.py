"""add search order indexes: evaluation search filters by decision, activity type or country and
pages in id order; composite (filter, id) indexes let a page stop after `limit` rows instead of
sorting every match. They replace the single-column indexes they start with.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_activity_type')
        batch_op.drop_index('ix_evaluation_decision')
        batch_op.create_index('ix_evaluation_activity_type_id', ['activity_type', 'id'], unique=False)
        batch_op.create_index('ix_evaluation_decision_id', ['decision', 'id'], unique=False)
    with op.batch_alter_table('evaluation_institution', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_institution_country')
        batch_op.create_index('ix_evaluation_institution_country_evaluation_id', ['country', 'evaluation_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('evaluation_institution', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_institution_country_evaluation_id')
        batch_op.create_index('ix_evaluation_institution_country', ['country'], unique=False)
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_decision_id')
        batch_op.drop_index('ix_evaluation_activity_type_id')
        batch_op.create_index('ix_evaluation_decision', ['decision'], unique=False)
        batch_op.create_index('ix_evaluation_activity_type', ['activity_type'], unique=False)
