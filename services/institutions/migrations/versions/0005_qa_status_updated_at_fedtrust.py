"""qa status updated_at: when the directory's copy of a QA status last changed, so that a
running service follows changes another process made (`edunode federation resync`)

Revision ID: 0005_fedtrust
Revises: 0004_refrec
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from shared.db import UtcDateTime


# revision identifiers, used by Alembic.
revision: str = '0005_fedtrust'
down_revision: Union[str, Sequence[str], None] = '0004_refrec'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('institution_qa_status', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', UtcDateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_institution_qa_status_updated_at'), ['updated_at'], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('institution_qa_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_qa_status_updated_at'))
        batch_op.drop_column('updated_at')
