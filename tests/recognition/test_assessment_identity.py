"""The identity aspect: an institution that cannot be identified, or that was not active when
the degree was awarded, is a substantial difference (issue 15); a free-text name is identified
only by the directory's confident choice."""

from __future__ import annotations

from datetime import date

from services.recognition.assessment.facts import NameMatch, State
from services.recognition.assessment.identity import assess_identity
from services.recognition.assessment.schemas import SubstantialDifference
from tests.recognition.assessment_facts import UM, inputs, institution, qualification


def run(**changes: object) -> tuple[str, str, State, list[SubstantialDifference]]:
    state, differences = State(), list[SubstantialDifference]()
    finding = assess_identity(inputs(**changes), state, differences)
    return finding.outcome.value, finding.summary, state, differences


def test_an_active_institution_named_by_id_is_confirmed() -> None:
    outcome, summary, state, differences = run()
    assert (outcome, state.identity, differences) == ("positive", "confirmed", [])
    assert summary == "Universiti Malaya (MY) was active when the degree was awarded on 2021-06-30."


def test_a_degree_awarded_after_the_closure_is_a_difference() -> None:
    closed = institution(status="closed", closed_on=date(2015, 12, 31))
    outcome, summary, state, differences = run(institution=closed)
    assert (outcome, state.identity) == ("negative", "not_active")
    assert [d.element.value for d in differences] == ["quality"]
    assert "closed on 2015-12-31, before the degree was awarded on 2021-06-30" in summary


def test_a_degree_awarded_before_the_founding_is_a_difference() -> None:
    young = institution(founded_on=date(2022, 1, 1))
    _, summary, state, differences = run(institution=young)
    assert state.identity == "not_active" and differences
    assert "founded on 2022-01-01, after the degree was awarded" in summary


def test_a_closed_institution_without_a_closing_date_is_not_established() -> None:
    outcome, _, state, differences = run(institution=institution(status="closed"))
    assert (outcome, state.identity, differences) == ("inconclusive", "unresolved", [])


def test_an_unknown_id_is_a_difference() -> None:
    outcome, summary, state, differences = run(institution=None)
    assert (outcome, state.identity) == ("negative", "unidentified")
    assert "not in this node's directory" in summary and differences


def test_a_name_the_directory_does_not_choose_is_a_difference() -> None:
    unsure = (NameMatch(UM, "Universiti Malaya", 0.61, chosen=False),)
    outcome, summary, state, differences = run(
        institution=None,
        institution_lookup="name",
        name_matches=unsure,
        qualification=qualification(institution_id=None, institution_name="U. Mal."),
    )
    assert (outcome, state.identity) == ("negative", "unidentified") and differences
    assert "“U. Mal.” could not be identified with confidence" in summary
    assert "Universiti Malaya, scores 0.61" in summary


def test_a_name_the_directory_chooses_is_cited_with_its_score() -> None:
    chosen = (NameMatch(UM, "Universiti Malaya", 0.97, chosen=True),)
    _, summary, state, _ = run(
        institution_lookup="name",
        name_matches=chosen,
        qualification=qualification(institution_id=None, institution_name="Univ. Malaya"),
    )
    assert state.identity == "confirmed"
    assert "identified by the directory from “Univ. Malaya” (score 0.97)" in summary


def test_an_institution_of_another_country_is_pointed_out() -> None:
    _, summary, _, _ = run(institution=institution(country="SG"))
    assert "It is in SG, not MY" in summary
