"""Recognition cases. The applicant's personal data lives in `case_applicant` and
`case_document` only: nothing else in this database (and nothing that leaves it) names a
person, and erasure deletes those rows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.recognition.db import RecognitionBase
from shared.audit import Audited
from shared.db import IdMixin, TimestampMixin, UtcDateTime, VersionMixin, new_id, utcnow


class CaseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INCOMPLETE = "incomplete"
    COMPLETE = "complete"
    UNDER_ASSESSMENT = "under_assessment"
    DECIDED = "decided"
    APPEALED = "appealed"
    APPEAL_DECIDED = "appeal_decided"
    WITHDRAWN = "withdrawn"


class Purpose(StrEnum):
    FURTHER_STUDY = "further_study"
    EMPLOYMENT = "employment"
    REGULATED_PROFESSION = "regulated_profession"
    USE_OF_TITLE = "use_of_title"
    OTHER = "other"


class StudyMode(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    DISTANCE = "distance"
    BLENDED = "blended"


def _enum(kind: type[StrEnum], length: int) -> Enum:
    """A StrEnum stored as its value in a plain string column (read back as the enum)."""
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class RecognitionCase(Audited, IdMixin, TimestampMixin, VersionMixin, RecognitionBase):
    __audit_type__ = "case"
    __tablename__ = "recognition_case"

    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus, 20), index=True)
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose, 24))
    host_country: Mapped[str] = mapped_column(String(2))
    target_level: Mapped[str] = mapped_column(String(40))
    # The qualification presented (no person in it).
    institution_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    institution_name: Mapped[str | None] = mapped_column(String(500))
    programme_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    country: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(4))
    credits: Mapped[float | None] = mapped_column(Float)
    credit_system: Mapped[str | None] = mapped_column(String(16))
    years_full_time: Mapped[float | None] = mapped_column(Float)
    mode: Mapped[StudyMode] = mapped_column(_enum(StudyMode, 16))
    awarded_on: Mapped[date] = mapped_column(Date)
    transnational: Mapped[bool] = mapped_column(Boolean, default=False)
    # The procedure.
    created_by: Mapped[str] = mapped_column(String(100))
    completed_on: Mapped[date | None] = mapped_column(Date)
    deadline_on: Mapped[date | None] = mapped_column(Date, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    applicant_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# The officers' queue order (`?sort=deadline`): the deadline, the cases whose clock has not
# started as a date no deadline reaches (a keyset cursor cannot compare a NULL), then the id.
# Not `date.max`: asyncpg sends that as PostgreSQL's 'infinity', which the index's literal is
# not. The index holds this very expression, so a page is read in order, not sorted (migration
# 0009_case_deadline_order_queue).
NO_DEADLINE = date(9999, 1, 1)
DEADLINE_ORDER = func.coalesce(
    RecognitionCase.deadline_on, literal_column(f"'{NO_DEADLINE.isoformat()}'", Date())
)
Index("ix_recognition_case_deadline_order", DEADLINE_ORDER, RecognitionCase.id)


class CaseApplicant(RecognitionBase):
    """The applicant: personal data, erased on request."""

    __tablename__ = "case_applicant"

    case_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recognition_case.id", ondelete="CASCADE"), primary_key=True
    )
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(2))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)


class CaseDocument(RecognitionBase):
    """A document the applicant submitted, by reference (personal: erased with the applicant)."""

    __tablename__ = "case_document"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    case_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recognition_case.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(1000))
    note: Mapped[str | None] = mapped_column(Text)


class CaseStatusChange(RecognitionBase):
    """One step of a case's history: who, when, from, to, and the legal reason."""

    __tablename__ = "case_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("recognition_case.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    legal_reason: Mapped[str] = mapped_column(String(1000))
