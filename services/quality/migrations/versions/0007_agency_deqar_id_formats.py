"""agency deqar id: the agency's id in DEQAR, by which DEQAR's files may name it

Revision ID: 0007_agency_deqar_id_formats
Revises: 0006_audit_seq_from_one_edge
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007_agency_deqar_id_formats'
down_revision: Union[str, Sequence[str], None] = '0006_audit_seq_from_one_edge'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deqar_id', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_agency_deqar_id'), ['deqar_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_deqar_id'))
        batch_op.drop_column('deqar_id')
