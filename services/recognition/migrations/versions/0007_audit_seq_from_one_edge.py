"""audit seq from one: the database refuses an audit entry numbered below 1, which would sit
before the chain's start where no verification reaches it

Revision ID: 0007_audit_seq_from_one_edge
Revises: 0006_refrec
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op

from shared.migrations import audit_seq_from_one, drop_audit_seq_from_one


# revision identifiers, used by Alembic.
revision: str = '0007_audit_seq_from_one_edge'
down_revision: Union[str, Sequence[str], None] = '0006_refrec'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    audit_seq_from_one(op)


def downgrade() -> None:
    """Downgrade schema."""
    drop_audit_seq_from_one(op)
