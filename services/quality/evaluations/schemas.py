"""What the evaluations API reads and writes, and what `quality.evaluation.*` events carry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationInfo,
    field_validator,
    model_validator,
)

from rules.qa_status import DEFAULT_VALIDITY_YEARS
from services.quality import caps
from services.quality.vocabulary import (
    ACTIVITY_ALIASES,
    ActivityType,
    Decision,
    DegreeOutcome,
    EvaluationStatus,
    FlagLevel,
    Language,
)
from shared.caps import CODE_MAX, LANGUAGES_MAX, NAME_MAX, NOTE_MAX, SHORT_TEXT_MAX
from shared.errors import FieldError
from shared.fields import IsoDate, ReferenceSource


def _activity_alias(value: Any) -> Any:
    return ACTIVITY_ALIASES.get(value, value) if isinstance(value, str) else value


def _reference(value: Any) -> Any:
    # A bare string names an institution by id (a UUID) or by identifier (ROR, DEQAR, ...).
    if isinstance(value, str):
        try:
            return {"id": str(uuid.UUID(value))}
        except ValueError:
            return {"identifier": value}
    return value


Activity = Annotated[ActivityType, BeforeValidator(_activity_alias)]


class InstitutionReference(BaseModel):
    """An institution named by its id, or by an identifier (optionally of a given resource)."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    identifier: str | None = Field(
        default=None, max_length=300, examples=["https://ror.org/00rzspn62"]
    )
    resource: str | None = Field(default=None, max_length=40, examples=["ROR"])

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.id is None and not self.identifier:
            raise ValueError("name the institution by `id` or by `identifier`")
        return self

    def label(self) -> str:
        if self.id is not None:
            return str(self.id)
        return f"{self.resource}:{self.identifier}" if self.resource else str(self.identifier)


InstitutionRefInput = Annotated[InstitutionReference, BeforeValidator(_reference)]


class EvaluatedProgramme(BaseModel):
    """A programme an evaluation covers; `programme_id` when the directory knows it."""

    model_config = ConfigDict(extra="forbid")

    programme_id: uuid.UUID | None = None
    name: str = Field(min_length=1, max_length=NAME_MAX, examples=["Bachelor of Computer Science"])
    qualification: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    level: str | None = Field(
        default=None,
        max_length=40,
        pattern=r"^[A-Za-z][A-Za-z0-9-]*:[A-Za-z0-9 -]+$",
        description="`FRAMEWORK:LEVEL`, e.g. `MQF:6`, `EQF:7`.",
        examples=["MQF:6"],
    )
    ects: float | None = Field(default=None, ge=0, le=600)
    field: str | None = Field(
        default=None, pattern=r"^\d{2,4}$", description="ISCED-F 2013 code.", examples=["0613"]
    )
    degree_outcome: DegreeOutcome = DegreeOutcome.FULL_DEGREE


class ReportFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: HttpUrl
    languages: list[Language] = Field(default_factory=list, max_length=LANGUAGES_MAX)


class CriterionScore(BaseModel):
    """An AUN-QA criterion score: 1-7, where 4 is "adequate as expected"."""

    model_config = ConfigDict(extra="forbid")

    criterion: str = Field(
        min_length=1, max_length=CODE_MAX, examples=["Expected learning outcomes"]
    )
    score: int = Field(ge=1, le=7)


