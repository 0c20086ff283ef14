"""add audit entry: the gateway's hash-chained audit log (append-only)

Revision ID: 0002_add_audit_entry
Revises: 0001_create_api_client
Create Date: 2026-11-26

"""
from typing import Sequence, Union

from alembic import op

from shared.migrations import create_audit_entry, drop_audit_entry


# revision identifiers, used by Alembic.
revision: str = '0002_add_audit_entry'
down_revision: Union[str, Sequence[str], None] = '0001_create_api_client'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_audit_entry(op)


def downgrade() -> None:
    """Downgrade schema."""
    drop_audit_entry(op)
