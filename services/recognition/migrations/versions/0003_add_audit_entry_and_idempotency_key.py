"""add audit entry and idempotency key: the hash-chained audit log (append-only) and POST idempotency keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

"""
from typing import Sequence, Union

from alembic import op

from shared.migrations import create_audit_entry, create_idempotency_key, drop_audit_entry, drop_idempotency_key


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_audit_entry(op)
    create_idempotency_key(op)


def downgrade() -> None:
    """Downgrade schema."""
    drop_idempotency_key(op)
    drop_audit_entry(op)
