"""inquiries to issuing nodes ("ask the issuer")

Revision ID: 0004_inquiries
Revises: 0003_credentials_kinds
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0004_inquiries'
down_revision: Union[str, Sequence[str], None] = '0003_credentials_kinds'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('inquiry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('asked_by', sa.String(length=100), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('target_node', sa.String(length=16), nullable=False),
    sa.Column('question', _JSON, nullable=False),
    sa.Column('question_digest', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=True),
    sa.Column('statement', _JSON, nullable=True),
    sa.Column('signature', sa.String(length=2000), nullable=True),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry'))
    )
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_asked_by'), ['asked_by'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_asked_by'))
    op.drop_table('inquiry')
