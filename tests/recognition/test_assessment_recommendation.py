"""The recommendation's order (Lisbon Recognition Convention art. VI.1, EAR manual; issue 15):
missing or negative evidence of identity or quality refuses, and only with a substantial
difference; a lower level gives an alternative; a short workload partial or conditional
recognition; an agreement of level recognition recognises the level only."""

from __future__ import annotations

import pytest

from services.recognition.assessment.facts import State
from services.recognition.assessment.recommendation import recommend
from services.recognition.assessment.schemas import Element, Outcome, SubstantialDifference
from services.recognition.catalogue.catalogue import shipped_catalogue
from tests.recognition.assessment_facts import inputs, qualification

DIFFERENCE = [SubstantialDifference(element=Element.QUALITY, description="shown")]
SOUND = {"identity": "confirmed", "quality": "accredited", "level": "comparable"}


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"identity": "unidentified", "level": "comparable"}, Outcome.REFUSED),
        (SOUND | {"identity": "not_active"}, Outcome.REFUSED),
        (SOUND | {"quality": "not_accredited"}, Outcome.REFUSED),
        (SOUND | {"quality": "expired"}, Outcome.REFUSED),
        (SOUND | {"quality": "none"}, Outcome.REFUSED),
        (SOUND | {"quality": "none", "level": "lower"}, Outcome.REFUSED),
        (SOUND | {"level": "unknown"}, Outcome.ADVICE),
        (SOUND | {"level": "lower"}, Outcome.ALTERNATIVE),
        (SOUND | {"workload_ratio": 0.49}, Outcome.PARTIAL),
        (SOUND | {"workload_ratio": 0.74}, Outcome.CONDITIONAL),
        (SOUND | {"workload_ratio": 0.75}, Outcome.RECOGNISED),
        (SOUND | {"identity": "unresolved"}, Outcome.CONDITIONAL),
        (SOUND, Outcome.RECOGNISED),
    ],
)
def test_the_first_rule_that_applies_decides(state: dict[str, object], expected: Outcome) -> None:
    outcome, _ = recommend(inputs(), State(**state), DIFFERENCE)  # type: ignore[arg-type]
    assert outcome is expected


def test_a_regulated_profession_gets_advice_whatever_else() -> None:
    regulated = inputs(qualification=qualification(purpose="regulated_profession"))
    outcome, conditions = recommend(regulated, State(quality="none"), DIFFERENCE)
    assert outcome is Outcome.ADVICE
    assert conditions == ["professional recognition by the competent authority"]


def test_level_recognition_agreements_recognise_the_level_only() -> None:
    treaty = shipped_catalogue().agreements["benelux-baltic-2021"]
    state = State(**SOUND, agreement=treaty, agreement_applies=True)  # type: ignore[arg-type]
    assert recommend(inputs(), state, [])[0] is Outcome.RECOGNISED_AT_LEVEL_ONLY
    degrees = shipped_catalogue().agreements["cn-my-2011"]
    state = State(**SOUND, agreement=degrees, agreement_applies=True)  # type: ignore[arg-type]
    assert recommend(inputs(), state, [])[0] is Outcome.RECOGNISED


def test_a_refusal_without_a_substantial_difference_is_impossible() -> None:
    with pytest.raises(AssertionError):
        recommend(inputs(), State(**(SOUND | {"quality": "none"})), [])  # type: ignore[arg-type]


@pytest.mark.parametrize("purpose", ["further_study", "employment", "use_of_title", "other"])
def test_only_a_regulated_profession_turns_the_recommendation_into_advice(purpose: str) -> None:
    facts = inputs(qualification=qualification(purpose=purpose))
    assert recommend(facts, State(**SOUND), [])[0] is Outcome.RECOGNISED  # type: ignore[arg-type]


def test_workload_at_exactly_half_the_norm_is_not_partial() -> None:
    # below half → partial; half up to three quarters → conditional, with bridging studies
    outcome, conditions = recommend(inputs(), State(**SOUND, workload_ratio=0.5), [])  # type: ignore[arg-type]
    assert outcome is Outcome.CONDITIONAL and "compensation measures" in conditions[0]
    outcome, conditions = recommend(inputs(), State(**SOUND, workload_ratio=0.2), [])  # type: ignore[arg-type]
    assert outcome is Outcome.PARTIAL and "credits" in conditions[0]


def test_states_are_compared_by_value() -> None:
    # as computed elsewhere: equal strings, not the same objects as the literals
    regulated = inputs(qualification=qualification(purpose="".join(["regulated_", "profession"])))
    assert recommend(regulated, State(**SOUND), [])[0] is Outcome.ADVICE  # type: ignore[arg-type]
    unknown = State(**(SOUND | {"level": "".join(["unk", "nown"])}))  # type: ignore[arg-type]
    assert recommend(inputs(), unknown, [])[0] is Outcome.ADVICE
    lower = State(**(SOUND | {"level": "".join(["lo", "wer"])}))  # type: ignore[arg-type]
    assert recommend(inputs(), lower, [])[0] is Outcome.ALTERNATIVE


@pytest.mark.parametrize("ratio", [0.75, 0.9, 1.0, 1.3])
def test_a_workload_of_three_quarters_of_the_norm_or_more_is_recognised(ratio: float) -> None:
    state = State(**SOUND, workload_ratio=ratio)  # type: ignore[arg-type]
    assert recommend(inputs(), state, []) == (Outcome.RECOGNISED, [])


def test_a_confirmed_identity_is_compared_by_value() -> None:
    confirmed = State(**(SOUND | {"identity": "".join(["con", "firmed"])}))  # type: ignore[arg-type]
    assert recommend(inputs(), confirmed, [])[0] is Outcome.RECOGNISED
