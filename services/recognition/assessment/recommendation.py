"""The recommendation, from what the aspects found. The first rule that applies sets it; every
substantial difference found is listed regardless (Lisbon Recognition Convention art. VI.1 and
the EAR manual: recognise unless a substantial difference is shown; where one is, refuse, or
recognise in part or as an alternative qualification).

1. purpose is a regulated profession → advice (its competent authority decides);
2. the institution cannot be identified, or was not active on the award date, or it was not
   accredited on the award date (a negative decision in force, an accreditation that had
   ended, no QA result at all) → refused: the qualification is not shown to belong to a
   recognised higher-education system (a substantial difference of quality);
3. origin level unknown or not comparable through the reference frameworks → advice;
4. comparable host level below the level sought → alternative, at the comparable level;
5. workload below half the norm → partial; below three quarters → conditional;
6. the institution's activity on the award date not established → conditional;
7. an agreement of level recognition applies → recognised at level only; else recognised.
"""

from __future__ import annotations

from services.recognition.assessment.facts import AssessmentInputs, State
from services.recognition.assessment.schemas import Outcome, SubstantialDifference
from services.recognition.assessment.workload import WORKLOAD_MINOR, WORKLOAD_PARTIAL
from services.recognition.catalogue.schemas import AgreementScope

NOT_IDENTIFIED = ("unidentified", "not_active")
NOT_ACCREDITED = ("not_accredited", "expired", "none")


def recommend(
    inputs: AssessmentInputs, state: State, differences: list[SubstantialDifference]
) -> tuple[Outcome, list[str]]:
    """The recommendation and its conditions."""
    if inputs.qualification.purpose == "regulated_profession":
        return Outcome.ADVICE, ["professional recognition by the competent authority"]
    if state.identity in NOT_IDENTIFIED or state.quality in NOT_ACCREDITED:
        # The identity and quality aspects name the difference that justifies a refusal.
        assert differences, "a refusal needs at least one substantial difference"
        return Outcome.REFUSED, []
    if state.level == "unknown":
        return Outcome.ADVICE, []
    if state.level == "lower":
        return Outcome.ALTERNATIVE, []
    ratio = state.workload_ratio
    if ratio is not None and ratio < WORKLOAD_PARTIAL:
        return Outcome.PARTIAL, [
            "recognition of the completed studies as credits towards the level"
        ]
    if ratio is not None and ratio < WORKLOAD_MINOR:
        return Outcome.CONDITIONAL, [
            "compensation measures for the missing workload (bridging studies)"
        ]
    if state.identity != "confirmed":
        return Outcome.CONDITIONAL, [
            "evidence that the awarding institution was operating on the award date"
        ]
    if (
        state.agreement_applies
        and state.agreement is not None
        and state.agreement.scope is AgreementScope.LEVEL
    ):
        return Outcome.RECOGNISED_AT_LEVEL_ONLY, []
    return Outcome.RECOGNISED, []
