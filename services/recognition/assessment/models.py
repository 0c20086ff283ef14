"""Stored assessments: the result and a hash of every input it was computed from."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.recognition.db import JsonType, RecognitionBase
from shared.audit import Audited
from shared.db import IdMixin, UtcDateTime, utcnow


class AssessmentRecord(Audited, IdMixin, RecognitionBase):
    __audit_type__ = "assessment"
    __tablename__ = "assessment"

    case_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recognition_case.id", ondelete="CASCADE"), index=True
    )
    inputs_hash: Mapped[str] = mapped_column(String(64), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    recommendation: Mapped[str] = mapped_column(String(32))
    comparable_level: Mapped[str | None] = mapped_column(String(40))
    result: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
