"""create recognition tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-26

"""
from typing import Sequence, Union

from alembic import op

from shared.migrations import create_event_tables, drop_event_tables


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_event_tables(op)


def downgrade() -> None:
    """Downgrade schema."""
    drop_event_tables(op)
