"""The assessment itself: a pure function from the facts read from the replicas and the
reference catalogue to findings and a recommendation. No I/O, no clock: the same inputs give
the same result, which is what makes a stored assessment reproducible from its inputs hash.

Order of the rules (the first that applies sets the recommendation; every substantial
difference found is listed regardless):
1. purpose is a regulated profession → advice (the competent authority decides);
2. institution not active, or not accredited / accreditation expired at the award date →
   refused (quality);
3. origin level unknown or not comparable through the reference frameworks → advice;
4. comparable host level below the level sought → alternative, at the comparable level (level);
5. workload below half the norm → partial; below three quarters → conditional (workload);
6. institution or its quality not established from the replicas → conditional;
7. an agreement of level recognition applies → recognised at level only; else recognised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rules.conventions import ConventionId
from rules.legal_basis import BasisKind, cite
from services.recognition.assessment.schemas import (
    CONVENTION_BASES,
    Aspect,
    Element,
    Evidence,
    Finding,
    FindingOutcome,
    LegalBasis,
    LegalBasisKind,
    Outcome,
    SubstantialDifference,
)
from services.recognition.reference.catalogue import Catalogue
from services.recognition.reference.schemas import Agreement, AgreementScope

ENGINE_VERSION = "1"
DEFAULT_VALIDITY = timedelta(days=6 * 365 + 1)  # BRIEF §3: valid_to defaults to valid_from + 6y
POSITIVE_DECISIONS = ("positive", "positive with conditions or restrictions")
WORKLOAD_FULL = 0.9
WORKLOAD_MINOR = 0.75
WORKLOAD_PARTIAL = 0.5
INACTIVE = ("closed", "merged", "inactive")


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
    institution_id: str
    name: str
    score: float


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

    @property
    def ends_on(self) -> date:
        return self.valid_to or self.valid_from + DEFAULT_VALIDITY

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.ends_on


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
    match_threshold: float
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
class _State:
    identity: str = "unresolved"  # confirmed | unresolved | not_active
    quality: str = "unknown"  # accredited | not_accredited | expired | unknown
    level: str = "unknown"  # comparable | lower | unknown
    workload_ratio: float | None = None
    agreement: Agreement | None = None
    agreement_applies: bool = False


def assess(inputs: AssessmentInputs, catalogue: Catalogue) -> AssessmentOutcome:
    """Assess a qualification against the host level sought (see the module's rules)."""
    state = _State()
    differences: list[SubstantialDifference] = []
    conditions: list[str] = []
    findings = [_identity(inputs, state)]
    findings.append(_quality(inputs, state, differences))
    level_finding, comparable, references = _level(inputs, catalogue, state, differences)
    findings.append(level_finding)
    findings.append(_workload(inputs, catalogue, references, state, differences))
    findings.append(_profile(inputs))
    findings.append(_learning_outcomes())
    findings.append(_agreement(inputs, catalogue, references, state))
    findings.append(_precedents(inputs))
    q = inputs.qualification

    if q.purpose == "regulated_profession":
        recommendation = Outcome.ADVICE
    elif state.identity == "not_active" or state.quality in ("not_accredited", "expired"):
        recommendation = Outcome.REFUSED
        if state.identity == "not_active":
            differences.insert(
                0,
                SubstantialDifference(
                    element=Element.QUALITY,
                    description="the awarding institution was not an active institution of "
                    "its home system at the award date",
                ),
            )
    elif state.level == "unknown":
        recommendation = Outcome.ADVICE
    elif state.level == "lower":
        recommendation = Outcome.ALTERNATIVE
    elif state.workload_ratio is not None and state.workload_ratio < WORKLOAD_PARTIAL:
        recommendation = Outcome.PARTIAL
        conditions.append("recognition of the completed studies as credits towards the level")
    elif state.workload_ratio is not None and state.workload_ratio < WORKLOAD_MINOR:
        recommendation = Outcome.CONDITIONAL
        conditions.append("compensation measures for the missing workload (bridging studies)")
    elif state.identity != "confirmed" or state.quality != "accredited":
        recommendation = Outcome.CONDITIONAL
        conditions.append(
            "evidence that the awarding institution and programme were recognised (quality "
            "assured) in the home system at the award date"
        )
    elif (
        state.agreement_applies
        and state.agreement is not None
        and (state.agreement.scope is AgreementScope.LEVEL)
    ):
        recommendation = Outcome.RECOGNISED_AT_LEVEL_ONLY
    else:
        recommendation = Outcome.RECOGNISED
    if recommendation is Outcome.ADVICE and q.purpose == "regulated_profession":
        conditions.append("professional recognition by the competent authority")

    reasons = [
        f"{finding.aspect.value}: {finding.summary}"
        for finding in findings
        if finding.outcome not in (FindingOutcome.NOT_ASSESSED, FindingOutcome.INFORMATIVE)
    ]
    return AssessmentOutcome(
        recommendation=recommendation,
        comparable_level=comparable,
        reference_levels=references,
        findings=findings,
        substantial_differences=differences,
        conditions=conditions,
        suggested_legal_basis=_legal_basis(inputs, catalogue, state),
        reasons=reasons,
    )


# -- the findings -------------------------------------------------------------------------------


def _identity(inputs: AssessmentInputs, state: _State) -> Finding:
    q, institution = inputs.qualification, inputs.institution
    evidence: list[Evidence] = []
    data: dict[str, Any] = {"lookup": inputs.institution_lookup}
    if inputs.name_matches:
        data["candidates"] = [
            {"institution_id": m.institution_id, "name": m.name, "score": m.score}
            for m in inputs.name_matches
        ]
    if institution is None:
        if inputs.institution_lookup == "id":
            summary = "the institution named by id is not in this node's directory replicas"
            outcome = FindingOutcome.NEGATIVE
        elif inputs.name_matches:
            best = inputs.name_matches[0]
            summary = (
                f"no confident match for the institution name (best: {best.name!r}, score "
                f"{best.score:.1f} < {inputs.match_threshold:.0f} or too close to the next)"
            )
            outcome = FindingOutcome.INCONCLUSIVE
        else:
            summary = f"no institution of {q.country} in the directory replicas matches the name"
            outcome = FindingOutcome.NEGATIVE
        return Finding(
            aspect=Aspect.IDENTITY, outcome=outcome, summary=summary, evidence=evidence, data=data
        )
    evidence.append(
        Evidence(
            kind="institution",
            id=institution.id,
            version=institution.version,
            detail=f"{institution.name} ({institution.country}, {institution.status})",
        )
    )
    how = "named by id"
    if inputs.institution_lookup == "name":
        how = f"matched from the name with score {inputs.name_matches[0].score:.1f}"
        data["score"] = inputs.name_matches[0].score
    problems = []
    if institution.founded_on and q.awarded_on < institution.founded_on:
        problems.append(f"founded on {institution.founded_on}, after the award date")
    if institution.closed_on and q.awarded_on > institution.closed_on:
        problems.append(f"closed on {institution.closed_on}, before the award date")
    if problems:
        state.identity = "not_active"
        return Finding(
            aspect=Aspect.IDENTITY,
            outcome=FindingOutcome.NEGATIVE,
            summary=f"{institution.name} ({how}) was not active at the award date: "
            + "; ".join(problems),
            evidence=evidence,
            data=data,
        )
    notes = []
    if institution.country != q.country and not q.transnational:
        notes.append(
            f"the institution is in {institution.country}, not {q.country}; "
            "check whether the award was transnational"
        )
    if institution.status in INACTIVE and institution.closed_on is None:
        state.identity = "unresolved"
        return Finding(
            aspect=Aspect.IDENTITY,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary=f"{institution.name} ({how}) is {institution.status} and its closing date "
            "is unknown: activity at the award date is not established",
            evidence=evidence,
            data=data,
        )
    state.identity = "confirmed"
    summary = f"{institution.name} ({how}) was active at the award date"
    if notes:
        summary += "; " + "; ".join(notes)
    return Finding(
        aspect=Aspect.IDENTITY,
        outcome=FindingOutcome.POSITIVE,
        summary=summary,
        evidence=evidence,
        data=data,
    )


def _quality(
    inputs: AssessmentInputs, state: _State, differences: list[SubstantialDifference]
) -> Finding:
    if inputs.institution is None:
        return Finding(
            aspect=Aspect.QUALITY,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary="without an identified institution its QA status cannot be established",
        )
    awarded = inputs.qualification.awarded_on
    agencies = {agency.id: agency for agency in inputs.agencies}
    usable = [e for e in inputs.evaluations if not e.withdrawn and e.flag != "high"]
    valid = [e for e in usable if e.valid_on(awarded)]
    positive = [e for e in valid if e.decision in POSITIVE_DECISIONS]
    negative = [e for e in valid if e.decision == "negative"]
    registered_positive = []
    for evaluation in positive:
        agency = agencies.get(evaluation.agency_id)
        if agency is not None and agency.registered_on(awarded) is not None:
            registered_positive.append((evaluation, agency))
    if registered_positive:
        evaluation, agency = registered_positive[0]
        registration = agency.registered_on(awarded)
        assert registration is not None
        state.quality = "accredited"
        conditional = evaluation.decision != "positive"
        return Finding(
            aspect=Aspect.QUALITY,
            outcome=FindingOutcome.POSITIVE,
            summary=f"accredited{' with conditions' if conditional else ''} at the award date "
            f"by {agency.acronym or agency.name} (valid {evaluation.valid_from} to "
            f"{evaluation.ends_on}; agency registered in {registration.register} then)",
            evidence=[
                Evidence(
                    kind="evaluation",
                    id=evaluation.id,
                    version=evaluation.version,
                    detail=evaluation.decision,
                ),
                Evidence(
                    kind="agency",
                    id=agency.id,
                    version=agency.version,
                    detail=f"{registration.register} registration",
                ),
            ],
            data={"status": "accredited with conditions" if conditional else "accredited"},
        )
    if negative:
        evaluation = negative[0]
        state.quality = "not_accredited"
        description = (
            f"a negative QA decision (evaluation {evaluation.id}) was in force at the award date"
        )
        differences.append(SubstantialDifference(element=Element.QUALITY, description=description))
        return Finding(
            aspect=Aspect.QUALITY,
            outcome=FindingOutcome.NEGATIVE,
            summary=description,
            evidence=[
                Evidence(
                    kind="evaluation",
                    id=evaluation.id,
                    version=evaluation.version,
                    detail=evaluation.decision,
                )
            ],
            data={"status": "not accredited"},
        )
    if positive:
        evaluation = positive[0]
        return Finding(
            aspect=Aspect.QUALITY,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary="a positive QA result was valid at the award date, but its agency's "
            "registration at that date is not established",
            evidence=[Evidence(kind="evaluation", id=evaluation.id, version=evaluation.version)],
            data={"status": "unknown"},
        )
    expired = sorted(
        (e for e in usable if e.decision in POSITIVE_DECISIONS and e.ends_on < awarded),
        key=lambda e: (e.ends_on, e.id),
    )
    if expired:
        evaluation = expired[-1]
        state.quality = "expired"
        description = (
            f"the institution's accreditation expired on {evaluation.ends_on}, before the award "
            "date, and no QA result covers the award date"
        )
        differences.append(SubstantialDifference(element=Element.QUALITY, description=description))
        return Finding(
            aspect=Aspect.QUALITY,
            outcome=FindingOutcome.NEGATIVE,
            summary=description,
            evidence=[
                Evidence(
                    kind="evaluation",
                    id=evaluation.id,
                    version=evaluation.version,
                    detail=f"valid to {evaluation.ends_on}",
                )
            ],
            data={"status": "expired"},
        )
    later = [e for e in usable if e.valid_from > awarded]
    summary = (
        "QA results exist only from after the award date"
        if later
        else "no QA result for the institution in this node's replicas"
    )
    return Finding(
        aspect=Aspect.QUALITY,
        outcome=FindingOutcome.INCONCLUSIVE,
        summary=summary,
        evidence=[Evidence(kind="evaluation", id=e.id, version=e.version) for e in later],
        data={"status": "none"},
    )


def _level(
    inputs: AssessmentInputs,
    catalogue: Catalogue,
    state: _State,
    differences: list[SubstantialDifference],
) -> tuple[Finding, str | None, dict[str, str]]:
    q = inputs.qualification
    origin_code = q.level
    if origin_code is None:
        origin_code = next((c for c in inputs.programme_levels if catalogue.find_level(c)), None)
    origin = catalogue.find_level(origin_code)
    target = catalogue.find_level(q.target_level)
    if origin is None or target is None:
        missing = "the level sought" if target is None else "the qualification's framework level"
        return (
            Finding(
                aspect=Aspect.LEVEL,
                outcome=FindingOutcome.INCONCLUSIVE,
                summary=f"{missing} is not known to the reference data",
                data={"level": origin_code, "target_level": q.target_level},
            ),
            None,
            {},
        )
    comparison = catalogue.compare(origin.code, target.framework)
    references = dict(comparison.reference_levels)
    evidence = [
        Evidence(
            kind="framework_level",
            id=origin.code,
            version=origin.version,
            detail=origin.source.title[:200],
        ),
        *(
            Evidence(
                kind="referencing",
                id=f"{step.from_}->{step.to}",
                detail=f"{step.basis.value}; verified={step.source.verified}",
            )
            for step in comparison.path
        ),
    ]
    if not comparison.result_levels:
        return (
            Finding(
                aspect=Aspect.LEVEL,
                outcome=FindingOutcome.INCONCLUSIVE,
                summary=f"no referencing path from {origin.code} to the {target.framework} "
                "framework through the reference frameworks",
                evidence=evidence,
                data={"reference_levels": references},
            ),
            None,
            references,
        )
    comparable = catalogue.levels[comparison.result_levels[0]]
    route = " → ".join([origin.code, *_route(origin.code, comparison.path)])
    data = {
        "path": route,
        "reference_levels": references,
        "verified": comparison.verified,
        "comparable_rank": comparable.rank,
        "target_rank": target.rank,
    }
    if comparable.rank >= target.rank:
        state.level = "comparable"
        return (
            Finding(
                aspect=Aspect.LEVEL,
                outcome=FindingOutcome.POSITIVE,
                summary=f"{origin.code} ({origin.name}) corresponds to {comparable.code} "
                f"({comparable.name}) via {route}; the level sought is {target.code}",
                evidence=evidence,
                data=data,
            ),
            comparable.code,
            references,
        )
    state.level = "lower"
    description = (
        f"{origin.code} corresponds to {comparable.code}, below the level sought {target.code}"
    )
    differences.append(SubstantialDifference(element=Element.LEVEL, description=description))
    return (
        Finding(
            aspect=Aspect.LEVEL,
            outcome=FindingOutcome.NEGATIVE,
            summary=f"{description} (via {route}); recognition is possible at {comparable.code}",
            evidence=evidence,
            data=data,
        ),
        comparable.code,
        references,
    )


def _route(start: str, path: Any) -> list[str]:
    codes, current = [], start
    for step in path:
        current = step.to if step.from_ == current else step.from_
        codes.append(current)
    return codes


def _workload(
    inputs: AssessmentInputs,
    catalogue: Catalogue,
    references: dict[str, str],
    state: _State,
    differences: list[SubstantialDifference],
) -> Finding:
    q = inputs.qualification
    evidence: list[Evidence] = []
    if q.credits is not None and q.credit_system:
        system = catalogue.credit_system(q.credit_system)
        if system is None:
            return Finding(
                aspect=Aspect.WORKLOAD,
                outcome=FindingOutcome.INCONCLUSIVE,
                summary=f"the credit system {q.credit_system!r} is not in the reference data",
            )
        ects = round(q.credits * system.ects_per_credit, 1)
        how = (
            f"{q.credits:g} {system.code} credits x {system.ects_per_credit:g} "
            f"({system.assumption})"
        )
        evidence.append(
            Evidence(kind="credit_system", id=system.code, detail=system.source.title[:200])
        )
    elif q.years_full_time is not None:
        system = catalogue.credit_system("YEARS")
        assert system is not None
        ects = round(q.years_full_time * system.ects_per_credit, 1)
        how = f"{q.years_full_time:g} full-time years x 60"
        evidence.append(
            Evidence(kind="credit_system", id="YEARS", detail=system.source.title[:200])
        )
    else:
        return Finding(
            aspect=Aspect.WORKLOAD,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary="neither credits nor full-time years were given",
        )
    norm_level = catalogue.find_level(references.get("QF-EHEA"))
    if norm_level is None or not norm_level.ects_min:
        return Finding(
            aspect=Aspect.WORKLOAD,
            outcome=FindingOutcome.NOT_APPLICABLE,
            summary=f"≈{ects:g} ECTS-equivalents ({how}); no workload norm for this level",
            evidence=evidence,
            data={"ects": ects},
        )
    evidence.append(
        Evidence(
            kind="framework_level",
            id=norm_level.code,
            version=norm_level.version,
            detail=f"norm {norm_level.ects_min:g}-{norm_level.ects_max or 0:g} ECTS",
        )
    )
    ratio = round(ects / norm_level.ects_min, 3)
    state.workload_ratio = ratio
    data = {
        "ects": ects,
        "norm_min": norm_level.ects_min,
        "norm_max": norm_level.ects_max,
        "ratio": ratio,
    }
    norm = (
        f"the {norm_level.code} norm of {norm_level.ects_min:g}-{norm_level.ects_max or 0:g} ECTS"
    )
    if ratio >= WORKLOAD_FULL:
        return Finding(
            aspect=Aspect.WORKLOAD,
            outcome=FindingOutcome.POSITIVE,
            summary=f"≈{ects:g} ECTS-equivalents ({how}) meets {norm}",
            evidence=evidence,
            data=data,
        )
    if ratio >= WORKLOAD_MINOR:
        return Finding(
            aspect=Aspect.WORKLOAD,
            outcome=FindingOutcome.POSITIVE,
            summary=f"≈{ects:g} ECTS-equivalents ({how}) is slightly below {norm}: "
            "a difference, not a substantial one",
            evidence=evidence,
            data=data,
        )
    description = f"≈{ects:g} ECTS-equivalents ({how}) is far below {norm} ({ratio:.0%})"
    differences.append(SubstantialDifference(element=Element.WORKLOAD, description=description))
    return Finding(
        aspect=Aspect.WORKLOAD,
        outcome=FindingOutcome.NEGATIVE,
        summary=description,
        evidence=evidence,
        data=data,
    )


def _profile(inputs: AssessmentInputs) -> Finding:
    q = inputs.qualification
    if q.purpose == "regulated_profession":
        return Finding(
            aspect=Aspect.PROFILE,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary="access to a regulated profession is decided by its competent authority; "
            "this node gives advice on the academic qualification",
        )
    notes = []
    if q.mode == "distance":
        notes.append(
            "delivered at a distance; the mode of delivery is not in itself a "
            "substantial difference"
        )
    if q.transnational:
        notes.append(
            "awarded transnationally; the awarding institution's home system is the "
            "reference for its recognised status"
        )
    summary = (
        "; ".join(notes)
        if notes
        else (
            "the profile is not recorded in the replicas; "
            "the officer compares it with the documents"
        )
    )
    return Finding(
        aspect=Aspect.PROFILE,
        outcome=FindingOutcome.NOT_ASSESSED,
        summary=summary,
        data={"mode": q.mode, "field": q.field},
    )


def _learning_outcomes() -> Finding:
    return Finding(
        aspect=Aspect.LEARNING_OUTCOMES,
        outcome=FindingOutcome.NOT_ASSESSED,
        summary="learning outcomes are compared with the documents by the officer; without "
        "evidence of a substantial difference none is presumed",
    )


def _recognition_agreements(
    inputs: AssessmentInputs, catalogue: Catalogue, references: dict[str, str]
) -> tuple[list[Agreement], list[Agreement]]:
    """(applicable, related): agreements between the two countries that apply on the
    assessment date to the qualification's level, and the others between them."""
    q = inputs.qualification
    cycle = references.get("QF-EHEA")
    applicable, related = [], []
    for agreement in sorted(
        catalogue.agreements.values(), key=lambda a: (a.kind.value != "bilateral", a.id)
    ):
        if agreement.legal_basis is not None:
            continue  # conventions are legal bases, not automatic recognition
        if q.country not in agreement.parties or q.host_country not in agreement.parties:
            continue
        if agreement.in_force(inputs.assessed_on) and cycle in agreement.levels:
            applicable.append(agreement)
        else:
            related.append(agreement)
    return applicable, related


def _agreement(
    inputs: AssessmentInputs, catalogue: Catalogue, references: dict[str, str], state: _State
) -> Finding:
    q = inputs.qualification
    applicable, related = _recognition_agreements(inputs, catalogue, references)
    if not applicable:
        detail = ""
        if related:
            detail = "; not applicable: " + ", ".join(
                f"{a.id} ({_why_not(a, inputs.assessed_on)})" for a in related
            )
        return Finding(
            aspect=Aspect.AGREEMENT,
            outcome=FindingOutcome.NOT_APPLICABLE,
            summary=f"no recognition agreement between {q.country} and {q.host_country} covers "
            f"this level on the assessment date{detail}",
            evidence=[Evidence(kind="agreement", id=a.id, version=a.version) for a in related],
        )
    agreement = applicable[0]
    state.agreement = agreement
    evidence = [
        Evidence(
            kind="agreement",
            id=agreement.id,
            version=agreement.version,
            detail=f"in force since {agreement.in_force_on}",
        )
    ]
    timing = ""
    assert agreement.in_force_on is not None
    if agreement.in_force_on > q.awarded_on:
        timing = (
            " (it entered into force after the award date, which does not matter: it "
            "need only be in force on the assessment date)"
        )
    if state.identity == "confirmed" and state.quality == "accredited":
        state.agreement_applies = True
        kind = (
            "automatic level recognition"
            if agreement.scope is AgreementScope.LEVEL
            else ("automatic recognition")
        )
        return Finding(
            aspect=Aspect.AGREEMENT,
            outcome=FindingOutcome.POSITIVE,
            summary=f"{kind} basis: agreement {agreement.id} between "
            f"{'/'.join(agreement.parties)} is in force and covers {references.get('QF-EHEA')}"
            f"{timing}, and the institution was recognised in its home system at the award date",
            evidence=evidence,
            data={"agreement_id": agreement.id, "scope": agreement.scope.value},
        )
    return Finding(
        aspect=Aspect.AGREEMENT,
        outcome=FindingOutcome.INCONCLUSIVE,
        summary=f"agreement {agreement.id} is in force and covers the level{timing}, but applies "
        "only to institutions recognised in their home system at the award date, which is not "
        "established",
        evidence=evidence,
        data={"agreement_id": agreement.id},
    )


def _why_not(agreement: Agreement, on: date) -> str:
    if agreement.in_force_on is None:
        return "no date of entry into force recorded"
    if not agreement.in_force(on):
        return "not in force on the assessment date"
    return "level not covered"


def _precedents(inputs: AssessmentInputs) -> Finding:
    if not inputs.precedents:
        return Finding(
            aspect=Aspect.PRECEDENTS,
            outcome=FindingOutcome.INFORMATIVE,
            summary="no published decision on the same institution and level yet",
        )
    counts: dict[str, int] = {}
    for precedent in inputs.precedents:
        counts[precedent.outcome] = counts.get(precedent.outcome, 0) + 1
    nodes = sorted({p.origin_node for p in inputs.precedents})
    tally = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    return Finding(
        aspect=Aspect.PRECEDENTS,
        outcome=FindingOutcome.INFORMATIVE,
        summary=f"{len(inputs.precedents)} published decision(s) on the same institution and "
        f"level by {', '.join(nodes)}: {tally}",
        evidence=[
            Evidence(
                kind="decision",
                id=p.id,
                version=p.version,
                detail=f"{p.origin_node} {p.decided_on}: {p.outcome}",
            )
            for p in inputs.precedents[:20]
        ],
        data={"counts": counts},
    )


def _legal_basis(inputs: AssessmentInputs, catalogue: Catalogue, state: _State) -> LegalBasis:
    q = inputs.qualification
    applicable = []
    if state.agreement_applies and state.agreement is not None:
        applicable.append(state.agreement.terms())
    citation = cite(
        q.host_country, q.country, inputs.assessed_on, applicable, inputs.national_legal_basis
    )
    if citation.kind is BasisKind.AGREEMENT:
        multilateral = applicable[0].multilateral
        kind = (
            LegalBasisKind.MULTILATERAL_AGREEMENT
            if multilateral
            else LegalBasisKind.BILATERAL_AGREEMENT
        )
        return LegalBasis(kind=kind, reference=citation.instrument, citation=citation.text)
    if citation.kind is BasisKind.CONVENTION:
        text = citation.text
        if citation.also:
            text += " (also binding: " + ", ".join(citation.also) + ")"
        reference = f"art. {citation.article}" if citation.article else None
        return LegalBasis(
            kind=CONVENTION_BASES[ConventionId(citation.instrument)],
            reference=reference,
            citation=text,
        )
    return LegalBasis(
        kind=LegalBasisKind.NATIONAL_LAW, reference=citation.instrument, citation=citation.text
    )
