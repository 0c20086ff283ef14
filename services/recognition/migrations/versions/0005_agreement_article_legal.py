"""agreement article and legal basis text: the article of an agreement that decisions cite, and
room for a legal basis named in full (a law's name, an agreement's reference)

Revision ID: 0005_legal
Revises: 0004_assess
Create Date: 2026-12-07

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005_legal'
down_revision: Union[str, Sequence[str], None] = '0004_assess'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('agreement') as batch:
        batch.add_column(sa.Column('article', sa.String(length=40), nullable=True))
    with op.batch_alter_table('decision') as batch:
        batch.alter_column(
            'legal_basis_reference', type_=sa.Text(), existing_type=sa.String(length=64)
        )
    with op.batch_alter_table('published_decision') as batch:
        batch.alter_column('legal_basis', type_=sa.Text(), existing_type=sa.String(length=100))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('published_decision') as batch:
        batch.alter_column('legal_basis', type_=sa.String(length=100), existing_type=sa.Text())
    with op.batch_alter_table('decision') as batch:
        batch.alter_column(
            'legal_basis_reference', type_=sa.String(length=64), existing_type=sa.Text()
        )
    with op.batch_alter_table('agreement') as batch:
        batch.drop_column('article')
