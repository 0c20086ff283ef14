"""Profile and learning outcomes: what the officer compares with the documents. The assessment
notes what it knows (mode of delivery, transnational award, a regulated profession) and presumes
no difference it cannot show: the burden of proof lies with the assessing side."""

from __future__ import annotations

from services.recognition.assessment.facts import AssessmentInputs
from services.recognition.assessment.schemas import Aspect, Finding, FindingOutcome


def assess_profile(inputs: AssessmentInputs) -> Finding:
    q = inputs.qualification
    if q.purpose == "regulated_profession":
        return Finding(
            aspect=Aspect.PROFILE,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary="Access to a regulated profession is decided by its competent authority; "
            "this assessment advises on the academic qualification only.",
        )
    notes = []
    if q.mode == "distance":
        notes.append(
            "The qualification was studied at a distance; the mode of delivery is not in itself "
            "a substantial difference."
        )
    if q.transnational:
        notes.append(
            "It was awarded transnationally; the awarding institution's home system is the "
            "reference for its recognised status."
        )
    summary = (
        " ".join(notes)
        if notes
        else "The profile of the programme is compared with the applicant's documents by the "
        "officer."
    )
    return Finding(
        aspect=Aspect.PROFILE,
        outcome=FindingOutcome.NOT_ASSESSED,
        summary=summary,
        data={"mode": q.mode, "field": q.field},
    )


def assess_learning_outcomes() -> Finding:
    return Finding(
        aspect=Aspect.LEARNING_OUTCOMES,
        outcome=FindingOutcome.NOT_ASSESSED,
        summary="Learning outcomes are compared with the applicant's documents by the officer; "
        "without evidence of a substantial difference, none is presumed.",
    )
