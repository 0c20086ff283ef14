"""replica reference records: the source of replicated reference records, and the owner's institution that superseded one

Revision ID: 0006_refrec
Revises: 0005_legal
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006_refrec'
down_revision: Union[str, Sequence[str], None] = '0005_legal'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('institution_replica', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference_source', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('superseded_by', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_institution_replica_superseded_by'), ['superseded_by'], unique=False)
    with op.batch_alter_table('agency_replica', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference_source', sa.String(length=500), nullable=True))
    with op.batch_alter_table('evaluation_replica', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference_source', sa.String(length=500), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('evaluation_replica', schema=None) as batch_op:
        batch_op.drop_column('reference_source')
    with op.batch_alter_table('agency_replica', schema=None) as batch_op:
        batch_op.drop_column('reference_source')
    with op.batch_alter_table('institution_replica', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_replica_superseded_by'))
        batch_op.drop_column('superseded_by')
        batch_op.drop_column('reference_source')
