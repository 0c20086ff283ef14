"""audit seq from one: the database refuses an audit entry numbered below 1, which would sit
before the chain's start where no verification reaches it

Revision ID: 0006_audit_seq_from_one_edge
Revises: 0005_refrec
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op

from shared.audit import drop_seq_from_one_ddl, seq_from_one_ddl


# revision identifiers, used by Alembic.
revision: str = '0006_audit_seq_from_one_edge'
down_revision: Union[str, Sequence[str], None] = '0005_refrec'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    for statement in seq_from_one_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    """Downgrade schema."""
    for statement in drop_seq_from_one_ddl(op.get_bind().dialect.name):
        op.execute(statement)
