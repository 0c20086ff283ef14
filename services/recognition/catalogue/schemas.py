"""What the reference API serves and accepts, and what its events carry: frameworks and their
levels, referencing between them, credit systems, fields and agreements."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from rules.legal_basis import AgreementTerms
from services.recognition import caps
from shared.caps import Note
from shared.fields import IsoDate, JsonBool, PartialUpdate

LEVEL_CODE_PATTERN = r"^[A-Z][A-Z0-9-]{0,15}:[A-Za-z0-9-]{1,16}$"
FRAMEWORK_CODE_PATTERN = r"^[A-Z][A-Z0-9-]{0,15}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"

LevelCode = Annotated[str, Field(pattern=LEVEL_CODE_PATTERN, examples=["MQF:6"])]
FrameworkCode = Annotated[str, Field(pattern=FRAMEWORK_CODE_PATTERN, examples=["MQF"])]
Country = Annotated[str, Field(pattern=COUNTRY_PATTERN, examples=["MY"])]


class FrameworkKind(StrEnum):
    REFERENCE = "reference"
    NATIONAL = "national"
    CLASSIFICATION = "classification"


class ReferencingBasis(StrEnum):
    OFFICIAL_REFERENCING = "official_referencing"
    REFERENCE_INSTRUMENT = "reference_instrument"
    COMPARABILITY_STUDY = "comparability_study"
    COMPARABILITY_STATEMENT = "comparability_statement"


class AgreementKind(StrEnum):
    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"


class AgreementScope(StrEnum):
    DEGREES = "degrees"
    LEVEL = "level"


class Source(BaseModel):
    """Where a fact comes from; `verified: false` marks facts not checked against it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=3, max_length=1000)
    url: str | None = Field(default=None, max_length=500)
    verified: JsonBool = False


class Reference(BaseModel):
    """A level's correspondence to a level of another (reference) framework."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    to: LevelCode
    basis: ReferencingBasis = ReferencingBasis.COMPARABILITY_STATEMENT


class Referencing(BaseModel):
    """One entry of a referencing table: `from` corresponds to `to`."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    basis: ReferencingBasis
    source: Source
    origin_node: str | None = Field(
        default=None, description="null for the shipped reference data; else the owning node."
    )


