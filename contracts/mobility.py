"""What the mobility service's direct messages carry (never the public streams): an
inter-institutional agreement's whole state, `mobility.agreement.updated`, sent by one partner's
node to the other's (docs/mobility.md)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from rules.isced_f import is_isced_f


class MobilityType(StrEnum):
    """EWP's four mobility types of a cooperation condition."""

    STUDENT_STUDIES = "student_studies"
    STUDENT_TRAINEESHIP = "student_traineeship"
    STAFF_TEACHING = "staff_teaching"
    STAFF_TRAINING = "staff_training"


class CefrLevel(StrEnum):
    """The Common European Framework of Reference's levels."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class IiaStatus(StrEnum):
    PROPOSED = "proposed"  # the current conditions lack one partner's approval
    APPROVED = "approved"  # both partners approved the current conditions
    TERMINATED = "terminated"


ACADEMIC_YEAR = r"^[0-9]{4}/[0-9]{4}$"
LANGUAGE = r"^[a-z]{2}$"  # ISO 639-1


def _isced_f(code: str) -> str:
    if not is_isced_f(code):
        raise ValueError(f"{code!r} is not an ISCED-F 2013 field code (2-4 digits, e.g. 0613)")
    return code


# ISCED-F 2013: broad (2 digits), narrow (3) or detailed (4), a listed field (`rules.isced_f`).
IscedF = Annotated[
    str, Field(min_length=2, max_length=4, examples=["0613"]), AfterValidator(_isced_f)
]


class LanguageRequirement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    language: Annotated[
        str, Field(pattern=LANGUAGE, description="ISO 639-1 code, e.g. `en`.", examples=["en"])
    ]
    cefr_level: CefrLevel


class CooperationCondition(BaseModel):
    """One direction of one mobility type: who sends, who receives, how many, in what."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mobility_type: MobilityType
    sending_institution_id: uuid.UUID
    receiving_institution_id: uuid.UUID
    isced_f: Annotated[list[IscedF], Field(max_length=20)] = Field(
        default_factory=list, description="ISCED-F 2013 field codes (`0613`, `041`)."
    )
    eqf_levels: Annotated[list[Annotated[int, Field(ge=1, le=8)]], Field(max_length=8)] = Field(
        default_factory=list, description="EQF levels 1 to 8 (6 bachelor, 7 master, 8 doctorate)."
    )
    places_per_year: Annotated[int, Field(ge=1, le=10_000)]
    months_per_place: Annotated[float, Field(gt=0, le=24)] = Field(
        description="Months per place (staff: may be under one month, e.g. 0.25)."
    )
    languages: Annotated[list[LanguageRequirement], Field(max_length=10)] = Field(
        default_factory=list
    )
    note: Annotated[str | None, Field(max_length=2000)] = None

    @model_validator(mode="after")
    def _two_institutions(self) -> CooperationCondition:
        if self.sending_institution_id == self.receiving_institution_id:
            raise ValueError("the sending and receiving institutions must differ")
        return self


class IiaConditions(BaseModel):
    """What both partners sign: the cooperation conditions and the academic years covered."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cooperation_conditions: Annotated[
        list[CooperationCondition], Field(min_length=1, max_length=50)
    ]
    academic_years: Annotated[
        list[Annotated[str, Field(pattern=ACADEMIC_YEAR, examples=["2026/2027"])]],
        Field(min_length=1, max_length=10),
    ] = Field(description="Academic years covered, `2026/2027`, consecutive years each.")

    @field_validator("academic_years")
    @classmethod
    def _years(cls, years: list[str]) -> list[str]:
        for year in years:
            start, end = (int(part) for part in year.split("/"))
            if end != start + 1:
                raise ValueError(f"academic year {year!r}: its second year must follow the first")
        if len(set(years)) != len(years):
            raise ValueError("an academic year is named twice")
        return years


class IiaPartner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    institution_id: uuid.UUID
    node: str


class IiaApproval(BaseModel):
    """A partner's approval: its node's federation key's detached JWS (RFC 7515 App. F) over
    the conditions' digest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    institution_id: uuid.UUID
    node: str
    digest: str
    signature: str
    approved_at: datetime
    approved_by: str


