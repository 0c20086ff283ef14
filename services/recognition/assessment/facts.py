"""What the assessment reads, gathered from the replicas, the directory's matcher and the
reference catalogue (service.py), and what it returns. Plain values: the aspects are pure
functions of these, so that the same inputs give the same result."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from rules.qa_status import INSTITUTIONAL_ACTIVITIES, Evidence, default_valid_to, is_hidden
from services.recognition.assessment.schemas import (
    Finding,
    LegalBasis,
    Outcome,
    SubstantialDifference,
)
from services.recognition.catalogue.schemas import Agreement


@dataclass(frozen=True)
class QualificationFacts:
    country: str
    host_country: str
    title: str
    level: str | None
    target_level: str
    field: str | None
    credits: float | None
    credit_system: str | None
    years_full_time: float | None
    mode: str
    awarded_on: date
    transnational: bool
    purpose: str
    institution_id: str | None
    institution_name: str | None
    programme_id: str | None = None


@dataclass(frozen=True)
class InstitutionFacts:
    id: str
    version: int
    name: str
    country: str
    status: str
    founded_on: date | None
    closed_on: date | None
    origin_node: str


@dataclass(frozen=True)
class NameMatch:
    """A candidate of the directory's matcher for a free-text name (score 0..1)."""

    institution_id: str
    name: str
    score: float
    chosen: bool = False


@dataclass(frozen=True)
class RegistrationFacts:
    register: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class AgencyFacts:
    id: str
    version: int
    name: str
    acronym: str | None
    registrations: tuple[RegistrationFacts, ...]

    @property
    def label(self) -> str:
        return self.acronym or self.name

    def registered_on(self, day: date) -> RegistrationFacts | None:
        for registration in self.registrations:
            if (registration.valid_from is None or registration.valid_from <= day) and (
                registration.valid_to is None or registration.valid_to >= day
            ):
                return registration
        return None


@dataclass(frozen=True)
class EvaluationFacts:
    id: str
    version: int
    agency_id: str
    decision: str
    valid_from: date
    valid_to: date | None
    flag: str
    withdrawn: bool
    activity_type: str = "institutional"
    local_identifier: str | None = None
    flag_cleared: bool = False
    programme_ids: tuple[str, ...] = ()

    @property
    def ends_on(self) -> date:
        return self.valid_to or default_valid_to(self.valid_from)

    @property
    def institutional(self) -> bool:
        return self.activity_type in INSTITUTIONAL_ACTIVITIES

    def as_evidence(self) -> Evidence:
        """This evaluation as the QA status rule (`rules.qa_status`) reads it."""
        return Evidence(
            id=uuid.UUID(self.id),
            agency_id=uuid.UUID(self.agency_id),
            decision=self.decision,
            valid_from=self.valid_from,
            valid_to=self.ends_on,
            activity_type=self.activity_type,
            local_identifier=self.local_identifier or "",
            withdrawn=self.withdrawn,
            hidden=is_hidden(self.flag, self.flag_cleared),
        )


@dataclass(frozen=True)
class PrecedentFacts:
    id: str
    version: int
    origin_node: str
    outcome: str
    comparable_level: str | None
    decided_on: date


@dataclass(frozen=True)
class AssessmentInputs:
    qualification: QualificationFacts
    assessed_on: date
    institution: InstitutionFacts | None
    institution_lookup: str  # "id", "name" or "none"
    name_matches: tuple[NameMatch, ...]
    evaluations: tuple[EvaluationFacts, ...]
    agencies: tuple[AgencyFacts, ...]
    precedents: tuple[PrecedentFacts, ...]
    programme_levels: tuple[str, ...] = ()
    national_legal_basis: str = ""  # the assessing node's national law, by name


@dataclass
class AssessmentOutcome:
    recommendation: Outcome
    comparable_level: str | None
    reference_levels: dict[str, str]
    findings: list[Finding]
    substantial_differences: list[SubstantialDifference]
    conditions: list[str]
    suggested_legal_basis: LegalBasis
    reasons: list[str] = field(default_factory=list)


@dataclass
class State:
    """What the aspects learn, for the ones after them and the recommendation."""

    identity: str = "unresolved"  # confirmed | unresolved | unidentified | not_active
    quality: str = "unknown"  # accredited | not_accredited | expired | none | unknown
    level: str = "unknown"  # comparable | lower | unknown
    workload_ratio: float | None = None
    agreement: Agreement | None = None
    agreement_applies: bool = False
