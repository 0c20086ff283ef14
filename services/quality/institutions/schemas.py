"""The reference copy of an institution, as the quality API shows it and as the directory's
events carry it."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


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


class InstitutionState(BaseModel):
    """The part of `institutions.institution.*` events this service keeps."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    origin_node: str
    country: str
    name: str
    status: str
    identifiers: list[IdentifierState] = Field(default_factory=list)
    updated_at: datetime