class IiaState(BaseModel):
    """`mobility.agreement.updated`: the agreement as both partners hold it."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    id: uuid.UUID
    proposer: IiaPartner
    partner: IiaPartner
    revision: int = Field(ge=1, description="Which version of the conditions; +1 per change.")
    conditions: IiaConditions
    digest: str
    status: IiaStatus
    approvals: list[IiaApproval] = Field(max_length=2)
    version: int = Field(ge=1)
    terminated_reason: str | None = None
    updated_at: datetime


# -- transcripts of records (issue 19, item 4) -------------------------------------------------

COMPONENTS_MAX = 200  # components of one transcript
CREDIT_SCHEME = r"^[A-Za-z][A-Za-z0-9-]{0,15}$"  # ELMO's credit scheme: `ects`, or a system code


class ResultStatus(StrEnum):
    """ELMO's learning opportunity instance status (no status: passed, as ELMO says)."""

    PASSED = "passed"
    FAILED = "failed"
    IN_PROGRESS = "in-progress"


class TranscriptCredit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: Annotated[
        str, Field(pattern=CREDIT_SCHEME, description="`ects` or a credit system's code.")
    ]
    value: Annotated[float, Field(gt=0, le=240)]


class TranscriptComponent(BaseModel):
    """One result of the transcript: a course (ELMO learning opportunity) and the learner's
    result in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str | None, Field(max_length=200, description="The local identifier.")] = None
    title: Annotated[str, Field(min_length=1, max_length=500)]
    isced_f: IscedF | None = None
    status: ResultStatus = ResultStatus.PASSED
    grade: Annotated[str | None, Field(min_length=1, max_length=40)] = None
    credits: Annotated[list[TranscriptCredit], Field(max_length=5)] = Field(default_factory=list)
    term: Annotated[str | None, Field(max_length=200)] = None
    start: date | None = None
    end: date | None = None
    language: Annotated[str | None, Field(pattern=LANGUAGE)] = None


class TranscriptIdentifier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Annotated[str, Field(min_length=1, max_length=40, examples=["schac", "erasmus"])]
    value: Annotated[str, Field(min_length=1, max_length=200)]


class TranscriptIssuer(BaseModel):
    """The institution that issued the transcript (ELMO's report issuer)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=500)]
    country: Annotated[str | None, Field(pattern=r"^[A-Z]{2}$")] = None
    identifiers: Annotated[list[TranscriptIdentifier], Field(min_length=1, max_length=10)]
    url: Annotated[str, Field(min_length=1, max_length=500)]


class TranscriptLearner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    given_names: Annotated[str, Field(max_length=300)]
    family_name: Annotated[str, Field(max_length=300)]
    birth_date: date | None = None
    citizenship: Annotated[str | None, Field(pattern=r"^[A-Z]{2}$")] = None


class Transcript(BaseModel):
    """A transcript of records, as ELMO XML carries it (`services/mobility/elmo.py`) and as
    JSON: who, issued by whom and when, and each component's result."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    learner: TranscriptLearner
    issuer: TranscriptIssuer
    issued_at: datetime
    components: Annotated[list[TranscriptComponent], Field(max_length=COMPONENTS_MAX)]


# -- nominations and learning agreements (issue 19, item 3) --------------------------------

ACADEMIC_TERM = r"^[1-4]/[1-4]$"  # EWP's term: the first of two semesters is `1/2`
CREDIT_SYSTEM = r"^[A-Z]{2,5}(-[A-Z]{2,5})?$"  # the reference data's codes: ECTS, CN, MY, US-SCH


def _term_of(term: str) -> str:
    number, of = (int(part) for part in term.split("/"))
    if number > of:
        raise ValueError(f"term {term!r}: the term's number exceeds the terms of the year")
    return term


AcademicTerm = Annotated[
    str,
    Field(
        pattern=ACADEMIC_TERM,
        examples=["1/2"],
        description="Which term of the academic year: `1/2` the first of two semesters.",
    ),
    AfterValidator(_term_of),
]


class NominationStatus(StrEnum):
    NOMINATED = "nominated"  # the receiving institution has not answered yet
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"  # withdrawn by the sending institution before an answer


class NominatedStudent(BaseModel):
    """The student: personal data, held only at the two partners' nodes and erased on
    request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    given_names: Annotated[str, Field(min_length=1, max_length=200, examples=["Mei"])]
    family_name: Annotated[str, Field(min_length=1, max_length=200, examples=["Lin"])]
    email: Annotated[
        str,
        Field(
            pattern=r"^[^@\s]{1,64}@[^@\s]{1,255}$", max_length=320, examples=["mei@uni.example"]
        ),
    ]
    student_number: Annotated[str | None, Field(max_length=64)] = Field(
        default=None, description="The sending institution's number for the student."
    )


class NominationState(BaseModel):
    """`mobility.nomination.updated`: a nomination as both partners' nodes hold it."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    id: uuid.UUID
    agreement_id: uuid.UUID
    sending: IiaPartner
    receiving: IiaPartner
    mobility_type: MobilityType
    academic_year: Annotated[str, Field(pattern=ACADEMIC_YEAR, examples=["2026/2027"])]
    term: AcademicTerm
    isced_f: IscedF
    eqf_level: Annotated[int, Field(ge=1, le=8, examples=[6])]
    student: NominatedStudent | None = Field(description="null once erased on request.")
    student_erased_at: datetime | None = None
    status: NominationStatus
    reason: str | None = Field(default=None, description="Why it was rejected or cancelled.")
    nominated_at: datetime
    nominated_by: str
    respond_by: date = Field(description="The receiving institution's answer is due by this day.")
    answered_at: datetime | None = None
    answered_by: str | None = None
    version: int = Field(ge=1)
    updated_at: datetime


class LaComponent(BaseModel):
    """A course (educational component): in the receiving institution's credits when studied
    abroad, in the sending institution's when replaced at home."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str, Field(min_length=1, max_length=64, examples=["FIN-301"])]
    title: Annotated[str, Field(min_length=1, max_length=300, examples=["Corporate finance"])]
    credits: Annotated[float, Field(gt=0, le=120, examples=[6])]
    credit_system: Annotated[
        str, Field(pattern=CREDIT_SYSTEM, examples=["ECTS"], description="`ECTS`, `CN`, `MY`…")
    ]
    term: AcademicTerm


class LaHomeComponent(LaComponent):
    """A component at home that the stay replaces: `replaced_by` names the codes of the
    components abroad that replace it (empty: the whole programme abroad)."""

    replaced_by: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=50)
    ] = Field(default_factory=list)


