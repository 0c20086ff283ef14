"""What the agencies API reads and writes, and what `quality.agency.*` events carry."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, UrlConstraints, model_validator

from services.quality import caps
from services.quality.vocabulary import (
    ActivityType,
    Country,
    FocusKind,
    Framework,
    Language,
    Register,
    RegistrationDecision,
)
from shared.caps import CODE_MAX, NAME_MAX, NAMES_MAX, SHORT_TEXT_MAX
from shared.fields import IsoDate, ReferenceSource

# The `website` column holds 500 characters, one kept for the "/" normalising may add: a
# longer URL is a 422, never a database error.
Website = Annotated[HttpUrl, UrlConstraints(max_length=499)]


class AgencyName(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str = Field(min_length=1, max_length=NAME_MAX)
    lang: Language | None = None


class FocusCountry(BaseModel):
    """A country the agency works in: officially (its home system) or cross-border."""

    model_config = ConfigDict(extra="forbid")

    country: Country
    kind: FocusKind = FocusKind.OFFICIAL
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None


class Registration(BaseModel):
    """A listing of the agency on a register, with its validity window."""

    # `register` would shadow ABCMeta.register of the model class: spelled by alias.
    model_config = ConfigDict(extra="forbid", validate_by_name=True, serialize_by_alias=True)

    register_: Register = Field(alias="register")
    valid_from: IsoDate
    valid_to: IsoDate | None = Field(default=None, description="Open-ended when null.")
    decision: RegistrationDecision = RegistrationDecision.ADMISSION

    @model_validator(mode="after")
    def _window(self) -> Self:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class AgencyActivity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: ActivityType
    name: str | None = Field(
        default=None, max_length=SHORT_TEXT_MAX, examples=["Programme accreditation"]
    )
    identifier: str | None = Field(
        default=None,
        max_length=CODE_MAX,
        description="How submissions may name the activity besides its name: its DEQAR "
        "activity id or the agency's own code.",
        examples=["181"],
    )


class AgencyCreate(BaseModel):
    """A new agency of a country this node has authority over; or, with its
    `reference_source`, a reference record of an agency of a country no node has authority
    over (node admin only; docs/reference-records.md)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=500, examples=["Malaysian Qualifications Agency"])
    acronym: str = Field(min_length=1, max_length=50, examples=["MQA"])
    deqar_id: str | None = Field(
        default=None,
        pattern=r"^[0-9]{1,10}$",
        description="The agency's id in DEQAR (EQAR-registered agencies): DEQAR's files may "
        "name the agency by it instead of its acronym.",
        examples=["33"],
    )
    names: list[AgencyName] = Field(
        default_factory=list, max_length=NAMES_MAX, description="Other names."
    )
    country: Country
    website: Website | None = None
    focus_countries: list[FocusCountry] = Field(
        default_factory=list, max_length=caps.FOCUS_COUNTRIES_MAX
    )
    registrations: list[Registration] = Field(
        default_factory=list, max_length=caps.REGISTRATIONS_MAX
    )
    activities: list[AgencyActivity] = Field(default_factory=list, max_length=caps.ACTIVITIES_MAX)
    framework: Framework = Framework.NATIONAL
    reference_source: ReferenceSource | None = None


class AgencyUpdate(BaseModel):
    """A partial update; fields left out keep their value (lists are replaced whole)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=500)
    acronym: str | None = Field(default=None, min_length=1, max_length=50)
    deqar_id: str | None = Field(default=None, pattern=r"^[0-9]{1,10}$")
    names: list[AgencyName] | None = Field(default=None, max_length=NAMES_MAX)
    website: Website | None = None
    focus_countries: list[FocusCountry] | None = Field(
        default=None, max_length=caps.FOCUS_COUNTRIES_MAX
    )
    registrations: list[Registration] | None = Field(
        default=None, max_length=caps.REGISTRATIONS_MAX
    )
    activities: list[AgencyActivity] | None = Field(default=None, max_length=caps.ACTIVITIES_MAX)
    framework: Framework | None = None


class AgencyRead(BaseModel):
    """An agency as published (and as `quality.agency.*` events carry it)."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID
    origin_node: str = Field(description="The node that owns (and alone may change) the record.")
    name: str
    acronym: str
    deqar_id: str | None = None
    names: list[AgencyName] = Field(default_factory=list)
    country: str
    website: str | None = None
    focus_countries: list[FocusCountry] = Field(default_factory=list)
    registrations: list[Registration] = Field(default_factory=list)
    activities: list[AgencyActivity] = Field(default_factory=list)
    framework: Framework
    reference_source: str | None = Field(
        default=None,
        description="Set on a reference record (an agency of a country no node has authority "
        "over): where its facts come from.",
    )
    superseded_by: uuid.UUID | None = Field(
        default=None,
        description="The agency of the country's own node that superseded this reference record.",
    )
    version: int = Field(default=0, description="The ETag; events carry it as `aggregateversion`.")
    created_at: datetime | None = None
    updated_at: datetime