class EvaluationSubmission(BaseModel):
    """An evaluation as an agency submits it; `local_identifier` (unique per agency) makes a
    resubmission idempotent."""

    model_config = ConfigDict(extra="forbid")

    agency_id: uuid.UUID | None = Field(
        default=None, description="Defaults to the submitting agency's own."
    )
    agency: str | None = Field(
        default=None,
        max_length=50,
        description="The agency's acronym (or its DEQAR id), instead of its id.",
    )
    local_identifier: str = Field(min_length=1, max_length=CODE_MAX, examples=["MQA-A-2021-0042"])
    contributing_agency_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=caps.CONTRIBUTING_AGENCIES_MAX
    )
    contributing_agencies: list[str] = Field(
        default_factory=list,
        max_length=caps.CONTRIBUTING_AGENCIES_MAX,
        description="Contributing agencies by acronym or DEQAR id, instead of by id (as DEQAR "
        "names them).",
    )
    activity: str | None = Field(
        default=None,
        min_length=1,
        max_length=SHORT_TEXT_MAX,
        description="One of the agency's declared activities, by its identifier (e.g. its DEQAR "
        "activity id) or its name, as DEQAR names it; its type becomes `activity_type`.",
        examples=["Programme accreditation"],
    )
    activity_type: Activity | None = Field(
        default=None,
        validate_default=True,
        description="What was evaluated; or name the agency's `activity`.",
    )
    status: EvaluationStatus = EvaluationStatus.OBLIGATORY
    decision: Decision
    valid_from: IsoDate
    valid_to: IsoDate | None = Field(
        default=None, description=f"Defaults to valid_from + {DEFAULT_VALIDITY_YEARS} years."
    )
    institutions: list[InstitutionRefInput] = Field(
        default_factory=list, max_length=caps.EVALUATION_INSTITUTIONS_MAX
    )
    programmes: list[EvaluatedProgramme] = Field(
        default_factory=list, max_length=caps.EVALUATION_PROGRAMMES_MAX
    )
    summary: str | None = Field(default=None, max_length=caps.TEXT_MAX)
    files: list[ReportFile] = Field(default_factory=list, max_length=caps.FILES_MAX)
    criterion_scores: list[CriterionScore] = Field(default_factory=list, max_length=50)
    reference_source: ReferenceSource | None = Field(
        default=None,
        description="Required for (and only for) an evaluation by a reference agency, i.e. of "
        "a country no node has authority over: where its facts come from "
        "(docs/reference-records.md).",
    )

    @field_validator("activity_type")
    @classmethod
    def _activity_named(cls, value: ActivityType | None, info: ValidationInfo) -> Any:
        if value is None and info.data.get("activity") is None:
            raise ValueError("name the activity: `activity_type`, or the agency's `activity`")
        return value


class FlagMessage(BaseModel):
    """Why an evaluation was flagged."""

    level: FlagLevel
    code: str
    message: str


class EvaluationRead(BaseModel):
    """An evaluation as published (and as `quality.evaluation.*` events carry it)."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID
    origin_node: str = Field(description="The node that owns (and alone may change) the record.")
    agency_id: uuid.UUID
    local_identifier: str
    contributing_agency_ids: list[uuid.UUID] = Field(default_factory=list)
    activity_type: ActivityType
    activity: str | None = Field(
        default=None,
        description="The agency's activity as the submission named it (its identifier or "
        "name), when it named one.",
    )
    status: EvaluationStatus
    decision: Decision
    valid_from: date
    valid_to: date
    institution_ids: list[uuid.UUID] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    programmes: list[EvaluatedProgramme] = Field(default_factory=list)
    summary: str | None = None
    files: list[ReportFile] = Field(default_factory=list)
    criterion_scores: list[CriterionScore] = Field(default_factory=list)
    flag: FlagLevel = FlagLevel.NONE
    flag_messages: list[FlagMessage] = Field(default_factory=list)
    flag_cleared_at: datetime | None = None
    withdrawn_at: datetime | None = None
    reference_source: str | None = Field(
        default=None, description="Set on an evaluation by a reference agency: its source."
    )
    version: int = Field(default=0, description="The ETag; events carry it as `aggregateversion`.")
    created_at: datetime | None = None
    updated_at: datetime


@dataclass(frozen=True)
class UnreadableRow:
    """A row of a file that could not even be read as a submission, and why."""

    errors: list[FieldError]
    local_identifier: str | None = None


RowOutcome = Literal["created", "updated", "unchanged", "rejected"]


class SubmissionResult(BaseModel):
    """The outcome of one submitted evaluation (one row of a batch)."""

    index: int | None = Field(default=None, description="Position in the batch (from 0).")
    local_identifier: str | None = None
    result: RowOutcome
    id: uuid.UUID | None = None
    version: int | None = None
    flag: FlagLevel | None = None
    flags: list[FlagMessage] = Field(default_factory=list)
    errors: list[dict[str, str]] = Field(
        default_factory=list, description="For a rejected row: every reason (path, message)."
    )


class BatchSummary(BaseModel):
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    flagged: int = 0

    def count(self, result: SubmissionResult) -> None:
        self.total += 1
        setattr(self, result.result, getattr(self, result.result) + 1)
        if result.flags:
            self.flagged += 1


class BatchReport(BaseModel):
    """Per-row results of a batch, in order, and their totals."""

    summary: BatchSummary
    results: list[SubmissionResult]


class FlagClearanceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=NOTE_MAX, examples=["Checked with the agency."])


class FlagClearanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    evaluation_id: uuid.UUID
    evaluation_version: int
    flag: FlagLevel
    flag_messages: list[FlagMessage]
    cleared_by: str
    cleared_at: datetime
    reason: str


class WithdrawalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=2000)
