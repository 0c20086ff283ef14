"""Quality: was the awarding institution (or the programme) quality assured on the award date.

The status is the node's one QA status rule (`rules.qa_status.resolve_status`, which the quality
service's `/status` also answers with), fed with this node's copies of the quality service's
evaluations: what the assessment says equals what `GET /v1/quality/status?at=<award date>` says.
Anything but "accredited" on the award date — a negative decision in force, an accreditation
that had ended, no QA result at all — is a substantial difference, with the evaluation named.
"""

from __future__ import annotations

from datetime import date

from rules.qa_status import QAStatus, Resolution, resolve_status
from services.recognition.assessment.facts import (
    AgencyFacts,
    AssessmentInputs,
    EvaluationFacts,
    State,
)
from services.recognition.assessment.schemas import (
    Aspect,
    Element,
    Evidence,
    Finding,
    FindingOutcome,
    SubstantialDifference,
)

_STATE_OF = {
    QAStatus.ACCREDITED: "accredited",
    QAStatus.ACCREDITED_WITH_CONDITIONS: "accredited",
    QAStatus.NOT_ACCREDITED: "not_accredited",
    QAStatus.EXPIRED: "expired",
    QAStatus.NONE: "none",
}


def relevant_evaluations(inputs: AssessmentInputs) -> list[EvaluationFacts]:
    """The evaluations that speak for the institution (its institutional ones) and for the
    programme of the case, if it names one — as `/status` selects them."""
    programme = inputs.qualification.programme_id
    return [
        e
        for e in inputs.evaluations
        if e.institutional or (programme is not None and programme in e.programme_ids)
    ]


def qa_resolution(inputs: AssessmentInputs) -> Resolution:
    """The QA status on the award date, by the node's one rule."""
    evidence = [e.as_evidence() for e in relevant_evaluations(inputs)]
    return resolve_status(evidence, inputs.qualification.awarded_on)


def assess_quality(
    inputs: AssessmentInputs, state: State, differences: list[SubstantialDifference]
) -> Finding:
    if inputs.institution is None:
        return Finding(
            aspect=Aspect.QUALITY,
            outcome=FindingOutcome.INCONCLUSIVE,
            summary="Without an identified institution, its quality assurance on the award date "
            "cannot be established.",
        )
    awarded = inputs.qualification.awarded_on
    resolution = qa_resolution(inputs)
    by_id = {e.id: e for e in inputs.evaluations}
    agencies = {a.id: a for a in inputs.agencies}
    decisive = [by_id[str(e.id)] for e in resolution.evaluations]
    state.quality = _STATE_OF[resolution.status]
    evidence = [_evidence(e, agencies.get(e.agency_id)) for e in decisive[:5]]
    data = {"status": resolution.status.value, "evaluation_ids": resolution.evaluation_ids}
    name = inputs.institution.name
    if resolution.status in (QAStatus.ACCREDITED, QAStatus.ACCREDITED_WITH_CONDITIONS):
        first = decisive[0]
        agency = agencies.get(first.agency_id)
        how = (
            "accredited"
            if resolution.status is QAStatus.ACCREDITED
            else "accredited with conditions"
        )
        summary = (
            f"{name} was {how} on the award date {awarded}: "
            f"{_describe(first, agency)}{_registration(agency, awarded)}."
        )
        if agency is not None:
            evidence.append(_agency_evidence(agency, awarded))
        return Finding(
            aspect=Aspect.QUALITY,
            outcome=FindingOutcome.POSITIVE,
            summary=summary,
            evidence=evidence,
            data=data,
        )
    if resolution.status is QAStatus.NOT_ACCREDITED:
        first = decisive[0]
        summary = (
            f"{name} was not accredited on the award date {awarded}: a negative decision was in "
            f"force, {_describe(first, agencies.get(first.agency_id))}"
        )
        superseded = [e for e in decisive[1:] if e.decision != "negative"]
        if superseded:
            earlier = superseded[0]
            summary += (
                f"; it supersedes the earlier {earlier.decision} result, "
                f"{_describe(earlier, agencies.get(earlier.agency_id))}"
            )
        summary += "."
    elif resolution.status is QAStatus.EXPIRED:
        last = decisive[0]
        summary = (
            f"No QA result covers the award date {awarded}: {name}'s last accreditation, "
            f"{_describe(last, agencies.get(last.agency_id))}, had ended before it."
        )
    else:
        later = sorted(
            (e for e in relevant_evaluations(inputs) if e.valid_from > awarded),
            key=lambda e: (e.valid_from, e.id),
        )
        summary = f"No QA result covers the award date {awarded}: "
        if later:
            summary += (
                f"the first QA result known for {name} starts later, "
                f"{_describe(later[0], agencies.get(later[0].agency_id))}."
            )
            evidence = [_evidence(later[0], agencies.get(later[0].agency_id))]
        else:
            summary += f"no quality assurance agency's result for {name} is known to this node."
    differences.append(SubstantialDifference(element=Element.QUALITY, description=summary))
    return Finding(
        aspect=Aspect.QUALITY,
        outcome=FindingOutcome.NEGATIVE,
        summary=summary,
        evidence=evidence,
        data=data,
    )


def _describe(evaluation: EvaluationFacts, agency: AgencyFacts | None) -> str:
    """E.g. "MQA's institutional evaluation MQA-I-2019-0007 (positive, valid 2019-05-01 to
    2025-04-30)"."""
    who = f"{agency.label}'s" if agency is not None else "an agency's"
    reference = f" {evaluation.local_identifier}" if evaluation.local_identifier else ""
    return (
        f"{who} {evaluation.activity_type} evaluation{reference} ({evaluation.decision}, valid "
        f"{evaluation.valid_from} to {evaluation.ends_on})"
    )


def _registration(agency: AgencyFacts | None, day: date) -> str:
    if agency is None:
        return "; the agency is not known to this node"
    registration = agency.registered_on(day)
    if registration is None:
        return f"; {agency.label}'s registration on that date is not recorded"
    return f"; {agency.label} was in the {registration.register} register then"


def _evidence(evaluation: EvaluationFacts, agency: AgencyFacts | None) -> Evidence:
    return Evidence(
        kind="evaluation",
        id=evaluation.id,
        version=evaluation.version,
        detail=_describe(evaluation, agency),
    )


def _agency_evidence(agency: AgencyFacts, day: date) -> Evidence:
    registration = agency.registered_on(day)
    return Evidence(
        kind="agency",
        id=agency.id,
        version=agency.version,
        detail=f"{agency.name}"
        + (f", {registration.register} register" if registration is not None else ""),
    )
