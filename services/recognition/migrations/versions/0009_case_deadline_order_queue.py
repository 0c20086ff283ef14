"""case deadline order: an index on the officers' queue order (the deadline, none as
9999-01-01, then the id), so a page of `?sort=deadline` is read in order rather than sorted

Revision ID: 0009_case_deadline_order_queue
Revises: 0008_processing_days_proc
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0009_case_deadline_order_queue'
down_revision: Union[str, Sequence[str], None] = '0008_processing_days_proc'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        'ix_recognition_case_deadline_order',
        'recognition_case',
        [sa.text("coalesce(deadline_on, '9999-01-01')"), 'id'],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_recognition_case_deadline_order', table_name='recognition_case')
