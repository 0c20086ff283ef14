"""The transcripts' API shapes and the direct message that carries a transcript to the sending
node (`mobility.transcript.sent`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.mobility import IiaPartner, IscedF, Transcript

ACADEMIC_YEARS = r"^[0-9]{4}/[0-9]{4}(-[0-9]{4}/[0-9]{4})?$"
GRADES_MAX = 60


class GradeCount(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    grade: Annotated[str, Field(min_length=1, max_length=40, examples=["1.7"])]
    count: Annotated[float, Field(ge=0, le=10_000_000, description="Count or percentage.")]


class GradeTableUpload(BaseModel):
    """An institution's grade distribution table for one field of study (ECTS Users' Guide
    2015): the passing grades awarded over the reference years, best grade first, each with
    its count (or percentage)."""

    model_config = ConfigDict(extra="forbid")

    label: Annotated[
        str, Field(min_length=1, max_length=500, examples=["TU Berlin, computer science"])
    ]
    academic_years: Annotated[
        str, Field(pattern=ACADEMIC_YEARS, examples=["2023/2024-2024/2025"])
    ] = Field(description="The reference years (the Users' Guide asks for at least two).")
    scale: Annotated[str | None, Field(max_length=16, examples=["DE"])] = Field(
        default=None, description="The national grading scale (`DE`, `CN`, `MY`), if known."
    )
    grades: Annotated[list[GradeCount], Field(min_length=1, max_length=GRADES_MAX)]


class GradeTableState(BaseModel):
    """A grade distribution table as stored and as a transcript's message carries it."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    institution_id: uuid.UUID
    isced_f: IscedF
    label: str
    academic_years: str
    scale: str | None = None
    grades: list[GradeCount]
    version: int = 1
    updated_at: datetime | None = None


class PlannedComponent(BaseModel):
    """A component of the learning agreement to be studied abroad, matched with the
    transcript by its code (else its title)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str | None, Field(max_length=200)] = None
    title: Annotated[str, Field(min_length=1, max_length=500)]
    credits: Annotated[float, Field(gt=0, le=240)]
    system: Annotated[str, Field(min_length=2, max_length=16, examples=["ECTS"])] = "ECTS"
    isced_f: IscedF | None = None
    replaces: Annotated[list[Annotated[str, Field(max_length=400)]], Field(max_length=50)] = Field(
        default_factory=list,
        description="The components at home it replaces, as `code title` (learning agreement).",
    )


class TranscriptImport(BaseModel):
    """A transcript the caller's (receiving) institution issued for a mobility, to be sent to
    the sending institution's node. `mobility_id` is the learning agreement's id: its sending
    institution and its approved components are taken from it. For a mobility whose learning
    agreement is not held here, `sending` (and `planned`, its components) are given."""

    model_config = ConfigDict(extra="forbid")

    mobility_id: uuid.UUID = Field(description="The learning agreement's id.")
    sending: IiaPartner | None = None
    transcript: Transcript
    planned: Annotated[list[PlannedComponent] | None, Field(max_length=100)] = None


class TranscriptMessage(BaseModel):
    """`mobility.transcript.sent`: the transcript, sent by the receiving node to the sending
    one only, with the receiving institution's tables for its fields."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    mobility_id: uuid.UUID
    sending: IiaPartner
    receiving: IiaPartner
    transcript: Transcript
    host_tables: Annotated[list[GradeTableState], Field(max_length=200)]
    planned: Annotated[list[PlannedComponent] | None, Field(max_length=100)] = None
    learner_erased_at: datetime | None = Field(
        default=None, description="When the learner's personal data was erased on request."
    )
    version: int = Field(ge=1)


class TranscriptRead(TranscriptMessage):
    created_at: datetime


Outcome = Literal["recognised", "failed", "missing", "unconvertible"]


class CreditsRead(BaseModel):
    credits: float
    system: str
    from_credits: float
    from_system: str
    ects: float
    rule: str
    sources: list[str] = Field(description="The sources of the factors, by title.")


class GradeRead(BaseModel):
    grade: str
    from_grade: str
    method: str
    explanation: str


class ComponentRecognition(BaseModel):
    title: str
    code: str | None = None
    outcome: Outcome
    credits: CreditsRead | None = None
    grade: GradeRead | None = None
    explanation: str


class RecognitionStatus(StrEnum):
    PROPOSED = "proposed"  # computed, awaiting the coordinator
    CONFIRMED = "confirmed"
    OVERRIDDEN = "overridden"


class RecognitionRead(BaseModel):
    """What a transcript counts for at the sending institution, explained per component."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID = Field(description="The transcript's id.")
    mobility_id: uuid.UUID
    sending_institution_id: uuid.UUID
    home_system: str
    components: list[ComponentRecognition]
    summary: str
    status: RecognitionStatus
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    version: int


class ComponentOverride(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: Annotated[int, Field(ge=0, le=199, description="The component's place in the list.")]
    credits: Annotated[float | None, Field(ge=0, le=240)] = None
    grade: Annotated[str | None, Field(min_length=1, max_length=40)] = None


class RecognitionDecision(BaseModel):
    """The coordinator confirms the computed recognition, or overrides it with a reason (and,
    per component, the credits or grade that count instead)."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirmed", "overridden"]
    reason: Annotated[str | None, Field(min_length=1, max_length=2000)] = None
    components: Annotated[list[ComponentOverride], Field(max_length=200)] = Field(
        default_factory=list
    )
