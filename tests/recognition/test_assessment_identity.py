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


def test_an_institution_is_active_on_the_day_it_was_founded_and_the_day_it_closed() -> None:
    award = date(2021, 6, 30)
    founded_that_day = institution(founded_on=award)
    assert run(institution=founded_that_day)[2].identity == "confirmed"
    closed_that_day = institution(status="closed", closed_on=award)
    outcome, _, state, differences = run(institution=closed_that_day)
    assert (outcome, state.identity, differences) == ("positive", "confirmed", [])
    # and not the day after it closed
    closed_before = institution(status="closed", closed_on=date(2021, 6, 29))
    assert run(institution=closed_before)[2].identity == "not_active"


def test_an_institution_of_any_other_country_is_pointed_out_unless_transnational() -> None:
    # "ID" sorts before "MY" and "SG" after it: both are another country
    for country in ("ID", "SG"):
        _, summary, state, _ = run(institution=institution(country=country))
        assert f"It is in {country}, not MY" in summary and state.identity == "confirmed"
    # the same country, given as a computed (not interned) string, is not another one
    same = "".join(["M", "Y"])
    _, summary, _, _ = run(institution=institution(country=same))
    assert "not MY" not in summary
    _, summary, _, _ = run(
        institution=institution(country="SG"), qualification=qualification(transnational=True)
    )
    assert "not MY" not in summary


def test_the_lookup_is_compared_by_value() -> None:
    # the lookup as it comes from storage or JSON: an equal string, not the same object
    by_id = "".join(["i", "d"])
    _, summary, _, _ = run(institution=None, institution_lookup=by_id)
    assert "not in this node's directory" in summary
    nothing = "".join(["no", "ne"])
    _, summary, _, _ = run(
        institution=None,
        institution_lookup=nothing,
        qualification=qualification(institution_id=None),
    )
    assert summary == "The case names no awarding institution, so it cannot be identified."
    by_name = "".join(["na", "me"])
    chosen = (NameMatch(UM, "Universiti Malaya", 0.97, chosen=True),)
    _, summary, _, _ = run(
        institution_lookup=by_name,
        name_matches=chosen,
        qualification=qualification(institution_id=None, institution_name="Univ. Malaya"),
    )
    assert "identified by the directory from “Univ. Malaya” (score 0.97)" in summary


def test_the_finding_records_how_the_institution_was_looked_up_and_the_candidates() -> None:
    state, differences = State(), list[SubstantialDifference]()
    by_id = assess_identity(inputs(institution=None), state, differences)
    assert by_id.data == {"lookup": "id", "institution_id": UM}
    matches = (
        NameMatch(UM, "Universiti Malaya", 0.97, chosen=True),
        NameMatch("other", "Universiti Malaysia Sabah", 0.55),
    )
    by_name = assess_identity(
        inputs(
            institution_lookup="name",
            name_matches=matches,
            qualification=qualification(institution_id=None, institution_name="Univ. Malaya"),
        ),
        State(),
        [],
    )
    assert by_name.data == {
        "lookup": "name",
        "candidates": [
            {"institution_id": UM, "name": "Universiti Malaya", "score": 0.97},
            {"institution_id": "other", "name": "Universiti Malaysia Sabah", "score": 0.55},
        ],
        "score": 0.97,
    }
    assert "(score 0.97)" in by_name.summary
    assert "institution_id" not in by_name.data


def test_the_closest_candidate_is_named_when_none_is_chosen() -> None:
    # the directory ranks its candidates best first
    unsure = (
        NameMatch(UM, "Universiti Malaya", 0.61),
        NameMatch("other", "Universiti Malaysia Sabah", 0.58),
    )
    _, summary, _, _ = run(
        institution=None,
        institution_lookup="name",
        name_matches=unsure,
        qualification=qualification(institution_id=None, institution_name="U. Mal."),
    )
    assert "the closest institution, Universiti Malaya, scores 0.61" in summary


def test_a_chosen_institution_whose_record_has_not_arrived_is_named() -> None:
    chosen = (NameMatch(UM, "Universiti Malaya", 0.97, chosen=True),)
    outcome, summary, state, differences = run(
        institution=None,
        institution_lookup="name",
        name_matches=chosen,
        qualification=qualification(institution_id=None, institution_name="Univ. Malaya"),
    )
    assert (outcome, state.identity) == ("negative", "unidentified") and differences
    assert "identifies “Univ. Malaya” as Universiti Malaya" in summary
    assert "assess again shortly" in summary


def test_a_name_nothing_matches_is_a_difference() -> None:
    outcome, summary, _, differences = run(
        institution=None,
        institution_lookup="name",
        name_matches=(),
        qualification=qualification(institution_id=None, institution_name="Nowhere U."),
    )
    assert outcome == "negative" and differences
    assert summary == "No institution in the directory matches “Nowhere U.”."


def test_a_degree_awarded_before_the_closure_is_from_an_active_institution() -> None:
    closed_later = institution(status="closed", closed_on=date(2023, 8, 31))
    outcome, _, state, differences = run(institution=closed_later)
    assert (outcome, state.identity, differences) == ("positive", "confirmed", [])
