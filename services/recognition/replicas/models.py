"""Read models kept from the directory's, quality's and recognition's events (own and
peers'), by version. The assessment reads its facts from these; the one other service it asks
is the node's directory, to match a free-text institution name (assessment/directory.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.recognition.db import JsonType, RecognitionBase
from shared.db import UtcDateTime


class InstitutionReplica(RecognitionBase):
    __tablename__ = "institution_replica"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(500))
    names: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    identifiers: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    city: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    founded_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # A reference record (docs/reference-records.md): its source, and the owner's record that
    # superseded it (the assessment then reads that one).
    reference_source: Mapped[str | None] = mapped_column(String(500))
    superseded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ProgrammeReplica(RecognitionBase):
    __tablename__ = "programme_replica"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    institution_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str | None] = mapped_column(String(500))
    qualification: Mapped[str | None] = mapped_column(String(300))
    levels: Mapped[list[str]] = mapped_column(JsonType, default=list)
    field: Mapped[str | None] = mapped_column(String(4))
    credits: Mapped[float | None] = mapped_column(Float)
    credit_system: Mapped[str | None] = mapped_column(String(16))
    duration_years: Mapped[float | None] = mapped_column(Float)
    mode: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str | None] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AgencyReplica(RecognitionBase):
    __tablename__ = "agency_replica"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(500))
    acronym: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))
    registrations: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    reference_source: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class EvaluationReplica(RecognitionBase):
    __tablename__ = "evaluation_replica"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    local_identifier: Mapped[str | None] = mapped_column(String(200))
    activity_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str | None] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(48))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    institution_ids: Mapped[list[str]] = mapped_column(JsonType, default=list)
    programmes: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    flag: Mapped[str] = mapped_column(String(8), default="none")
    flag_cleared_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reference_source: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class EvaluationInstitutionReplica(RecognitionBase):
    """Which institutions an evaluation is about (to find them by institution quickly)."""

    __tablename__ = "evaluation_institution"

    evaluation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("evaluation_replica.id", ondelete="CASCADE"), primary_key=True
    )
    institution_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)
