"""transcripts of records, grade distribution tables and recognitions at home

Revision ID: 0003_transcripts
Revises: 0002_nominations_las
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0003_transcripts"
down_revision: Union[str, Sequence[str], None] = "0002_nominations_las"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    json = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
    op.create_table(
        "mobility_grade_table",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column("isced_f", sa.String(length=4), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("academic_years", sa.String(length=40), nullable=False),
        sa.Column("scale", sa.String(length=16), nullable=True),
        sa.Column("grades", json, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_grade_table")),
        sa.UniqueConstraint(
            "institution_id", "isced_f", name=op.f("uq_mobility_grade_table_institution_id_isced_f")
        ),
    )
    op.create_table(
        "mobility_transcript",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("mobility_id", sa.Uuid(), nullable=False),
        sa.Column("sending_institution_id", sa.Uuid(), nullable=False),
        sa.Column("sending_node", sa.String(length=16), nullable=False),
        sa.Column("receiving_institution_id", sa.Uuid(), nullable=False),
        sa.Column("receiving_node", sa.String(length=16), nullable=False),
        sa.Column("transcript", json, nullable=False),
        sa.Column("host_tables", json, nullable=False),
        sa.Column("planned", json, nullable=True),
        sa.Column("learner_erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_transcript")),
    )
    op.create_index(
        "ix_mobility_transcript_sending",
        "mobility_transcript",
        ["sending_institution_id", "updated_at"],
    )
    op.create_index(
        "ix_mobility_transcript_receiving",
        "mobility_transcript",
        ["receiving_institution_id", "updated_at"],
    )
    op.create_index("ix_mobility_transcript_mobility", "mobility_transcript", ["mobility_id"])
    op.create_table(
        "mobility_recognition",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("mobility_id", sa.Uuid(), nullable=False),
        sa.Column("sending_institution_id", sa.Uuid(), nullable=False),
        sa.Column("home_system", sa.String(length=16), nullable=False),
        sa.Column("components", json, nullable=False),
        sa.Column("planned_ects", sa.Float(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_recognition")),
    )
    op.create_index(
        "ix_mobility_recognition_sending",
        "mobility_recognition",
        ["sending_institution_id", "updated_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_mobility_recognition_sending", table_name="mobility_recognition")
    op.drop_table("mobility_recognition")
    op.drop_index("ix_mobility_transcript_mobility", table_name="mobility_transcript")
    op.drop_index("ix_mobility_transcript_receiving", table_name="mobility_transcript")
    op.drop_index("ix_mobility_transcript_sending", table_name="mobility_transcript")
    op.drop_table("mobility_transcript")
    op.drop_table("mobility_grade_table")
