"""The quality aspect: the QA status at the award date is the node's one rule's, and anything but
accredited is a substantial difference of quality naming the evaluation (issue 15, BRIEF §3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.recognition.assessment.facts import RegistrationFacts, State
from services.recognition.assessment.quality import assess_quality
from services.recognition.assessment.schemas import Finding, SubstantialDifference
from tests.recognition.assessment_facts import MQA, evaluation, inputs, mqa, qualification

OTHER = "01935f4e-0000-7000-8000-0000000000a2"  # an agency this node does not know


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


def test_another_programmes_evaluation_does_not_speak_for_this_one() -> None:
    other = evaluation(
        "positive",
        date(2015, 1, 1),
        date(2025, 12, 31),
        activity_type="programme",
        programme_ids=("p-1",),
    )
    of_p2 = qualification(programme_id="p-2")
    assert run(evaluations=(other,), qualification=of_p2)[1].quality == "none"


def test_a_conditional_accreditation_is_said_to_have_conditions() -> None:
    conditional = evaluation(
        "positive with conditions or restrictions", date(2015, 1, 1), date(2025, 12, 31)
    )
    finding, state, differences = run(evaluations=(conditional,))
    assert state.quality == "accredited" and differences == []
    assert finding.data["status"] == "accredited with conditions"
    assert "was accredited with conditions on the award date 2021-06-30" in finding.summary


def test_the_most_recent_accreditation_in_force_is_named_with_the_agency() -> None:
    older = evaluation("positive", date(2012, 1, 1), date(2022, 12, 31))
    newer = evaluation("positive", date(2019, 1, 1), date(2025, 12, 31))
    finding, _, _ = run(evaluations=(older, newer))
    assert f"MQA's institutional evaluation {newer.local_identifier}" in finding.summary
    assert str(older.local_identifier) not in finding.summary
    assert finding.data["evaluation_ids"] == [newer.id, older.id]
    kinds = [(e.kind, e.id) for e in finding.evidence]
    assert ("agency", MQA) in kinds
    agency = next(e for e in finding.evidence if e.kind == "agency")
    assert agency.detail == "Malaysian Qualifications Agency, national register"


def test_an_evaluation_by_an_agency_the_node_does_not_know() -> None:
    finding, state, _ = run(agencies=())
    assert state.quality == "accredited"
    assert "an agency's institutional evaluation" in finding.summary
    assert "the agency is not known to this node" in finding.summary
    assert [e.kind for e in finding.evidence] == ["evaluation"]


def test_an_agency_out_of_its_register_on_the_award_date() -> None:
    later = replace(mqa(), registrations=(RegistrationFacts("national", date(2022, 1, 1), None),))
    finding, _, _ = run(agencies=(later,))
    assert "MQA's registration on that date is not recorded" in finding.summary
    agency = next(e for e in finding.evidence if e.kind == "agency")
    assert agency.detail == "Malaysian Qualifications Agency"


def test_a_negative_names_the_result_it_supersedes_the_latest_first() -> None:
    positive = evaluation("positive", date(2012, 1, 1), date(2025, 12, 31))
    conditional = evaluation(
        "positive with conditions or restrictions", date(2016, 1, 1), date(2025, 12, 31)
    )
    first_negative = evaluation("negative", date(2018, 1, 1), date(2026, 12, 31))
    negative = evaluation("negative", date(2020, 1, 1), date(2026, 12, 31))
    _, _, differences = run(evaluations=(positive, conditional, first_negative, negative))
    text = differences[0].description
    assert f"force, MQA's institutional evaluation {negative.local_identifier}" in text
    # an earlier negative is not "superseded": the latest positive result before it is
    assert "supersedes the earlier positive with conditions or restrictions result" in text
    assert str(conditional.local_identifier) in text
    assert str(positive.local_identifier) not in text


def test_a_decision_is_compared_by_value() -> None:
    # a decision as read from storage: an equal string, not the same object
    negative = "".join(["nega", "tive"])
    positive = evaluation("positive", date(2015, 1, 1), date(2025, 12, 31))
    later = evaluation(negative, date(2020, 1, 1), date(2026, 12, 31))
    only = run(evaluations=(later,))[2][0].description
    assert "supersedes" not in only
    assert "supersedes the earlier positive" in run(evaluations=(positive, later))[2][0].description
    # an earlier negative read from storage is not a result the later one supersedes
    earlier = evaluation(negative, date(2018, 1, 1), date(2026, 12, 31))
    latest = evaluation("negative", date(2020, 1, 1), date(2026, 12, 31))
    text = run(evaluations=(positive, earlier, latest))[2][0].description
    assert "supersedes the earlier positive result" in text


def test_an_expiry_names_the_last_accreditation() -> None:
    first = evaluation("positive", date(2005, 1, 1), date(2012, 12, 31))
    last = evaluation("positive", date(2013, 1, 1), date(2018, 12, 31))
    _, state, differences = run(evaluations=(last, first))
    assert state.quality == "expired"
    assert f"last accreditation, MQA's institutional evaluation {last.local_identifier}" in (
        differences[0].description
    )


def test_without_a_result_on_the_award_date_the_first_later_one_is_named() -> None:
    # a withdrawn result does not count, even from the award date; results that start after
    # the award date are pointed out, the earliest first
    withdrawn = evaluation("positive", date(2021, 6, 30), date(2027, 6, 29), withdrawn=True)
    withdrawn_before = evaluation("positive", date(2015, 1, 1), date(2025, 12, 31), withdrawn=True)
    # the later results are by two agencies: each is named with its own
    second = evaluation("positive", date(2024, 1, 1), date(2029, 12, 31), agency_id=OTHER)
    first = evaluation("positive", date(2022, 1, 1), date(2023, 12, 31))
    finding, state, differences = run(evaluations=(withdrawn, withdrawn_before, second, first))
    assert state.quality == "none"
    text = differences[0].description
    assert text.startswith("No QA result covers the award date 2021-06-30: the first QA result")
    assert f"starts later, MQA's institutional evaluation {first.local_identifier}" in text
    assert [e.id for e in finding.evidence] == [first.id]
    assert str(finding.evidence[0].detail).startswith("MQA's institutional evaluation")
    assert finding.data == {"status": "none", "evaluation_ids": []}
