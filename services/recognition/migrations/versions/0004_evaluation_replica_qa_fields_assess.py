"""evaluation replica qa fields: what the QA status rule reads of an evaluation (its local
identifier, whether its high flag was cleared), and the local name matcher's table dropped
(free-text institution names are matched by the node's directory); published decisions
indexed by institution and level, as the assessment's precedents are read

Revision ID: 0004_assess
Revises: 0003
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004_assess'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('evaluation_replica', schema=None) as batch_op:
        batch_op.add_column(sa.Column('local_identifier', sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column('flag_cleared_at', sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table('institution_name_replica', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_name_replica_institution_id'))
        batch_op.drop_index('ix_institution_name_replica_country_key')
    op.drop_table('institution_name_replica')
    with op.batch_alter_table('published_decision', schema=None) as batch_op:
        batch_op.create_index(
            'ix_published_decision_institution_level',
            ['institution_id', 'programme_level'],
            unique=False,
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('published_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_published_decision_institution_level')
    op.create_table('institution_name_replica',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.Column('key', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution_replica.id'], name=op.f('fk_institution_name_replica_institution_id_institution_replica'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_name_replica'))
    )
    with op.batch_alter_table('institution_name_replica', schema=None) as batch_op:
        batch_op.create_index('ix_institution_name_replica_country_key', ['country', 'key'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_name_replica_institution_id'), ['institution_id'], unique=False)
    with op.batch_alter_table('evaluation_replica', schema=None) as batch_op:
        batch_op.drop_column('flag_cleared_at')
        batch_op.drop_column('local_identifier')
