"""The agreements aspect: an agreement between the two countries in force on the date of the
assessment (not necessarily at the award) covering the cycle is an automatic recognition basis
when the institution was accredited at home on the award date (BRIEF §3, assessment 5). It is
named by its title, never by an id."""

from __future__ import annotations

from datetime import date

from services.recognition.assessment.agreements import assess_agreements
from services.recognition.assessment.facts import State
from services.recognition.reference.catalogue import shipped_catalogue
from tests.recognition.assessment_facts import inputs, qualification

FIRST_CYCLE = {"QF-EHEA": "QF-EHEA:first"}
CN_MY = "Agreement between the Government of the People's Republic of China and the Government"


def run(state: State, **changes: object) -> tuple[str, str]:
    finding = assess_agreements(inputs(**changes), shipped_catalogue(), FIRST_CYCLE, state)
    return finding.outcome.value, finding.summary


def test_the_cn_my_agreement_applies_to_an_accredited_institution() -> None:
    state = State(identity="confirmed", quality="accredited")
    outcome, summary = run(state)
    assert outcome == "positive" and state.agreement_applies
    assert summary.startswith(f"Basis for automatic recognition: the {CN_MY}")
    assert "in force since 2011-04-28" in summary and "cn-my-2011" not in summary


def test_an_agreement_in_force_only_after_the_award_still_applies() -> None:
    state = State(identity="confirmed", quality="accredited")
    old = qualification(awarded_on=date(2009, 6, 30))
    outcome, summary = run(state, qualification=old)
    assert outcome == "positive"
    assert "entered into force after the degree was awarded, which does not matter" in summary


def test_the_agreement_does_not_apply_without_accreditation() -> None:
    state = State(identity="confirmed", quality="none")
    outcome, summary = run(state)
    assert outcome == "inconclusive" and not state.agreement_applies
    assert "applies only to institutions accredited in their home system" in summary


def test_an_agreement_not_in_force_on_the_assessment_date_does_not_apply() -> None:
    state = State(identity="confirmed", quality="accredited")
    outcome, _ = run(state, assessed_on=date(2010, 1, 1))
    assert outcome == "not_applicable" and not state.agreement_applies


def test_no_agreement_between_countries_without_one() -> None:
    state = State(identity="confirmed", quality="accredited")
    outcome, summary = run(state, qualification=qualification(country="BR"))
    assert outcome == "not_applicable"
    assert summary == (
        "No recognition agreement between BR and CN covers this level on the date of the "
        "assessment."
    )


def test_the_agreement_needs_a_confirmed_identity_too() -> None:
    for identity in ("unresolved", "unidentified", "not_active"):
        state = State(identity=identity, quality="accredited")
        outcome, _ = run(state)
        assert outcome == "inconclusive" and not state.agreement_applies, identity


def test_the_states_are_compared_by_value() -> None:
    # as computed elsewhere: equal strings, not the same objects as the literals
    state = State(identity="".join(["con", "firmed"]), quality="".join(["accre", "dited"]))
    outcome, _ = run(state)
    assert outcome == "positive" and state.agreement_applies
