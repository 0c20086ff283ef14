"""Workload: the qualification's credits (or full-time years) converted to ECTS-equivalents and
compared with the ECTS norm of its QF-EHEA cycle. At or above the norm's lower bound it meets
the norm; below it by less than a quarter it is a difference, not a substantial one; below three
quarters of it, a substantial difference."""

from __future__ import annotations

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

WORKLOAD_MINOR = 0.75  # below this share of the norm, the difference is substantial
WORKLOAD_PARTIAL = 0.5  # below this share, only partial recognition (credits) is possible
DASH = "\N{EN DASH}"


def assess_workload(
    inputs: AssessmentInputs,
    catalogue: Catalogue,
    references: dict[str, str],
    state: State,
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
                summary=f"The credit system {q.credit_system!r} is not known, so the workload "
                "cannot be converted to ECTS.",
            )
        ects = round(q.credits * system.ects_per_credit, 1)
        how = (
            f"{q.credits:g} {system.code} credits at {system.ects_per_credit:g} ECTS each; "
            f"{system.assumption}"
        )
        evidence.append(
            Evidence(kind="credit_system", id=system.code, detail=system.source.title[:200])
        )
    elif q.years_full_time is not None:
        system = catalogue.credit_system("YEARS")
        assert system is not None
        ects = round(q.years_full_time * system.ects_per_credit, 1)
        how = f"{q.years_full_time:g} full-time years at {system.ects_per_credit:g} ECTS a year"
        evidence.append(
            Evidence(kind="credit_system", id="YEARS", detail=system.source.title[:200])
        )
    else:
        return Finding(
            aspect=Aspect.WORKLOAD,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary="Neither credits nor full-time years of study were given.",
        )
    amount = f"{ects:g} ECTS ({how})"
    norm_level = catalogue.find_level(references.get("QF-EHEA"))
    if norm_level is None or not norm_level.ects_min:
        return Finding(
            aspect=Aspect.WORKLOAD,
            outcome=FindingOutcome.NOT_APPLICABLE,
            summary=f"The workload is {amount}; there is no ECTS norm for this level to "
            "compare it with.",
            evidence=evidence,
            data={"ects": ects},
        )
    low, high = norm_level.ects_min, norm_level.ects_max
    norm = f"the {low:g}{DASH}{high:g} ECTS norm" if high else f"the norm of at least {low:g} ECTS"
    norm += f" of the {norm_level.name.lower()}" if norm_level.name else ""
    evidence.append(
        Evidence(
            kind="framework_level",
            id=norm_level.code,
            version=norm_level.version,
            detail=f"{low:g}{DASH}{high:g} ECTS" if high else f"at least {low:g} ECTS",
        )
    )
    ratio = round(ects / low, 3)
    state.workload_ratio = ratio
    data = {"ects": ects, "norm_min": low, "norm_max": high, "ratio": ratio}
    if ects >= low:
        beyond = f", above {norm}" if high and ects > high else f", within {norm}"
        return Finding(
            aspect=Aspect.WORKLOAD,
            outcome=FindingOutcome.POSITIVE,
            summary=f"The workload of {amount} meets the norm{beyond}.",
            evidence=evidence,
            data=data,
        )
    if ratio >= WORKLOAD_MINOR:
        return Finding(
            aspect=Aspect.WORKLOAD,
            outcome=FindingOutcome.POSITIVE,
            summary=f"The workload of {amount} is below {norm}, at {ratio:.0%} of its lower "
            "bound: a difference, but not a substantial one.",
            evidence=evidence,
            data=data,
        )
    description = (
        f"The workload of {amount} is far below {norm}, at {ratio:.0%} of its lower bound."
    )
    differences.append(SubstantialDifference(element=Element.WORKLOAD, description=description))
    return Finding(
        aspect=Aspect.WORKLOAD,
        outcome=FindingOutcome.NEGATIVE,
        summary=description,
        evidence=evidence,
        data=data,
    )
