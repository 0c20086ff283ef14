"""evaluation activity: the agency's activity as a submission named it (DEQAR's activity)

Revision ID: 0008_evaluation_activity_formats
Revises: 0007_agency_deqar_id_formats
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008_evaluation_activity_formats'
down_revision: Union[str, Sequence[str], None] = '0007_agency_deqar_id_formats'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity', sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_column('activity')
