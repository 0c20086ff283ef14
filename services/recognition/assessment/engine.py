"""The assessment itself: a pure function from the facts read from the replicas, the
directory's matcher and the reference catalogue to findings and a recommendation. No I/O, no
clock: the same inputs give the same result, which is what makes a stored assessment
reproducible from its inputs hash.

Each aspect is its own module (identity, quality, level, workload, profile, agreements,
precedents, legal_basis); recommendation.py holds the order of the rules.
"""

from __future__ import annotations

from services.recognition.assessment.agreements import assess_agreements
from services.recognition.assessment.facts import AssessmentInputs, AssessmentOutcome, State
from services.recognition.assessment.identity import assess_identity
from services.recognition.assessment.legal_basis import _legal_basis
from services.recognition.assessment.level import assess_level
from services.recognition.assessment.precedents import assess_precedents
from services.recognition.assessment.profile import assess_learning_outcomes, assess_profile
from services.recognition.assessment.quality import assess_quality
from services.recognition.assessment.recommendation import recommend
from services.recognition.assessment.schemas import FindingOutcome, SubstantialDifference
from services.recognition.assessment.workload import assess_workload
from services.recognition.catalogue.catalogue import Catalogue

ENGINE_VERSION = "2"


def assess(inputs: AssessmentInputs, catalogue: Catalogue) -> AssessmentOutcome:
    """Assess a qualification against the host level sought (see recommendation.py)."""
    state = State()
    differences: list[SubstantialDifference] = []
    findings = [assess_identity(inputs, state, differences)]
    findings.append(assess_quality(inputs, state, differences))
    level_finding, comparable, references = assess_level(inputs, catalogue, state, differences)
    findings.append(level_finding)
    findings.append(assess_workload(inputs, catalogue, references, state, differences))
    findings.append(assess_profile(inputs))
    findings.append(assess_learning_outcomes())
    findings.append(assess_agreements(inputs, catalogue, references, state))
    findings.append(assess_precedents(inputs))
    recommendation, conditions = recommend(inputs, state, differences)
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
