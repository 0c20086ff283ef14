"""What the cases API reads and writes. Personal data (the applicant and the documents)
appears only here, in responses to the node's own recognition officers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.recognition.cases.models import CaseStatus, Purpose, StudyMode
from shared.fields import IsoDate, JsonBool

Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["MY"])]
LevelCode = Annotated[
    str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{0,15}:[A-Za-z0-9-]{1,16}$", examples=["MQF:6"])
]


class Applicant(BaseModel):
    """The applicant: personal data. It stays in this node's case tables, is never published,
    never logged, and is erased on request."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    birth_date: IsoDate | None = None
    nationality: Country | None = None
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=2000)


class Document(BaseModel):
    """A document by reference (e.g. a URI in the node's document store)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    kind: str = Field(min_length=1, max_length=40, examples=["diploma", "transcript"])
    reference: str = Field(min_length=1, max_length=1000)
    note: str | None = Field(default=None, max_length=2000)


class Qualification(BaseModel):
    """The qualification presented: no person in it."""

    model_config = ConfigDict(extra="forbid")

    institution_id: uuid.UUID | None = Field(
        default=None, description="The awarding institution in the directory, if known."
    )
    institution_name: str | None = Field(
        default=None, max_length=500, description="Free text, matched against the directory."
    )
    programme_id: uuid.UUID | None = None
    country: Country
    title: str = Field(min_length=1, max_length=300, examples=["Bachelor of Computer Science"])
    level: LevelCode | None = Field(default=None, description="Framework level, e.g. `MQF:6`.")
    field: str | None = Field(default=None, pattern=r"^\d{2,4}$", description="ISCED-F 2013.")
    credits: float | None = Field(default=None, gt=0, le=1000)
    credit_system: str | None = Field(default=None, max_length=16, examples=["MY", "CN", "ECTS"])
    years_full_time: float | None = Field(default=None, gt=0, le=15)
    mode: StudyMode = StudyMode.FULL_TIME
    awarded_on: IsoDate
    transnational: JsonBool = Field(
        default=False, description="Awarded abroad, e.g. at a branch campus or by a partner."
    )

    @model_validator(mode="after")
    def _check(self) -> Qualification:
        if self.institution_id is None and not self.institution_name:
            raise ValueError("give institution_id or institution_name")
        if self.credits is not None and not self.credit_system:
            raise ValueError("credits need a credit_system")
        return self


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    applicant: Applicant
    purpose: Purpose
    qualification: Qualification
    target_level: LevelCode = Field(description="The host framework level sought.")
    documents: list[Document] = Field(default_factory=list, max_length=50)


class StatusChangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: CaseStatus
    legal_reason: str = Field(min_length=3, max_length=1000)


class HistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: CaseStatus | None
    to_status: CaseStatus
    actor: str
    at: datetime
    legal_reason: str


class CaseRead(BaseModel):
    """A case as its officers see it (personal data included; erased → null)."""

    id: uuid.UUID
    status: CaseStatus
    purpose: Purpose
    host_country: str
    target_level: str
    qualification: Qualification
    applicant: Applicant | None
    documents: list[Document]
    created_by: str
    created_at: datetime
    completed_on: date | None
    deadline_on: date | None
    overdue: bool
    decided_at: datetime | None
    applicant_erased_at: datetime | None
    version: int
    history: list[HistoryEntry]


class CaseSort(StrEnum):
    """The order of the case list: by id (the oldest first), or the nearest deadline first with
    the cases whose deadline has not started last (ties by id)."""

    ID = "id"
    DEADLINE = "deadline"


class CaseSummary(BaseModel):
    """A case in a list: no personal data. `overdue` and `due_within_7_days` are judged on the
    list's `as_of` (default today)."""

    id: uuid.UUID
    status: CaseStatus
    purpose: Purpose
    target_level: str
    country: str
    title: str
    completed_on: date | None
    deadline_on: date | None
    overdue: bool
    due_within_7_days: bool = Field(
        description="Not overdue, and the deadline at most seven days ahead (the clock running)."
    )
    version: int


class CaseCounts(BaseModel):
    """The open cases of this node, and how many of them are late or due within seven days."""

    as_of: date = Field(description="The day the deadlines are judged on.")
    open: int = Field(
        description="Cases not closed (decided, appeal decided, withdrawn): `?open=true`."
    )
    overdue: int = Field(description="Open cases past their deadline (`?overdue=true`).")
    due_within_7_days: int = Field(
        description="Open cases not overdue whose deadline is at most seven days ahead."
    )
