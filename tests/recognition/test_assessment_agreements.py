"""The agreements aspect: an agreement between the two countries in force on the date of the
assessment (not necessarily at the award) covering the cycle is an automatic recognition basis
when the institution was accredited at home on the award date (BRIEF §3, assessment 5). It is
named by its title, never by an id."""

from __future__ import annotations

from datetime import date

from services.recognition.assessment.agreements import assess_agreements
from services.recognition.assessment.facts import State
from services.recognition.catalogue.catalogue import shipped_catalogue
from services.recognition.catalogue.schemas import AgreementKind, AgreementScope
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
    # in force before the award (2021-06-30): nothing to say about timing
    assert "entered into force after" not in summary


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


def test_an_agreement_in_force_on_the_award_date_needs_no_note_on_timing() -> None:
    # the CN-MY agreement entered into force on signature, 2011-04-28
    state = State(identity="confirmed", quality="accredited")
    _, summary = run(state, qualification=qualification(awarded_on=date(2011, 4, 28)))
    assert "entered into force after" not in summary
    _, summary = run(state, qualification=qualification(awarded_on=date(2011, 4, 27)))
    assert "entered into force after the degree was awarded" in summary


def test_a_level_recognition_treaty_recognises_the_level() -> None:
    # the Benelux-Baltic treaty (in force 2024-05-01): an Estonian bachelor assessed in Belgium
    state = State(identity="confirmed", quality="accredited")
    estonian = qualification(country="EE", host_country="BE")
    outcome, summary = run(state, qualification=estonian)
    assert outcome == "positive"
    assert summary.startswith("Basis for automatic recognition of the level: the Treaty between")
    assert "covers the first cycle (bachelor's) between BE, NL, LU, EE, LV and LT, and" in summary


def test_a_bilateral_agreement_comes_before_a_multilateral_one() -> None:
    # an Estonian-Belgian agreement (made up for the test) beside the Benelux-Baltic treaty
    treaty = shipped_catalogue().agreements["benelux-baltic-2021"]
    bilateral = treaty.model_copy(
        update={
            "id": "zz-be-ee",
            "title": "Agreement between Belgium and Estonia",
            "kind": AgreementKind.BILATERAL,
            "parties": ["BE", "EE"],
            "scope": AgreementScope.DEGREES,
        }
    )
    catalogue = shipped_catalogue().with_additions([], [bilateral])
    state = State(identity="confirmed", quality="accredited")
    facts = inputs(qualification=qualification(country="EE", host_country="BE"))
    finding = assess_agreements(facts, catalogue, FIRST_CYCLE, state)
    assert state.agreement is not None and state.agreement.id == "zz-be-ee"
    assert "Agreement between Belgium and Estonia" in finding.summary


def test_the_cycle_covered_is_named() -> None:
    state = State(identity="confirmed", quality="accredited")
    finding = assess_agreements(inputs(), shipped_catalogue(), {"QF-EHEA": "QF-EHEA:first"}, state)
    assert "covers the first cycle (bachelor's) between CN and MY" in finding.summary


def test_agreements_that_do_not_apply_say_why() -> None:
    state = State(identity="confirmed", quality="accredited")
    # the CN-DE joint declaration of 2002 has no recorded entry into force
    german = qualification(country="DE")
    outcome, summary = run(state, qualification=german)
    assert outcome == "not_applicable"
    assert summary.endswith(
        "Not applicable: the Joint Declaration of the People's Republic of China and the Federal "
        "Republic of Germany on the mutual recognition of equivalences in higher education (no "
        "date of entry into force is recorded)."
    )
    # the CN-MY agreement before its entry into force
    _, summary = run(state, assessed_on=date(2010, 1, 1))
    assert summary.endswith("(not in force on the date of the assessment).")
    # a level the agreement does not cover (a short cycle)
    finding = assess_agreements(
        inputs(), shipped_catalogue(), {"QF-EHEA": "QF-EHEA:short"}, State()
    )
    assert finding.summary.endswith("(it does not cover this level).")
    assert [e.id for e in finding.evidence] == ["cn-my-2011"]


def test_an_agreement_recorded_as_a_legal_basis_is_no_automatic_recognition() -> None:
    # a convention recorded as an agreement (legal_basis set) is passed over, and the
    # agreements after it are still considered
    treaty = shipped_catalogue().agreements["cn-my-2011"]
    convention = treaty.model_copy(
        update={"id": "a-convention", "title": "A convention", "legal_basis": "LRC"}
    )
    catalogue = shipped_catalogue().with_additions([], [convention])
    state = State(identity="confirmed", quality="accredited")
    finding = assess_agreements(inputs(), catalogue, FIRST_CYCLE, state)
    assert state.agreement is not None and state.agreement.id == "cn-my-2011"
    assert "A convention" not in finding.summary


def test_the_finding_names_the_agreement_and_its_scope() -> None:
    applies = State(identity="confirmed", quality="accredited")
    finding = assess_agreements(inputs(), shipped_catalogue(), FIRST_CYCLE, applies)
    assert finding.data == {"agreement_id": "cn-my-2011", "scope": "degrees"}
    pending = State(identity="confirmed", quality="none")
    finding = assess_agreements(inputs(), shipped_catalogue(), FIRST_CYCLE, pending)
    assert finding.data == {"agreement_id": "cn-my-2011"}
    assert finding.summary.startswith(f"The {CN_MY}")
