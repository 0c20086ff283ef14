"""create institution and kernel tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-26

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from shared.migrations import create_event_tables, drop_event_tables


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_event_tables(op)
    op.create_table('institution',
    sa.Column('origin_node', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution'))
    )
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_origin_node'), ['origin_node'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_status'), ['status'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_status'))
        batch_op.drop_index(batch_op.f('ix_institution_origin_node'))
        batch_op.drop_index(batch_op.f('ix_institution_country'))

    op.drop_table('institution')
    drop_event_tables(op)
