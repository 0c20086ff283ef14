"""The reference copy of an institution, as the quality API shows it; the directory's events
carry `contracts.institutions.InstitutionState`."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

# The state `institutions.institution.*` events carry: the published language's (of which this
# service keeps the country, name, status and identifiers).
from contracts.institutions import InstitutionState as InstitutionState


class IdentifierState(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    resource: str = Field(max_length=40, examples=["ROR"])
    value: str = Field(max_length=300, examples=["https://ror.org/00rzspn62"])


class InstitutionRefRead(BaseModel):
    """An institution as the quality service knows it (read-only: the directory owns it)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    origin_node: str
    country: str
    name: str
    status: str
    identifiers: list[IdentifierState] = Field(default_factory=list)
    version: int
    updated_at: datetime
