"""Precedents (informative, never deciding) and the profile and learning outcomes (compared by
the officer with the documents; no difference presumed, the burden of proof lies with the
assessing side)."""

from __future__ import annotations

from datetime import date

import pytest

from services.recognition.assessment.facts import PrecedentFacts
from services.recognition.assessment.precedents import assess_precedents
from services.recognition.assessment.profile import assess_learning_outcomes, assess_profile
from tests.recognition.assessment_facts import inputs, qualification


def precedent(node: str, outcome: str) -> PrecedentFacts:
    return PrecedentFacts(
        id=f"d-{node}-{outcome}",
        version=1,
        origin_node=node,
        outcome=outcome,
        comparable_level=None,
        decided_on=date(2025, 1, 1),
    )


def test_precedents_are_counted_by_outcome_and_node() -> None:
    found = assess_precedents(
        inputs(precedents=(precedent("de", "recognised"), precedent("id", "refused")))
    )
    assert found.outcome.value == "informative"
    assert found.summary == (
        "2 published decisions on the same institution and level, by de, id: 1 recognised, "
        "1 refused."
    )
    one = assess_precedents(inputs(precedents=(precedent("de", "recognised"),)))
    assert one.summary.startswith("1 published decision on")


def test_no_precedent_is_said_so() -> None:
    assert assess_precedents(inputs()).summary.startswith("No decision on the same institution")


def test_a_regulated_profession_is_for_its_competent_authority() -> None:
    found = assess_profile(inputs(qualification=qualification(purpose="regulated_profession")))
    assert found.outcome.value == "inconclusive"
    assert "competent authority" in found.summary


def test_distance_delivery_is_not_in_itself_a_difference() -> None:
    found = assess_profile(inputs(qualification=qualification(mode="distance")))
    assert found.outcome.value == "not_assessed"
    assert "not in itself a substantial difference" in found.summary


def test_learning_outcomes_presume_no_difference_and_cite_no_convention() -> None:
    found = assess_learning_outcomes()
    assert "none is presumed" in found.summary and "LRC" not in found.summary


def test_precedents_of_the_same_outcome_add_up() -> None:
    three = tuple(precedent(node, "recognised") for node in ("de", "id", "my"))
    found = assess_precedents(inputs(precedents=(*three, precedent("th", "refused"))))
    assert found.summary == (
        "4 published decisions on the same institution and level, by de, id, my, th: "
        "3 recognised, 1 refused."
    )
    assert found.data == {"counts": {"recognised": 3, "refused": 1}}
    assert [e.id for e in found.evidence] == [p.id for p in (*three, precedent("th", "refused"))]


@pytest.mark.parametrize("mode", ["full-time", "part-time", "blended"])
def test_only_distance_study_is_noted_as_such(mode: str) -> None:
    found = assess_profile(inputs(qualification=qualification(mode=mode)))
    assert "at a distance" not in found.summary
    assert found.data == {"mode": mode, "field": "0613"}


@pytest.mark.parametrize("purpose", ["further_study", "employment", "use_of_title", "other"])
def test_only_a_regulated_profession_is_left_to_its_authority(purpose: str) -> None:
    found = assess_profile(inputs(qualification=qualification(purpose=purpose)))
    assert found.outcome.value == "not_assessed"
    assert "competent authority" not in found.summary


def test_values_are_compared_by_value() -> None:
    # as read from storage: equal strings, not the same objects as the literals
    distance = "".join(["dist", "ance"])
    regulated = "".join(["regulated_", "profession"])
    assert (
        "at a distance"
        in assess_profile(inputs(qualification=qualification(mode=distance))).summary
    )
    assert (
        "competent authority"
        in assess_profile(inputs(qualification=qualification(purpose=regulated))).summary
    )


def test_a_transnational_award_refers_to_the_home_system() -> None:
    found = assess_profile(inputs(qualification=qualification(transnational=True)))
    assert "awarded transnationally" in found.summary
    plain = assess_profile(inputs())
    assert plain.summary == (
        "The profile of the programme is compared with the applicant's documents by the officer."
    )
    both = assess_profile(inputs(qualification=qualification(transnational=True, mode="distance")))
    assert "at a distance" in both.summary and "transnationally" in both.summary
