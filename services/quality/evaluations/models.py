"""An evaluation (a QA result, DEQAR's "report"), owned by its agency's node, with the
institutions and programmes it covers and the log of cleared flags."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rules.qa_status import is_hidden
from services.quality.db import QualityBase
from shared.audit import Audited
from shared.db import IdMixin, TimestampMixin, UtcDateTime, VersionMixin, new_id, utcnow


class Evaluation(Audited, IdMixin, TimestampMixin, VersionMixin, QualityBase):
    __audit_type__ = "evaluation"
    __tablename__ = "evaluation"
    __table_args__ = (
        UniqueConstraint("agency_id", "local_identifier"),
        # Search filters on these and pages in id order: (filter, id) lets a page stop early.
        Index("ix_evaluation_activity_type_id", "activity_type", "id"),
        Index("ix_evaluation_decision_id", "decision", "id"),
    )

    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    # No foreign key to `agency`: a replica may arrive before its agency does.
    agency_id: Mapped[uuid.UUID] = mapped_column(index=True)
    local_identifier: Mapped[str] = mapped_column(String(200))
    contributing_agency_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    activity_type: Mapped[str] = mapped_column(String(40))
    # The agency's activity as the submission named it (DEQAR's `activity`), if it did.
    activity: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40), index=True)
    decision: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date, index=True)
    valid_to: Mapped[date] = mapped_column(Date, index=True)
    institution_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    programmes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    summary: Mapped[str | None] = mapped_column(Text)
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    criterion_scores: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    flag: Mapped[str] = mapped_column(String(8), default="none", index=True)
    flag_messages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    flag_cleared_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set on an evaluation by a reference agency (docs/reference-records.md): where it comes from.
    reference_source: Mapped[str | None] = mapped_column(String(500))
    # Whether an event of this evaluation went out (a high flag holds them back until cleared).
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    # Fingerprint of the submitted content: a resubmission with the same one changes nothing.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # The `valid_to` the expiry pass has already handled (see status/worker.py).
    expiry_handled_for: Mapped[date | None] = mapped_column(Date)

    links: Mapped[list[EvaluationInstitution]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", lazy="raise"
    )
    programme_links: Mapped[list[EvaluationProgramme]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", lazy="raise"
    )

    @property
    def hidden(self) -> bool:
        """A high flag keeps the evaluation from public reads until a node admin clears it."""
        return is_hidden(self.flag, self.flag_cleared_at is not None)


class EvaluationInstitution(QualityBase):
    """Which institutions an evaluation covers (for status and filters by institution/country)."""

    __tablename__ = "evaluation_institution"
    # Filtering by country reads evaluation ids from this index alone.
    __table_args__ = (
        Index("ix_evaluation_institution_country_evaluation_id", "country", "evaluation_id"),
    )

    evaluation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluation.id", ondelete="CASCADE"), primary_key=True
    )
    institution_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    position: Mapped[int] = mapped_column(Integer, default=0)

    evaluation: Mapped[Evaluation] = relationship(back_populates="links")


class EvaluationProgramme(QualityBase):
    """Which directory programmes an evaluation covers (programmes named by id)."""

    __tablename__ = "evaluation_programme"

    evaluation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluation.id", ondelete="CASCADE"), primary_key=True
    )
    programme_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)

    evaluation: Mapped[Evaluation] = relationship(back_populates="programme_links")


class FlagClearance(Audited, QualityBase):
    """Who cleared which flag of which evaluation version, when and why."""

    __audit_type__ = "flag_clearance"
    __tablename__ = "evaluation_flag_clearance"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    evaluation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluation.id", ondelete="CASCADE"), index=True
    )
    evaluation_version: Mapped[int] = mapped_column(Integer)
    flag: Mapped[str] = mapped_column(String(8))
    flag_messages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    cleared_by: Mapped[str] = mapped_column(String(200))
    cleared_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
