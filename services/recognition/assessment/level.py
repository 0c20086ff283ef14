"""Level: the qualification's framework level, compared with the level sought through the
reference frameworks (origin framework → EQF / AQRF / QF-EHEA → host framework). A comparable
level below the one sought is a substantial difference of level."""

from __future__ import annotations

from typing import Any

from rules.level_comparison import at_least
from services.recognition.assessment.facts import AssessmentInputs, State
from services.recognition.assessment.schemas import (
    Aspect,
    Element,
    Evidence,
    Finding,
    FindingOutcome,
    SubstantialDifference,
)
from services.recognition.catalogue.catalogue import Catalogue


def assess_level(
    inputs: AssessmentInputs,
    catalogue: Catalogue,
    state: State,
    differences: list[SubstantialDifference],
) -> tuple[Finding, str | None, dict[str, str]]:
    """The finding, the comparable host level (if any) and the qualification's reference
    levels (framework → level)."""
    q = inputs.qualification
    origin_code = q.level
    if origin_code is None:
        origin_code = next((c for c in inputs.programme_levels if catalogue.find_level(c)), None)
    origin = catalogue.find_level(origin_code)
    target = catalogue.find_level(q.target_level)
    if origin is None or target is None:
        if target is None:
            summary = f"The level sought, {q.target_level}, is not a known framework level."
        elif origin_code is None:
            summary = "The qualification's framework level is not given."
        else:
            summary = f"The qualification's level, {origin_code}, is not a known framework level."
        return (
            Finding(
                aspect=Aspect.LEVEL,
                outcome=FindingOutcome.INCONCLUSIVE,
                summary=summary,
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
                detail=step.basis.value
                + ("" if step.source.verified else " (not verified against its source)"),
            )
            for step in comparison.path
        ),
    ]
    if not comparison.result_levels:
        return (
            Finding(
                aspect=Aspect.LEVEL,
                outcome=FindingOutcome.INCONCLUSIVE,
                summary=f"{origin.code} ({origin.name}) cannot be related to the "
                f"{target.framework} framework: no reference framework links them.",
                evidence=evidence,
                data={"reference_levels": references},
            ),
            None,
            references,
        )
    comparable = catalogue.levels[comparison.result_levels[0]]
    route = " → ".join([origin.code, *_route(origin.code, comparison.path)])
    data: dict[str, Any] = {
        "path": route,
        "reference_levels": references,
        "verified": comparison.verified,
        "comparable_rank": comparable.rank,
        "target_rank": target.rank,
    }
    if at_least(comparable.rank, target.rank):
        state.level = "comparable"
        return (
            Finding(
                aspect=Aspect.LEVEL,
                outcome=FindingOutcome.POSITIVE,
                summary=f"{origin.code} ({origin.name}) corresponds to {comparable.code} "
                f"({comparable.name}) through {route}, which "
                + (
                    f"is the level sought, {target.code}."
                    if comparable.code == target.code
                    else f"is at least the level sought, {target.code} ({target.name})."
                ),
                evidence=evidence,
                data=data,
            ),
            comparable.code,
            references,
        )
    state.level = "lower"
    description = (
        f"{origin.code} ({origin.name}) corresponds to {comparable.code} ({comparable.name}) "
        f"through {route}, below the level sought, {target.code} ({target.name}); recognition "
        f"is possible at {comparable.code}."
    )
    differences.append(SubstantialDifference(element=Element.LEVEL, description=description))
    return (
        Finding(
            aspect=Aspect.LEVEL,
            outcome=FindingOutcome.NEGATIVE,
            summary=description,
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
