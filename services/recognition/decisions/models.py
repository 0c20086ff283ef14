"""Decisions and appeals (case-local, may hold free text about the applicant), and the
anonymised published decisions (this node's and its peers', the federation's precedents)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.recognition.db import JsonType, RecognitionBase
from shared.audit import Audited
from shared.db import UtcDateTime, utcnow


class Decision(Audited, RecognitionBase):
    __audit_type__ = "decision"
    __tablename__ = "decision"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recognition_case.id", ondelete="CASCADE"), unique=True
    )
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recommendation: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    comparable_level: Mapped[str | None] = mapped_column(String(40))
    justification: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(40))
    # An agreement's id, a convention's article or the law's name (up to caps.REFERENCE_MAX).
    legal_basis_reference: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(JsonType, default=list)
    substantial_differences: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Appeal(Audited, RecognitionBase):
    __audit_type__ = "appeal"
    __tablename__ = "appeal"

    case_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recognition_case.id", ondelete="CASCADE"), primary_key=True
    )
    lodged_on: Mapped[date] = mapped_column(Date)
    grounds: Mapped[str | None] = mapped_column(Text)
    lodged_by: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(16))
    new_outcome: Mapped[str | None] = mapped_column(String(32))
    justification: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))


class PublishedDecision(Audited, RecognitionBase):
    """An anonymised decision: no person, ever (BRIEF §2). Replicated by version."""

    __audit_type__ = "published_decision"
    __tablename__ = "published_decision"
    # The assessment's precedents: one institution and level. Without it SQLite searches by
    # level alone, which most decisions share.
    __table_args__ = (
        Index("ix_published_decision_institution_level", "institution_id", "programme_level"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    institution_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    institution_name: Mapped[str | None] = mapped_column(String(500))
    qualification: Mapped[str] = mapped_column(String(300))
    programme_level: Mapped[str | None] = mapped_column(String(40), index=True)
    origin_country: Mapped[str] = mapped_column(String(2), index=True)
    host_country: Mapped[str] = mapped_column(String(2), index=True)
    outcome: Mapped[str] = mapped_column(String(32), index=True)
    comparable_level: Mapped[str | None] = mapped_column(String(40))
    reasons: Mapped[list[str]] = mapped_column(JsonType, default=list)
    legal_basis: Mapped[str] = mapped_column(Text)  # the instrument as cited, with its name
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    processing_days: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
