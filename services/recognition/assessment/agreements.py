"""Agreements: a recognition agreement between the two countries, in force on the date of the
assessment (it need not have been in force when the degree was awarded) and covering the
qualification's QF-EHEA cycle, is an automatic recognition basis when the institution was
accredited in its home system on the award date. Conventions are legal bases (legal_basis.py),
not automatic recognition."""

from __future__ import annotations

from datetime import date

from services.recognition.assessment.facts import AssessmentInputs, State
from services.recognition.assessment.schemas import Aspect, Evidence, Finding, FindingOutcome
from services.recognition.catalogue.catalogue import Catalogue
from services.recognition.catalogue.schemas import Agreement, AgreementScope


def recognition_agreements(
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


def assess_agreements(
    inputs: AssessmentInputs, catalogue: Catalogue, references: dict[str, str], state: State
) -> Finding:
    q = inputs.qualification
    applicable, related = recognition_agreements(inputs, catalogue, references)
    if not applicable:
        summary = (
            f"No recognition agreement between {q.country} and {q.host_country} covers this "
            "level on the date of the assessment."
        )
        if related:
            summary += " Not applicable: " + "; ".join(
                f"the {a.title} ({_why_not(a, inputs.assessed_on)})" for a in related
            )
            summary += "."
        return Finding(
            aspect=Aspect.AGREEMENT,
            outcome=FindingOutcome.NOT_APPLICABLE,
            summary=summary,
            evidence=[
                Evidence(kind="agreement", id=a.id, version=a.version, detail=a.title)
                for a in related
            ],
        )
    agreement = applicable[0]
    state.agreement = agreement
    assert agreement.in_force_on is not None
    evidence = [
        Evidence(
            kind="agreement",
            id=agreement.id,
            version=agreement.version,
            detail=f"{agreement.title}, in force since {agreement.in_force_on}",
        )
    ]
    cycle_level = catalogue.find_level(references.get("QF-EHEA"))
    cycle = cycle_level.name.lower() if cycle_level is not None else "this level"
    cited = f"the {agreement.title}, in force since {agreement.in_force_on}"
    timing = ""
    if agreement.in_force_on > q.awarded_on:
        timing = (
            " It entered into force after the degree was awarded, which does not matter: it "
            "need only be in force on the date of the assessment."
        )
    if state.identity == "confirmed" and state.quality == "accredited":
        state.agreement_applies = True
        kind = (
            "automatic recognition of the level"
            if agreement.scope is AgreementScope.LEVEL
            else "automatic recognition"
        )
        return Finding(
            aspect=Aspect.AGREEMENT,
            outcome=FindingOutcome.POSITIVE,
            summary=f"Basis for {kind}: {cited}, covers the {cycle} between "
            f"{_listed(agreement.parties)}, and the institution was accredited in its home "
            f"system on the award date.{timing}",
            evidence=evidence,
            data={"agreement_id": agreement.id, "scope": agreement.scope.value},
        )
    return Finding(
        aspect=Aspect.AGREEMENT,
        outcome=FindingOutcome.INCONCLUSIVE,
        summary=f"{cited[0].upper()}{cited[1:]}, covers this level but applies only to "
        "institutions accredited in their home system on the award date, which is not "
        f"established.{timing}",
        evidence=evidence,
        data={"agreement_id": agreement.id},
    )


def _listed(parties: list[str]) -> str:
    """'A and B', 'A, B and C': an agreement's parties (two at least) as a sentence names them."""
    return f"{', '.join(parties[:-1])} and {parties[-1]}"


def _why_not(agreement: Agreement, on: date) -> str:
    if agreement.in_force_on is None:
        return "no date of entry into force is recorded"
    if not agreement.in_force(on):
        return "not in force on the date of the assessment"
    return "it does not cover this level"
