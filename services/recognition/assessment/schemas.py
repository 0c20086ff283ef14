"""An assessment as the API returns it: one finding per element, each with its evidence
(record ids and versions), the recommendation and every substantial difference."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from rules.conventions import ConventionId
from services.recognition import caps
from shared.caps import NOTE_MAX


class Outcome(StrEnum):
    RECOGNISED = "recognised"
    RECOGNISED_AT_LEVEL_ONLY = "recognised at level only"
    PARTIAL = "partial"
    CONDITIONAL = "conditional"
    ALTERNATIVE = "alternative"
    REFUSED = "refused"
    ADVICE = "advice"


class Element(StrEnum):
    """The five elements of a qualification (EAR manual) a substantial difference is tied to."""

    LEVEL = "level"
    WORKLOAD = "workload"
    QUALITY = "quality"
    PROFILE = "profile"
    LEARNING_OUTCOMES = "learning_outcomes"


class Aspect(StrEnum):
    IDENTITY = "identity"
    QUALITY = "quality"
    LEVEL = "level"
    WORKLOAD = "workload"
    PROFILE = "profile"
    LEARNING_OUTCOMES = "learning_outcomes"
    AGREEMENT = "agreement"
    PRECEDENTS = "precedents"


class FindingOutcome(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    INCONCLUSIVE = "inconclusive"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"
    INFORMATIVE = "informative"


class LegalBasisKind(StrEnum):
    LRC = "LRC"
    TOKYO_CONVENTION = "Tokyo Convention"
    ADDIS_ABABA_CONVENTION = "Addis Ababa Convention"
    BUENOS_AIRES_CONVENTION = "Buenos Aires Convention"
    GLOBAL_CONVENTION = "Global Convention"
    BILATERAL_AGREEMENT = "bilateral agreement"
    MULTILATERAL_AGREEMENT = "multilateral agreement"
    NATIONAL_LAW = "national law"


CONVENTION_BASES = {
    ConventionId.LISBON: LegalBasisKind.LRC,
    ConventionId.TOKYO: LegalBasisKind.TOKYO_CONVENTION,
    ConventionId.ADDIS_ABABA: LegalBasisKind.ADDIS_ABABA_CONVENTION,
    ConventionId.BUENOS_AIRES: LegalBasisKind.BUENOS_AIRES_CONVENTION,
    ConventionId.GLOBAL: LegalBasisKind.GLOBAL_CONVENTION,
}


class Evidence(BaseModel):
    """A record the finding rests on: its kind, id and the version that was read."""

    kind: str = Field(examples=["evaluation"])
    id: str
    version: int | None = None
    detail: str | None = None


class Finding(BaseModel):
    aspect: Aspect
    outcome: FindingOutcome
    summary: str = Field(description="Why, in a sentence; never names a person.")
    evidence: list[Evidence] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)


class SubstantialDifference(BaseModel):
    element: Element
    description: str = Field(min_length=3, max_length=NOTE_MAX)


class LegalBasis(BaseModel):
    kind: LegalBasisKind
    reference: str | None = Field(
        default=None,
        max_length=caps.REFERENCE_MAX,
        description="The agreement's id for an agreement; the article for a convention; "
        "the law's name for national law (the node's configured law if omitted).",
    )
    citation: str | None = Field(
        default=None,
        max_length=caps.REFERENCE_MAX,
        description="The instrument as an applicant reads it: title and article.",
    )


class ReferenceRecordUse(BaseModel):
    """A reference record the assessment rests on: a record of a country without a node,
    entered by a node's admin from a named source (docs/reference-records.md)."""

    kind: str = Field(examples=["institution"], description="institution, agency or evaluation")
    id: str
    label: str = Field(description="What the record is, in a few words.")
    entered_by: str = Field(description="The node whose admin entered it.", examples=["cn"])
    source: str = Field(examples=["Ministry of Education ID register, 2026-10-01"])
    superseded_by: str | None = Field(
        default=None,
        description="The record of the country's own node that has since replaced it (the "
        "assessment then uses that one).",
    )


class Assessment(BaseModel):
    id: uuid.UUID
    case_id: uuid.UUID
    assessed_on: date
    inputs_hash: str = Field(description="SHA-256 of every input: same hash, same result.")
    recommendation: Outcome
    comparable_level: str | None
    reference_levels: dict[str, str]
    findings: list[Finding]
    substantial_differences: list[SubstantialDifference]
    conditions: list[str]
    suggested_legal_basis: LegalBasis
    reasons: list[str]
    reference_records: list[ReferenceRecordUse] = Field(
        default_factory=list,
        description="The reference records (of countries without a node) the assessment rests "
        "on, with who entered them and their source; the reasons say so too.",
    )
    created_at: datetime
