"""Identity: which institution awarded the qualification, and was it active on the award date.

A case names the institution by id or by free text; free text is resolved by the node's
directory matcher (service.py asks it), and only its confident choice identifies the institution.
An institution that cannot be identified, or that was not active when the degree was awarded
(founded after it, or closed before it), is a substantial difference: the qualification cannot
be shown to belong to a recognised higher-education system.
"""

from __future__ import annotations

from typing import Any

from services.recognition.assessment.facts import AssessmentInputs, State
from services.recognition.assessment.schemas import (
    Aspect,
    Element,
    Evidence,
    Finding,
    FindingOutcome,
    SubstantialDifference,
)

INACTIVE = ("closed", "merged", "inactive")


def assess_identity(
    inputs: AssessmentInputs, state: State, differences: list[SubstantialDifference]
) -> Finding:
    q, institution = inputs.qualification, inputs.institution
    data: dict[str, Any] = {"lookup": inputs.institution_lookup}
    if inputs.name_matches:
        data["candidates"] = [
            {"institution_id": m.institution_id, "name": m.name, "score": m.score}
            for m in inputs.name_matches
        ]
    if institution is None:
        state.identity = "unidentified"
        if q.institution_id is not None:
            data["institution_id"] = q.institution_id
        summary = _not_identified(inputs)
        differences.append(SubstantialDifference(element=Element.QUALITY, description=summary))
        return Finding(
            aspect=Aspect.IDENTITY, outcome=FindingOutcome.NEGATIVE, summary=summary, data=data
        )
    evidence = [
        Evidence(
            kind="institution",
            id=institution.id,
            version=institution.version,
            detail=f"{institution.name} ({institution.country}, {institution.status})",
        )
    ]
    named = f"{institution.name} ({institution.country})"
    if inputs.institution_lookup == "name" and inputs.name_matches:
        best = inputs.name_matches[0]
        named += (
            f", identified by the directory from “{q.institution_name}” (score {best.score:.2f}),"
        )
        data["score"] = best.score
    awarded = q.awarded_on
    if institution.founded_on and awarded < institution.founded_on:
        problem = (
            f"was founded on {institution.founded_on}, after the degree was awarded on {awarded}"
        )
    elif institution.closed_on and awarded > institution.closed_on:
        problem = f"closed on {institution.closed_on}, before the degree was awarded on {awarded}"
    else:
        problem = None
    if problem is not None:
        state.identity = "not_active"
        summary = f"{named} {problem}."
        differences.append(SubstantialDifference(element=Element.QUALITY, description=summary))
        return Finding(
            aspect=Aspect.IDENTITY,
            outcome=FindingOutcome.NEGATIVE,
            summary=summary,
            evidence=evidence,
            data=data,
        )
    if institution.status in INACTIVE and institution.closed_on is None:
        state.identity = "unresolved"
        return Finding(
            aspect=Aspect.IDENTITY,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary=f"{named} is now {institution.status} and its closing date is not recorded, "
            f"so whether it was active on {awarded} is not established.",
            evidence=evidence,
            data=data,
        )
    state.identity = "confirmed"
    summary = f"{named} was active when the degree was awarded on {awarded}."
    if institution.country != q.country and not q.transnational:
        summary += (
            f" It is in {institution.country}, not {q.country}: check whether the degree was "
            "awarded transnationally."
        )
    return Finding(
        aspect=Aspect.IDENTITY,
        outcome=FindingOutcome.POSITIVE,
        summary=summary,
        evidence=evidence,
        data=data,
    )


def _not_identified(inputs: AssessmentInputs) -> str:
    q = inputs.qualification
    if inputs.institution_lookup == "id":
        return (
            "The awarding institution named by the case is not in this node's directory, so "
            "it cannot be shown to be a recognised institution."
        )
    if inputs.institution_lookup == "none":
        return "The case names no awarding institution, so it cannot be identified."
    chosen = [m for m in inputs.name_matches if m.chosen]
    if chosen:
        return (
            f"The directory identifies “{q.institution_name}” as {chosen[0].name}, but its "
            "record has not arrived at this node yet; assess again shortly."
        )
    if inputs.name_matches:
        best = inputs.name_matches[0]
        return (
            f"“{q.institution_name}” could not be identified with confidence in the directory: "
            f"the closest institution, {best.name}, scores {best.score:.2f}, too low or too close "
            "to another to be sure."
        )
    return f"No institution in the directory matches “{q.institution_name}”."
