"""QA status as the API answers it and as `quality.status.changed` events carry it."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

from services.quality.vocabulary import ActivityType, Decision, QAStatus


class JustifyingEvaluation(BaseModel):
    model_config = {"from_attributes": True}

    id: uuid.UUID
    agency_id: uuid.UUID
    local_identifier: str
    activity_type: ActivityType
    decision: Decision
    valid_from: date
    valid_to: date


class QAStatusRead(BaseModel):
    """The QA status of an institution (or one of its programmes) at a date."""

    institution_id: uuid.UUID | None
    programme_id: uuid.UUID | None = None
    at: date
    status: QAStatus
    evaluations: list[JustifyingEvaluation] = Field(
        description="The evaluations that justify the status, the decisive one first."
    )


class StatusChanged(BaseModel):
    """The state of `quality.status.changed` (docs/events.md)."""

    institution_id: uuid.UUID
    programme_id: uuid.UUID | None = None
    status: QAStatus
    as_of: date
    evaluation_ids: list[uuid.UUID]
