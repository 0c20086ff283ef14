"""Nominations, as both partners' nodes hold them. The student (personal data) is one
column, null once erased."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.mobility.db import JsonType, MobilityBase
from shared.audit import Audited
from shared.db import UtcDateTime, utcnow


class Nomination(Audited, MobilityBase):
    __audit_type__ = "nomination"
    __tablename__ = "mobility_nomination"
    __table_args__ = (
        Index("ix_mobility_nomination_sending", "sending_institution_id", "updated_at"),
        Index("ix_mobility_nomination_receiving", "receiving_institution_id", "updated_at"),
        Index("ix_mobility_nomination_places", "agreement_id", "academic_year", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    agreement_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sending_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sending_node: Mapped[str] = mapped_column(String(16))
    receiving_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    receiving_node: Mapped[str] = mapped_column(String(16))
    mobility_type: Mapped[str] = mapped_column(String(32))
    academic_year: Mapped[str] = mapped_column(String(9))
    term: Mapped[str] = mapped_column(String(3))
    isced_f: Mapped[str] = mapped_column(String(4))
    eqf_level: Mapped[int] = mapped_column(Integer)
    student: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    student_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    nominated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    nominated_by: Mapped[str] = mapped_column(String(200))
    respond_by: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answered_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
