"""Learning agreements as both partners' nodes hold them (the current version and the earlier
ones), and the student's approval tokens, which only the sending node holds."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.mobility.db import JsonType, MobilityBase
from shared.audit import Audited
from shared.db import UtcDateTime, utcnow


class LearningAgreement(Audited, MobilityBase):
    __audit_type__ = "learning_agreement"
    __tablename__ = "mobility_learning_agreement"
    __table_args__ = (
        Index("ix_mobility_la_sending", "sending_institution_id", "updated_at"),
        Index("ix_mobility_la_receiving", "receiving_institution_id", "updated_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    nomination_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    sending_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sending_node: Mapped[str] = mapped_column(String(16))
    receiving_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    receiving_node: Mapped[str] = mapped_column(String(16))
    # The current version's, for lists and the overdue filter.
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    respond_by: Mapped[date | None] = mapped_column(Date)
    receiving_answered: Mapped[bool] = mapped_column(Boolean)
    current: Mapped[dict[str, Any]] = mapped_column(JsonType)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class StudentToken(Audited, MobilityBase):
    """A single-use token for the student to approve one version of their learning agreement:
    only its SHA-256 is kept."""

    __audit_type__ = "student_token"
    __tablename__ = "mobility_student_token"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    learning_agreement_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    revision: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
