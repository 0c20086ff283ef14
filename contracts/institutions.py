"""What the institutions service's events carry: `institutions.institution.created|updated`
and `institutions.programme.created|updated`, each the record's whole state (docs/events.md).

The directory validates what its owners enter far more strictly (country and language codes,
identifier checksums: `services/institutions/.../schemas.py`); these schemas are the wire's
shape, the promise every consumer may rely on. Enumerated values travel as strings, so a
value added in a minor version does not break a consumer that does not know it yet.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _State(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Name(_State):
    """One name of an institution or programme; a historical one keeps its `valid_to`."""

    value: str
    lang: str | None = Field(default=None, description="ISO 639-1.")
    kind: str = "official"
    valid_to: date | None = None


class Identifier(_State):
    """An identifier of the institution in another registry (ROR, ETER, Erasmus, …)."""

    resource: str = Field(max_length=40, examples=["ror"])
    value: str = Field(max_length=300, examples=["00rzspn62"])
    valid_from: date | None = None
    valid_to: date | None = None


class Relationship(_State):
    """`this institution <type> institution_id`, e.g. `campus_of`."""

    type: str
    institution_id: uuid.UUID


class InstitutionState(_State):
    """`institutions.institution.created|updated`: an institution's whole state."""

    id: uuid.UUID
    origin_node: str = Field(description="The node that owns (and alone may change) it.")
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    name: str
    names: list[Name] = Field(default_factory=list)
    identifiers: list[Identifier] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    website: str | None = None
    type: str = "university"
    legal_status: str | None = None
    status: str = "active"
    founded_on: date | None = None
    closed_on: date | None = None
    reference_source: str | None = Field(
        default=None, description="A reference record's source (null for an owner's record)."
    )
    superseded_by: uuid.UUID | None = None
    version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime


class ProgrammeState(_State):
    """`institutions.programme.created|updated`: a programme's whole state."""

    id: uuid.UUID
    origin_node: str
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    institution_id: uuid.UUID
    name: str
    names: list[Name] = Field(default_factory=list)
    qualification: str | None = None
    levels: list[str] = Field(default_factory=list)
    field: str | None = None
    credits: float | None = None
    credit_system: str | None = None
    duration_years: float | None = None
    mode: str | None = None
    languages: list[str] = Field(default_factory=list)
    joint_partners: list[uuid.UUID] = Field(default_factory=list)
    status: str = "active"
    version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime
