"""What an issuer sends — a diploma or a micro-credential (a university), a statement of
recognition (a recognition officer), a QA evaluation (its agency) — and what it gets back."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.credentials.caps import MAX_TITLES
from shared.caps import CODE_MAX, NAME_MAX, NOTE_MAX, SHORT_TEXT_MAX
from shared.fields import IsoDate


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class HolderIdentifier(_Input):
    scheme: str = Field(
        min_length=1, max_length=40, description="e.g. `national-id`, `passport`, `student-id`"
    )
    value: str = Field(min_length=1, max_length=CODE_MAX)


class Holder(_Input):
    """The graduate. Personal data: it stays in this node's database and in the credential."""

    given_name: str = Field(min_length=1, max_length=NAME_MAX)
    family_name: str = Field(min_length=1, max_length=NAME_MAX)
    birth_date: IsoDate
    identifier: HolderIdentifier


class QualificationTitle(_Input):
    lang: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1.", examples=["en"])
    value: str = Field(min_length=1, max_length=NAME_MAX)


class QualificationLevel(_Input):
    """A level on a qualifications framework: the issuing country's NQF or a regional one it
    is referenced to (e.g. `EQF` 6, `AQRF` 6)."""

    framework: str = Field(min_length=2, max_length=40, examples=["CN-NQF", "EQF", "AQRF"])
    level: str = Field(min_length=1, max_length=20, examples=["6"])


class ModeOfStudy(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    DISTANCE = "distance"
    BLENDED = "blended"


class DiplomaQualification(_Input):
    titles: list[QualificationTitle] = Field(min_length=1, max_length=MAX_TITLES)
    level: QualificationLevel = Field(description="The level on the issuing country's framework.")
    referenced_levels: list[QualificationLevel] = Field(default_factory=list, max_length=10)
    isced_f: str = Field(
        pattern=r"^\d{2,4}$", description="ISCED-F 2013 field code.", examples=["0714"]
    )
    credits: float = Field(gt=0, le=1000)
    credit_system: str = Field(min_length=2, max_length=40, examples=["ECTS", "CN-credits"])
    award_date: IsoDate
    mode_of_study: ModeOfStudy


class DiplomaCreate(_Input):
    holder: Holder
    qualification: DiplomaQualification
    valid_until: datetime | None = Field(
        default=None, description="When the credential stops being valid (usually never)."
    )


class RevocationCreate(_Input):
    reason: str = Field(min_length=3, max_length=NOTE_MAX)


class SuspensionCreate(_Input):
    reason: str = Field(
        min_length=3,
        max_length=NOTE_MAX,
        description="Why (kept on this node: it may speak of the holder; verifiers read only "
        "that the credential is suspended).",
    )


class StatementCreate(_Input):
    """A statement of recognition: the decision on a recognition case of this node, issued
    to its applicant."""

    case_id: uuid.UUID


class EvaluationCredentialCreate(_Input):
    """A QA agency's evaluation (as the node's quality service publishes it) as a public
    credential."""

    evaluation_id: uuid.UUID


class ParticipationForm(StrEnum):
    ONLINE = "online"
    ONSITE = "onsite"
    BLENDED = "blended"


class Workload(_Input):
    """The notional workload needed to achieve the learning outcomes: in ECTS credits
    wherever possible, else in hours."""

    ects_credits: float | None = Field(default=None, gt=0, le=60)
    hours: float | None = Field(default=None, gt=0, le=2000)

    @model_validator(mode="after")
    def _some(self) -> Workload:
        if self.ects_credits is None and self.hours is None:
            raise ValueError("give the workload in ects_credits (wherever possible) or hours")
        return self


class MicroCredentialCreate(_Input):
    """A micro-credential with the mandatory elements of the Council Recommendation of
    16 June 2022 on micro-credentials (2022/C 243/02), Annex I: the learner, the title, the
    country of the issuer and the awarding body (the caller's institution, from the
    directory), the date of issuing (the day it is issued), the learning outcomes, the
    notional workload, the level (`null` only where no framework level applies), the type of
    assessment, the form of participation and the type of quality assurance."""

    learner: Holder
    title: str = Field(min_length=1, max_length=NAME_MAX)
    title_lang: str = Field(default="en", pattern=r"^[a-z]{2}$")
    learning_outcomes: list[str] = Field(min_length=1, max_length=50)
    workload: Workload
    level: QualificationLevel | None = Field(
        description="EQF/NQF level if applicable: required, `null` only where none applies."
    )
    assessment_type: str = Field(
        min_length=3, max_length=SHORT_TEXT_MAX, examples=["written examination and project"]
    )
    participation_form: ParticipationForm
    quality_assurance: str = Field(
        min_length=3,
        max_length=SHORT_TEXT_MAX,
        description="The type of quality assurance underpinning it.",
        examples=["internal QA of the university, accredited institutionally by the agency"],
    )
    region: str | None = Field(
        default=None, max_length=NAME_MAX, description="The issuer's region, if any."
    )
    isced_f: str | None = Field(default=None, pattern=r"^\d{2,4}$")
    valid_until: datetime | None = None


class QualityEvidence(BaseModel):
    """What the node's quality service said of the institution at the award date."""

    status: str = Field(max_length=SHORT_TEXT_MAX)
    at: date
    evaluations: list[str] = Field(default_factory=list)
    note: str | None = None


class IssuedCredentialRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str = Field(examples=["diploma", "statement", "qa_evaluation", "micro_credential"])
    institution_id: uuid.UUID | None
    agency_id: uuid.UUID | None = None
    source_id: uuid.UUID | None = Field(
        default=None, description="The recognition case or QA evaluation it was issued from."
    )
    status_list_id: uuid.UUID
    status_index: int
    suspension_list_id: uuid.UUID | None = None
    suspension_index: int | None = None
    valid_from: datetime
    revoked_at: datetime | None
    revocation_reason: str | None
    suspended_at: datetime | None = None
    suspension_reason: str | None = None
    credential: dict[str, Any] = Field(description="The credential (W3C VCDM 2.0).")
    jwt: str = Field(description="The credential secured as `vc+jwt`.")


class _Upstream(BaseModel):
    """What this service reads of another service's answer (the rest is ignored)."""

    model_config = ConfigDict(extra="ignore")


class CaseApplicant(_Upstream):
    given_name: str
    family_name: str
    birth_date: date | None = None


class CaseQualification(_Upstream):
    title: str
    country: str
    awarded_on: date
    level: str | None = None
    institution_id: uuid.UUID | None = None
    institution_name: str | None = None


class RecognitionCase(_Upstream):
    """A case as the node's recognition service gives it to an officer."""

    id: uuid.UUID
    status: str
    purpose: str
    host_country: str
    target_level: str
    qualification: CaseQualification
    applicant: CaseApplicant | None


class RecognitionDecision(_Upstream):
    """The decision on a case, as the recognition service records it."""

    id: uuid.UUID
    outcome: str
    comparable_level: str | None = None
    legal_basis: str
    legal_basis_reference: str | None = None
    conditions: list[str] = Field(default_factory=list)
    substantial_differences: list[dict[str, Any]] = Field(default_factory=list)
    decided_on: date


class PublishedEvaluation(_Upstream):
    """An evaluation as the node's quality service publishes it."""

    id: uuid.UUID
    agency_id: uuid.UUID
    local_identifier: str
    activity_type: str
    activity: str | None = None
    status: str
    decision: str
    valid_from: date
    valid_to: date
    institution_ids: list[uuid.UUID] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    programmes: list[dict[str, Any]] = Field(default_factory=list)
    summary: str | None = None
    files: list[dict[str, Any]] = Field(default_factory=list)
    withdrawn_at: datetime | None = None


class PublishedAgency(_Upstream):
    """A QA agency as the node's quality service publishes it."""

    id: uuid.UUID
    name: str
    acronym: str
    country: str
    deqar_id: str | None = None
