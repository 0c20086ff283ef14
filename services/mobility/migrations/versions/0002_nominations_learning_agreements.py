"""nominations, learning agreements and students' approval tokens

Revision ID: 0002_nominations_las
Revises: 0001_mobility
Create Date: 2026-12-07

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = "0002_nominations_las"
down_revision: Union[str, Sequence[str], None] = "0001_mobility"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    json = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
    op.create_table(
        "mobility_nomination",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("sending_institution_id", sa.Uuid(), nullable=False),
        sa.Column("sending_node", sa.String(length=16), nullable=False),
        sa.Column("receiving_institution_id", sa.Uuid(), nullable=False),
        sa.Column("receiving_node", sa.String(length=16), nullable=False),
        sa.Column("mobility_type", sa.String(length=32), nullable=False),
        sa.Column("academic_year", sa.String(length=9), nullable=False),
        sa.Column("term", sa.String(length=3), nullable=False),
        sa.Column("isced_f", sa.String(length=4), nullable=False),
        sa.Column("eqf_level", sa.Integer(), nullable=False),
        sa.Column("student", json, nullable=True),
        sa.Column("student_erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("nominated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nominated_by", sa.String(length=200), nullable=False),
        sa.Column("respond_by", sa.Date(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_nomination")),
    )
    op.create_index(
        "ix_mobility_nomination_sending",
        "mobility_nomination",
        ["sending_institution_id", "updated_at"],
    )
    op.create_index(
        "ix_mobility_nomination_receiving",
        "mobility_nomination",
        ["receiving_institution_id", "updated_at"],
    )
    op.create_index(
        "ix_mobility_nomination_places",
        "mobility_nomination",
        ["agreement_id", "academic_year", "status"],
    )
    op.create_table(
        "mobility_learning_agreement",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("nomination_id", sa.Uuid(), nullable=False),
        sa.Column("sending_institution_id", sa.Uuid(), nullable=False),
        sa.Column("sending_node", sa.String(length=16), nullable=False),
        sa.Column("receiving_institution_id", sa.Uuid(), nullable=False),
        sa.Column("receiving_node", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("respond_by", sa.Date(), nullable=True),
        sa.Column("receiving_answered", sa.Boolean(), nullable=False),
        sa.Column("current", json, nullable=False),
        sa.Column("history", json, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_learning_agreement")),
        sa.UniqueConstraint(
            "nomination_id", name=op.f("uq_mobility_learning_agreement_nomination_id")
        ),
    )
    op.create_index(
        "ix_mobility_la_sending",
        "mobility_learning_agreement",
        ["sending_institution_id", "updated_at"],
    )
    op.create_index(
        "ix_mobility_la_receiving",
        "mobility_learning_agreement",
        ["receiving_institution_id", "updated_at"],
    )
    op.create_table(
        "mobility_student_token",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("learning_agreement_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_student_token")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_mobility_student_token_token_sha256")),
    )
    op.create_index(
        op.f("ix_mobility_student_token_learning_agreement_id"),
        "mobility_student_token",
        ["learning_agreement_id"],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(
        op.f("ix_mobility_student_token_learning_agreement_id"),
        table_name="mobility_student_token",
    )
    op.drop_table("mobility_student_token")
    op.drop_index("ix_mobility_la_receiving", table_name="mobility_learning_agreement")
    op.drop_index("ix_mobility_la_sending", table_name="mobility_learning_agreement")
    op.drop_table("mobility_learning_agreement")
    op.drop_index("ix_mobility_nomination_places", table_name="mobility_nomination")
    op.drop_index("ix_mobility_nomination_receiving", table_name="mobility_nomination")
    op.drop_index("ix_mobility_nomination_sending", table_name="mobility_nomination")
    op.drop_table("mobility_nomination")
