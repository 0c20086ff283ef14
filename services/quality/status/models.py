"""The last QA status this node published for each institution: what makes the status
events (and so the expiry pass) idempotent, and their version counter."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.quality.db import QualityBase
from shared.db import UtcDateTime, utcnow


class PublishedStatus(QualityBase):
    __tablename__ = "qa_status"

    institution_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(40))
    evaluation_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    as_of: Mapped[date] = mapped_column(Date)
    # Counts the changes of this institution's status at this node (`aggregateversion`).
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