class FrameworkLevel(BaseModel):
    """A level of a framework, as served and as `recognition.framework_level.*` events carry it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    code: LevelCode
    framework: FrameworkCode
    level: str
    rank: int = Field(ge=0, le=20, description="Order of the levels inside their framework.")
    name: str
    ects_min: float | None = None
    ects_max: float | None = None
    ects_typical: float | None = None
    credits_min: float | None = None
    credit_system: str | None = None
    references: list[Reference] = Field(default_factory=list)
    source: Source
    origin_node: str | None = Field(
        default=None, description="null for the shipped reference data; else the owning node."
    )
    framework_name: str | None = None
    framework_kind: FrameworkKind = FrameworkKind.NATIONAL
    country: str | None = None
    version: int = 1
    updated_at: datetime | None = None


class Framework(BaseModel):
    """A qualifications framework with its levels."""

    code: str
    name: str
    kind: FrameworkKind
    country: str | None = None
    region: str | None = None
    source: Source
    origin_node: str | None = None
    levels: list[FrameworkLevel]


class FrameworkSummary(BaseModel):
    code: str
    name: str
    kind: FrameworkKind
    country: str | None = None
    region: str | None = None
    source: Source
    origin_node: str | None = None
    aliases: list[str] = Field(
        default_factory=list,
        description="Other codes accepted for this framework in any level code, e.g. `CN` "
        "for `CNDL` (`CN:xueshi` is `CNDL:xueshi`).",
    )
    level_count: int


class FrameworkLevelCreate(BaseModel):
    """A level this node adds (a new framework's, or a new level of one it owns)."""

    model_config = ConfigDict(extra="forbid")

    framework: FrameworkCode
    level: str = Field(pattern=r"^[A-Za-z0-9-]{1,16}$")
    rank: int = Field(ge=0, le=20)
    name: str = Field(min_length=1, max_length=300)
    framework_name: str | None = Field(default=None, max_length=300)
    framework_kind: FrameworkKind = FrameworkKind.NATIONAL
    country: Country | None = None
    ects_min: float | None = Field(default=None, ge=0)
    ects_max: float | None = Field(default=None, ge=0)
    references: list[Reference] = Field(default_factory=list, max_length=20)
    source: Source


class FrameworkLevelUpdate(PartialUpdate):
    not_null = ("rank", "name", "references", "source")

    rank: int | None = Field(default=None, ge=0, le=20)
    name: str | None = Field(default=None, min_length=1, max_length=300)
    ects_min: float | None = Field(default=None, ge=0)
    ects_max: float | None = Field(default=None, ge=0)
    references: list[Reference] | None = Field(default=None, max_length=20)
    source: Source | None = None


class CompareStep(BaseModel):
    from_: str = Field(serialization_alias="from")
    to: str
    basis: ReferencingBasis
    source: Source


class Comparison(BaseModel):
    """The result of comparing a level with another framework (or level) through the
    reference frameworks."""

    from_: str = Field(serialization_alias="from")
    to: str
    result_levels: list[str] = Field(
        description="The levels of the target framework the origin level corresponds to."
    )
    comparable: bool | None = Field(
        default=None,
        description="When `to` is a level: whether the origin level is at least that level.",
    )
    path: list[CompareStep] = Field(description="The referencing steps used, each with source.")
    reference_levels: dict[str, str] = Field(
        description="The origin level's place in each reference framework (EQF, QF-EHEA, AQRF)."
    )
    verified: bool = Field(description="Whether every step of the path is a verified fact.")


class CreditSystem(BaseModel):
    code: str
    name: str
    countries: list[str] = Field(default_factory=list)
    hours_per_credit: dict[str, float | str] | None = None
    ects_per_credit: float
    per_year_full_time: float | None = None
    assumption: str
    source: Source


class StudyField(BaseModel):
    code: str
    name: str
    level: str = Field(description="broad (2 digits), narrow (3) or detailed (4)")


class Agreement(BaseModel):
    """A recognition agreement, as served and as `recognition.agreement.*` events carry it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    title: str
    kind: AgreementKind
    parties: list[str]
    signed_on: date | None = None
    in_force_on: date | None = None
    ended_on: date | None = None
    levels: list[str] = Field(description="QF-EHEA cycles covered, e.g. `QF-EHEA:first`.")
    scope: AgreementScope = AgreementScope.DEGREES
    legal_basis: str | None = Field(
        default=None,
        description="Unused: the conventions are reference data of their own "
        "(`rules/conventions.py`), not agreements.",
    )
    article: str | None = Field(
        default=None, description="The article on which recognition rests, e.g. `3(1)`."
    )
    conditions: list[str] = Field(default_factory=list)
    source: Source
    origin_node: str | None = None
    version: int = 1
    updated_at: datetime | None = None

    def terms(self) -> AgreementTerms:
        """What the legal-basis rule needs to know of this agreement."""
        return AgreementTerms(
            id=self.id,
            title=self.title,
            multilateral=self.kind is not AgreementKind.BILATERAL,
            parties=frozenset(self.parties),
            in_force_on=self.in_force_on,
            ended_on=self.ended_on,
            article=self.article,
        )

    def in_force(self, on: date) -> bool:
        return (
            self.in_force_on is not None
            and self.in_force_on <= on
            and (self.ended_on is None or self.ended_on > on)
        )


class AgreementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=500)
    kind: AgreementKind
    parties: list[Country] = Field(min_length=2, max_length=200)
    signed_on: IsoDate | None = None
    in_force_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    levels: list[LevelCode] = Field(min_length=1, max_length=10)
    scope: AgreementScope = AgreementScope.DEGREES
    article: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="The article on which recognition rests, as cited in decisions.",
    )
    conditions: list[Note] = Field(default_factory=list, max_length=caps.CONDITIONS_MAX)
    source: Source


class AgreementUpdate(PartialUpdate):
    not_null = ("title", "parties", "levels", "scope", "conditions", "source")

    title: str | None = Field(default=None, min_length=3, max_length=500)
    parties: list[Country] | None = Field(default=None, min_length=2, max_length=200)
    signed_on: IsoDate | None = None
    in_force_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    levels: list[LevelCode] | None = Field(default=None, min_length=1, max_length=10)
    scope: AgreementScope | None = None
    article: str | None = Field(default=None, min_length=1, max_length=40)
    conditions: list[Note] | None = Field(default=None, max_length=caps.CONDITIONS_MAX)
    source: Source | None = None


class ConventionParty(BaseModel):
    country: str
    in_force_on: date = Field(description="From this date the convention binds the country.")
    verified: bool = Field(
        description="False: the date is one by which the convention was certainly in force "
        "for the country (the source says which), not the exact date."
    )
    source: str


class ConventionRead(BaseModel):
    """A recognition convention as reference data (`rules/conventions.py`)."""

    id: str = Field(examples=["lisbon-1997"])
    name: str
    title: str
    adopted_on: date
    in_force_on: date
    article: str | None = Field(description="The article on recognising qualifications.")
    article_source: str
    regional: bool
    parties: list[ConventionParty]
