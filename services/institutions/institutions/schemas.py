"""What the institutions API reads and writes, and what its events carry."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl

from services.institutions.institutions.models import InstitutionStatus


def _upper_country(value: str) -> str:
    return value.upper()


Country = Annotated[
    str,
    Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$", examples=["MY"]),
    AfterValidator(_upper_country),
]
Name = Annotated[str, Field(min_length=1, max_length=500, examples=["Universiti Malaya"])]


class InstitutionCreate(BaseModel):
    """A new institution of a country this node has authority over."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    country: Country
    city: str | None = Field(default=None, max_length=200, examples=["Kuala Lumpur"])
    website: HttpUrl | None = Field(default=None, examples=["https://www.um.edu.my"])


class InstitutionUpdate(BaseModel):
    """A partial update; fields left out keep their value. Status changes replace deletion."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    city: str | None = Field(default=None, max_length=200)
    website: HttpUrl | None = None
    status: InstitutionStatus | None = None


class InstitutionRead(BaseModel):
    """An institution as the directory publishes it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    origin_node: str = Field(description="The node that owns (and alone may change) the record.")
    country: str
    name: str
    city: str | None
    website: str | None
    status: InstitutionStatus
    version: int
    created_at: datetime
    updated_at: datetime
