"""institution geonames id: the GeoNames id of the city, kept from ROR records for the ROR export

Revision ID: 0007_geonames_formats
Revises: 0006_audit_seq_from_one_edge
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007_geonames_formats'
down_revision: Union[str, Sequence[str], None] = '0006_audit_seq_from_one_edge'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('geonames_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_column('geonames_id')
