"""What the quality service's events carry: `quality.agency.*`, `quality.evaluation.*` (each
the record's whole state; quality publishes its `AgencyRead` and `EvaluationRead`, of which
these are the fields its consumers rely on) and `quality.status.changed`. Enumerated values
travel as strings."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _State(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Registration(_State):
    """A listing of the agency on a register (`register` on the wire)."""

    # `register` would shadow ABCMeta.register of the model class: spelled by alias.
    register_: str = Field(alias="register")
    valid_from: date | None = None
    valid_to: date | None = None
    decision: str | None = None


class AgencyState(_State):
    """`quality.agency.created|updated`: a quality assurance agency."""

    id: uuid.UUID
    origin_node: str
    name: str
    acronym: str | None = None
    country: str = Field(description="ISO 3166-1 alpha-2: the country with authority over it.")
    registrations: list[Registration] = Field(default_factory=list)
    reference_source: str | None = None
    superseded_by: uuid.UUID | None = None
    updated_at: datetime | None = None


class EvaluatedProgramme(_State):
    """A programme an evaluation covers; `programme_id` when the directory knows it."""

    programme_id: uuid.UUID | None = None
    name: str | None = None
    qualification: str | None = None
    level: str | None = Field(default=None, description="`FRAMEWORK:LEVEL`, e.g. `MQF:6`.")
    ects: float | None = None
    field: str | None = Field(default=None, description="ISCED-F 2013 code.")
    degree_outcome: str | None = None


class EvaluationState(_State):
    """`quality.evaluation.created|updated|withdrawn`: an external QA result."""

    id: uuid.UUID
    origin_node: str
    agency_id: uuid.UUID
    agency_country: str | None = Field(
        default=None, description="The agency's country, which the origin must have authority over."
    )
    local_identifier: str | None = None
    activity_type: str
    status: str | None = None
    decision: str
    valid_from: date
    valid_to: date | None = None
    institution_ids: list[uuid.UUID] = Field(default_factory=list)
    programmes: list[EvaluatedProgramme] = Field(default_factory=list)
    flag: str = "none"
    flag_cleared_at: datetime | None = None
    withdrawn_at: datetime | None = None
    reference_source: str | None = None
    updated_at: datetime | None = None


class StatusChanged(BaseModel):
    """`quality.status.changed`: the QA status the node derived for an institution (or one of
    its programmes) from the evaluations naming it, as of a day."""

    model_config = ConfigDict(extra="ignore")

    institution_id: uuid.UUID
    programme_id: uuid.UUID | None = None
    status: str = Field(description="A QA status (`rules/qa_status.py`).")
    as_of: date | None = None
    evaluation_ids: list[uuid.UUID] = Field(default_factory=list)

    @property
    def subject_id(self) -> uuid.UUID:
        """What the status is of: the programme, or else the institution."""
        return self.programme_id or self.institution_id
