"""The quality aspect: the QA status at the award date is the node's one rule's, and anything but
accredited is a substantial difference of quality naming the evaluation (issue 15, BRIEF §3)."""

from __future__ import annotations

from datetime import date

from services.recognition.assessment.facts import State
from services.recognition.assessment.quality import assess_quality
from services.recognition.assessment.schemas import Finding, SubstantialDifference
from tests.recognition.assessment_facts import evaluation, inputs, qualification


def run(**changes: object) -> tuple[Finding, State, list[SubstantialDifference]]:
    state, differences = State(), list[SubstantialDifference]()
    finding = assess_quality(inputs(**changes), state, differences)
    return finding, state, differences


def test_a_positive_valid_at_the_award_date_accredits() -> None:
    finding, state, differences = run()
    assert state.quality == "accredited" and differences == []
    assert finding.data["status"] == "accredited"
    summary = finding.summary
    assert "was accredited on the award date 2021-06-30" in summary
    assert (
        "MQA's institutional evaluation" in summary
        and "MQA was in the national register" in summary
    )


def test_a_later_negative_in_force_wins_over_an_earlier_positive() -> None:
    positive = evaluation("positive", date(2015, 1, 1), date(2025, 12, 31))
    negative = evaluation("negative", date(2020, 1, 1), date(2026, 12, 31))
    finding, state, differences = run(evaluations=(positive, negative))
    assert state.quality == "not_accredited"
    assert [d.element.value for d in differences] == ["quality"]
    assert f"{negative.local_identifier} (negative" in differences[0].description
    assert "supersedes the earlier positive result" in differences[0].description
    assert finding.outcome.value == "negative"


def test_a_re_accreditation_after_a_negative_accredits_again() -> None:
    negative = evaluation("negative", date(2015, 1, 1), date(2025, 12, 31))
    positive = evaluation("positive", date(2020, 1, 1), date(2026, 12, 31))
    _, state, differences = run(evaluations=(negative, positive))
    assert state.quality == "accredited" and differences == []


def test_a_positive_ended_before_the_award_date_is_expired() -> None:
    ended = evaluation("positive", date(2009, 1, 1), date(2015, 12, 31))
    finding, state, differences = run(evaluations=(ended,))
    assert state.quality == "expired"
    assert "had ended before it" in differences[0].description
    assert finding.data["status"] == "expired"


def test_no_qa_result_at_all_is_a_difference() -> None:
    _, state, differences = run(evaluations=())
    assert state.quality == "none"
    assert "No QA result covers the award date 2021-06-30" in differences[0].description


def test_withdrawn_hidden_and_cleared_evaluations() -> None:
    withdrawn = evaluation("positive", date(2015, 1, 1), date(2025, 12, 31), withdrawn=True)
    hidden = evaluation("positive", date(2015, 1, 1), date(2025, 12, 31), flag="high")
    cleared = evaluation(
        "positive", date(2015, 1, 1), date(2025, 12, 31), flag="high", flag_cleared=True
    )
    assert run(evaluations=(withdrawn,))[1].quality == "none"
    assert run(evaluations=(hidden,))[1].quality == "none"
    assert run(evaluations=(cleared,))[1].quality == "accredited"


def test_an_evaluation_without_an_end_is_valid_six_years() -> None:
    open_ended = evaluation("positive", date(2015, 7, 1), None)
    assert run(evaluations=(open_ended,))[1].quality == "accredited"  # to 2021-07-01
    later = qualification(awarded_on=date(2021, 7, 2))
    assert run(evaluations=(open_ended,), qualification=later)[1].quality == "expired"


def test_a_programme_evaluation_speaks_only_for_its_programme() -> None:
    programme = evaluation(
        "positive",
        date(2015, 1, 1),
        date(2025, 12, 31),
        activity_type="programme",
        programme_ids=("p-1",),
    )
    assert run(evaluations=(programme,))[1].quality == "none"
    of_programme = qualification(programme_id="p-1")
    assert run(evaluations=(programme,), qualification=of_programme)[1].quality == "accredited"


def test_without_an_institution_quality_is_not_established() -> None:
    finding, state, differences = run(institution=None)
    assert state.quality == "unknown" and differences == []
    assert finding.outcome.value == "inconclusive"
