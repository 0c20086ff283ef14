"""The parts of the directory's and quality's events that recognition keeps (docs/events.md).
Unknown fields are ignored, so producers can add fields in a minor version."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _State(BaseModel):
    model_config = ConfigDict(extra="ignore")


class NameState(_State):
    value: str
    lang: str | None = None
    kind: str = "official"
    valid_to: date | None = None


class IdentifierState(_State):
    resource: str
    value: str


class InstitutionState(_State):
    """`institutions.institution.created|updated`."""

    id: uuid.UUID
    origin_node: str
    country: str = Field(min_length=2, max_length=2)
    name: str
    names: list[NameState] = Field(default_factory=list)
    identifiers: list[IdentifierState] = Field(default_factory=list)
    city: str | None = None
    type: str | None = None
    status: str = "active"
    founded_on: date | None = None
    closed_on: date | None = None
    reference_source: str | None = None
    updated_at: datetime | None = None


class ProgrammeState(_State):
    """`institutions.programme.created|updated`."""

    id: uuid.UUID
    origin_node: str
    institution_id: uuid.UUID
    names: list[NameState] = Field(default_factory=list)
    qualification: str | None = None
    levels: list[str] = Field(default_factory=list)
    field: str | None = None
    credits: float | None = None
    credit_system: str | None = None
    duration_years: float | None = None
    mode: str | None = None
    status: str | None = None
    updated_at: datetime | None = None


class RegistrationState(_State):
    register_: str = Field(alias="register")
    valid_from: date | None = None
    valid_to: date | None = None
    decision: str | None = None


class AgencyState(_State):
    """`quality.agency.created|updated`."""

    id: uuid.UUID
    origin_node: str
    name: str
    acronym: str | None = None
    country: str
    registrations: list[RegistrationState] = Field(default_factory=list)
    reference_source: str | None = None
    updated_at: datetime | None = None


class EvaluationProgrammeState(_State):
    programme_id: uuid.UUID | None = None
    name: str | None = None
    qualification: str | None = None
    level: str | None = None
    ects: float | None = None
    field: str | None = None
    degree_outcome: str | None = None


class EvaluationState(_State):
    """`quality.evaluation.created|updated|withdrawn`."""

    id: uuid.UUID
    origin_node: str
    agency_id: uuid.UUID
    local_identifier: str | None = None
    activity_type: str
    status: str | None = None
    decision: str
    valid_from: date
    valid_to: date | None = None
    institution_ids: list[uuid.UUID] = Field(default_factory=list)
    programmes: list[EvaluationProgrammeState] = Field(default_factory=list)
    flag: str = "none"
    flag_cleared_at: datetime | None = None
    withdrawn_at: datetime | None = None
    reference_source: str | None = None
    updated_at: datetime | None = None
