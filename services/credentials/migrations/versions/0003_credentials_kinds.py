"""other credentials (statements of recognition, QA evaluations, micro-credentials) and
suspension: who manages a credential, what it was issued from, its suspension list entry

Revision ID: 0003_credentials_kinds
Revises: 0002_credentials
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0003_credentials_kinds'
down_revision: Union[str, Sequence[str], None] = '0002_credentials'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('issued_credential', schema=None) as batch_op:
        batch_op.alter_column('institution_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.add_column(sa.Column('agency_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('suspension_list_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('suspension_index', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('suspended_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('suspension_reason', sa.String(length=1000), nullable=True)
        )
        batch_op.create_index(batch_op.f('ix_issued_credential_agency_id'), ['agency_id'])
        batch_op.create_index(batch_op.f('ix_issued_credential_source_id'), ['source_id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_issued_credential_suspension_list_id_status_list'),
            'status_list',
            ['suspension_list_id'],
            ['id'],
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_issued_credential_suspension_list_id_suspension_index'),
            ['suspension_list_id', 'suspension_index'],
        )


def downgrade() -> None:
    """Downgrade schema (statements of recognition and QA evaluations, which name no
    institution, go with it)."""
    op.execute("DELETE FROM issued_credential WHERE institution_id IS NULL")
    with op.batch_alter_table('issued_credential', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_issued_credential_suspension_list_id_suspension_index'),
            type_='unique',
        )
        batch_op.drop_constraint(
            batch_op.f('fk_issued_credential_suspension_list_id_status_list'),
            type_='foreignkey',
        )
        batch_op.drop_index(batch_op.f('ix_issued_credential_source_id'))
        batch_op.drop_index(batch_op.f('ix_issued_credential_agency_id'))
        batch_op.drop_column('suspension_reason')
        batch_op.drop_column('suspended_at')
        batch_op.drop_column('suspension_index')
        batch_op.drop_column('suspension_list_id')
        batch_op.drop_column('source_id')
        batch_op.drop_column('agency_id')
        batch_op.alter_column('institution_id', existing_type=sa.Uuid(), nullable=False)
