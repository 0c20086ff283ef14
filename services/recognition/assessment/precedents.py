"""Precedents: how nodes of the federation decided the same institution and level (informative:
a precedent never sets the recommendation)."""

from __future__ import annotations

from services.recognition.assessment.facts import AssessmentInputs
from services.recognition.assessment.schemas import Aspect, Evidence, Finding, FindingOutcome

SHOWN = 20


def assess_precedents(inputs: AssessmentInputs) -> Finding:
    if not inputs.precedents:
        return Finding(
            aspect=Aspect.PRECEDENTS,
            outcome=FindingOutcome.INFORMATIVE,
            summary="No decision on the same institution and level has been published yet.",
        )
    counts: dict[str, int] = {}
    for precedent in inputs.precedents:
        counts[precedent.outcome] = counts.get(precedent.outcome, 0) + 1
    nodes = sorted({p.origin_node for p in inputs.precedents})
    tally = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    total = len(inputs.precedents)
    return Finding(
        aspect=Aspect.PRECEDENTS,
        outcome=FindingOutcome.INFORMATIVE,
        summary=f"{total} published decision{'s' if total != 1 else ''} on the same institution "
        f"and level, by {', '.join(nodes)}: {tally}.",
        evidence=[
            Evidence(
                kind="decision",
                id=p.id,
                version=p.version,
                detail=f"{p.origin_node} {p.decided_on}: {p.outcome}",
            )
            for p in inputs.precedents[:SHOWN]
        ],
        data={"counts": counts},
    )
