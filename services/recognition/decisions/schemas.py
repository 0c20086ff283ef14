"""Decisions, appeals and the anonymised published decision (the federated precedent)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from contracts.recognition import PublishedDecisionState
from services.recognition import caps
from services.recognition.assessment.schemas import LegalBasis, Outcome, SubstantialDifference
from shared.caps import Note


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    legal_basis: LegalBasis
    justification: str | None = Field(
        default=None,
        max_length=caps.REASONING_MAX,
        description="Required when the outcome departs from the recommendation or refuses.",
    )
    substantial_differences: list[SubstantialDifference] = Field(
        default_factory=list,
        max_length=caps.CONDITIONS_MAX,
        description="At least one for a refusal.",
    )
    conditions: list[Note] = Field(default_factory=list, max_length=caps.CONDITIONS_MAX)
    comparable_level: str | None = Field(
        default=None, max_length=40, description="Defaults to the assessment's comparable level."
    )


class DecisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID = Field(description="Also the id of the published (anonymised) decision.")
    case_id: uuid.UUID
    assessment_id: uuid.UUID | None
    recommendation: str | None
    outcome: str
    comparable_level: str | None
    justification: str | None
    legal_basis: str
    legal_basis_reference: str | None
    conditions: list[str]
    substantial_differences: list[SubstantialDifference]
    decided_by: str
    decided_on: date
    decided_at: datetime


class AppealCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grounds: str | None = Field(default=None, max_length=caps.REASONING_MAX)


class AppealOutcome(StrEnum):
    DISMISSED = "dismissed"
    GRANTED = "granted"


class AppealDecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: AppealOutcome
    justification: str = Field(min_length=3, max_length=caps.REASONING_MAX)
    new_outcome: Outcome | None = Field(
        default=None, description="Required when the appeal is granted: the decision's new outcome."
    )
    comparable_level: str | None = Field(default=None, max_length=40)


class AppealRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    case_id: uuid.UUID
    lodged_on: date
    grounds: str | None
    lodged_by: str
    outcome: str | None
    new_outcome: str | None
    justification: str | None
    decided_on: date | None
    decided_by: str | None


class PublishedDecisionRead(PublishedDecisionState):
    version: int
