"""the kernel's tables: outbox, inbox, dead letters, quarantine, audit, idempotency keys

Revision ID: 0001_credentials
Revises:
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op

from shared.migrations import (
    audit_seq_from_one,
    create_audit_entry,
    create_event_tables,
    create_idempotency_key,
    drop_audit_entry,
    drop_audit_seq_from_one,
    drop_event_tables,
    drop_idempotency_key,
)

# revision identifiers, used by Alembic.
revision: str = '0001_credentials'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_event_tables(op)
    create_audit_entry(op)
    create_idempotency_key(op)
    audit_seq_from_one(op)


def downgrade() -> None:
    """Downgrade schema."""
    drop_audit_seq_from_one(op)
    drop_idempotency_key(op)
    drop_audit_entry(op)
    drop_event_tables(op)
