"""Transcripts of records, the grade distribution tables they are converted with, and the
recognition at home each transcript gives (issue 19, items 4 and 5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.mobility.db import JsonType, MobilityBase
from shared.audit import Audited
from shared.db import UtcDateTime, utcnow


class GradeTable(Audited, MobilityBase):
    """An institution's grade distribution table for one field of study (ISCED-F): each
    passing grade with its count, best first; `scale` names the national grading scale."""

    __audit_type__ = "grade_table"
    __tablename__ = "mobility_grade_table"
    __table_args__ = (UniqueConstraint("institution_id", "isced_f"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    isced_f: Mapped[str] = mapped_column(String(4))
    label: Mapped[str] = mapped_column(String(500))
    academic_years: Mapped[str] = mapped_column(String(40))
    scale: Mapped[str | None] = mapped_column(String(16))
    grades: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class TranscriptRecord(Audited, MobilityBase):
    """A transcript the receiving institution issued for a mobility, held by both its node and
    the sending one, with the receiving institution's tables for its fields (a snapshot: the
    sending node converts grades with them)."""

    __audit_type__ = "transcript"
    __tablename__ = "mobility_transcript"
    __table_args__ = (
        Index("ix_mobility_transcript_sending", "sending_institution_id", "updated_at"),
        Index("ix_mobility_transcript_receiving", "receiving_institution_id", "updated_at"),
        Index("ix_mobility_transcript_mobility", "mobility_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mobility_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sending_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sending_node: Mapped[str] = mapped_column(String(16))
    receiving_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    receiving_node: Mapped[str] = mapped_column(String(16))
    transcript: Mapped[dict[str, Any]] = mapped_column(JsonType)
    host_tables: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    planned: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonType)
    learner_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RecognitionRecord(Audited, MobilityBase):
    """At the sending node: what a transcript counts for at home, computed and explained, as
    the coordinator confirmed or overrode it (with a reason). One per transcript (same id)."""

    __audit_type__ = "recognition"
    __tablename__ = "mobility_recognition"
    __table_args__ = (
        Index("ix_mobility_recognition_sending", "sending_institution_id", "updated_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mobility_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sending_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    home_system: Mapped[str] = mapped_column(String(16))
    components: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    planned_ects: Mapped[float] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