class LaComponents(BaseModel):
    """What the three parties approve: the components abroad and those they replace at home."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    abroad: Annotated[list[LaComponent], Field(min_length=1, max_length=50)]
    home: Annotated[list[LaHomeComponent], Field(min_length=1, max_length=50)]

    @model_validator(mode="after")
    def _codes(self) -> LaComponents:
        for name, components in (("abroad", self.abroad), ("home", self.home)):
            codes = [c.code for c in components]
            if len(set(codes)) != len(codes):
                raise ValueError(f"a component {name} is listed twice (same code)")
        abroad = {c.code for c in self.abroad}
        for component in self.home:
            unknown = set(component.replaced_by) - abroad
            if unknown:
                raise ValueError(
                    f"home component {component.code!r} is replaced by {sorted(unknown)}, "
                    "which are not components abroad"
                )
        return self


class LaParty(StrEnum):
    """The three parties who approve a learning agreement's version."""

    STUDENT = "student"
    SENDING = "sending"  # the sending institution's coordinator
    RECEIVING = "receiving"  # the receiving institution's coordinator


class LaApproval(BaseModel):
    """A party's approval: a detached JWS over the version's digest by the node of the party's
    institution (the student's approval is signed by the sending node, which checked the
    student's token)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    party: LaParty
    institution_id: uuid.UUID
    node: str
    digest: str
    signature: str
    approved_at: datetime
    approved_by: str


class LaVersionStatus(StrEnum):
    PROPOSED = "proposed"  # lacks one of the three approvals
    APPROVED = "approved"  # the three parties approved it
    REJECTED = "rejected"  # the receiving coordinator refused it (with a reason)
    SUPERSEDED = "superseded"  # a newer version replaced it


class LaRejection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str
    rejected_at: datetime
    rejected_by: str


class LaVersion(BaseModel):
    """One version of a learning agreement's components, with its approvals."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revision: int = Field(ge=1)
    components: LaComponents
    digest: str
    status: LaVersionStatus
    approvals: list[LaApproval] = Field(max_length=3)
    proposed_at: datetime
    proposed_by: str
    respond_by: date | None = Field(
        default=None,
        description="The receiving coordinator's answer is due by this day, counted from when "
        "the student and the sending coordinator had both approved.",
    )
    rejection: LaRejection | None = None


class LearningAgreementState(BaseModel):
    """`mobility.learning_agreement.updated`: the current version and every earlier one."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    id: uuid.UUID
    nomination_id: uuid.UUID
    sending: IiaPartner
    receiving: IiaPartner
    current: LaVersion
    history: list[LaVersion] = Field(
        default_factory=list, max_length=100, description="Earlier versions, oldest first."
    )
    version: int = Field(ge=1)
    updated_at: datetime
