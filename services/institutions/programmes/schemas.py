"""What the programmes API reads and writes, and what its events carry."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from services.institutions import caps
from services.institutions.programmes.models import ProgrammeStatus, StudyMode
from services.institutions.registry.schemas import Language, Name, NameEntry
from services.institutions.vocabularies.codes import is_isced_f
from shared.caps import LANGUAGES_MAX, SHORT_TEXT_MAX
from shared.fields import PartialUpdate

_LEVEL = re.compile(r"^([A-Z][A-Z0-9-]{0,19}):([A-Za-z0-9.-]{1,16})$")
# The reference frameworks' levels are checked; national frameworks only by shape.
_REFERENCE_LEVELS: dict[str, frozenset[str]] = {
    "EQF": frozenset(str(n) for n in range(1, 9)),
    "AQRF": frozenset(str(n) for n in range(1, 9)),
    "QF-EHEA": frozenset({"short", "first", "second", "third"}),
    "ISCED-2011": frozenset(str(n) for n in range(0, 9)),
}


def _level(value: str) -> str:
    match = _LEVEL.match(value)
    if not match:
        raise ValueError(
            f"{value!r} is not a level code FRAMEWORK:LEVEL (e.g. MQF:6, EQF:6, QF-EHEA:first)"
        )
    framework, level = match.groups()
    allowed = _REFERENCE_LEVELS.get(framework)
    if allowed is not None and level not in allowed:
        raise ValueError(f"{framework} has no level {level!r} (levels: {sorted(allowed)})")
    return value


def _isced_f(value: str) -> str:
    if not is_isced_f(value):
        raise ValueError(f"{value!r} is not an ISCED-F 2013 field code (2-4 digits, e.g. 0533)")
    return value


LevelCode = Annotated[str, Field(max_length=40, examples=["MQF:6"]), AfterValidator(_level)]
FieldCode = Annotated[
    str, Field(min_length=2, max_length=4, examples=["0533"]), AfterValidator(_isced_f)
]
CreditSystem = Annotated[
    str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{1,31}$", examples=["ECTS", "MQA"])
]


class ProgrammeFields(BaseModel):
    """Everything about a programme except the institution that offers it."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(examples=["Bachelor of Computer Science"])
    names: list[NameEntry] = Field(default_factory=list, max_length=caps.PROGRAMME_NAMES_MAX)
    qualification: str | None = Field(
        default=None,
        min_length=1,
        max_length=SHORT_TEXT_MAX,
        examples=["Bachelor of Computer Science"],
    )
    levels: list[LevelCode] = Field(
        default_factory=list,
        max_length=caps.LEVELS_MAX,
        description="Framework levels as FRAMEWORK:LEVEL: the national one and reference ones "
        "(EQF, AQRF, QF-EHEA, ISCED-2011).",
    )
    field: FieldCode | None = None
    credits: float | None = Field(default=None, ge=0, le=1000)
    credit_system: CreditSystem | None = None
    duration_years: float | None = Field(default=None, gt=0, le=15)
    mode: StudyMode | None = None
    languages: list[Language] = Field(default_factory=list, max_length=LANGUAGES_MAX)
    joint_partners: list[uuid.UUID] = Field(
        default_factory=list, max_length=caps.PARTNERS_MAX, description="Partner institutions' ids."
    )
    status: ProgrammeStatus = ProgrammeStatus.ACTIVE

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        return " ".join(value.split())


class ProgrammeContent(ProgrammeFields):
    """A programme's whole editable content."""

    institution_id: uuid.UUID

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.credits is None) != (self.credit_system is None):
            raise ValueError("give credits and credit_system together")
        if self.institution_id in self.joint_partners:
            raise ValueError("the offering institution is not its own joint partner")
        names = list(dict.fromkeys(self.names))
        if not any(entry.value == self.name for entry in names):
            names.insert(0, NameEntry(value=self.name))
        self.names = names
        self.levels = list(dict.fromkeys(self.levels))
        self.languages = list(dict.fromkeys(self.languages))
        self.joint_partners = list(dict.fromkeys(self.joint_partners))
        return self


class ProgrammeCreate(ProgrammeContent):
    """A new programme of an institution this node owns."""


class ProgrammeCreateForInstitution(ProgrammeFields):
    """A new programme of the institution named in the path."""


class ProgrammeUpdate(PartialUpdate):
    """A partial update; lists are replaced as a whole. Ending a programme is a status change."""

    not_null = ("name", "status")

    name: Name | None = None
    names: list[NameEntry] | None = Field(default=None, max_length=caps.PROGRAMME_NAMES_MAX)
    qualification: str | None = Field(default=None, min_length=1, max_length=SHORT_TEXT_MAX)
    levels: list[LevelCode] | None = Field(default=None, max_length=caps.LEVELS_MAX)
    field: FieldCode | None = None
    credits: float | None = None
    credit_system: CreditSystem | None = None
    duration_years: float | None = None
    mode: StudyMode | None = None
    languages: list[Language] | None = Field(default=None, max_length=LANGUAGES_MAX)
    joint_partners: list[uuid.UUID] | None = Field(default=None, max_length=caps.PARTNERS_MAX)
    status: ProgrammeStatus | None = None


class ProgrammeRead(ProgrammeContent):
    """A programme as the directory publishes it."""

    model_config = ConfigDict(extra="ignore", from_attributes=True)

    id: uuid.UUID
    origin_node: str
    country: str
    version: int
    created_at: datetime
    updated_at: datetime


def programme_content_of(values: dict[str, Any]) -> ProgrammeContent:
    return ProgrammeContent.model_validate(
        {key: values[key] for key in ProgrammeContent.model_fields if key in values}
    )
