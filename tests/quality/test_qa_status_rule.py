"""The QA status rule, each expectation written from the brief and issue 15, not from the code.

BRIEF §3 (Quality service): the QA status of an institution or programme at a date D is one of
{accredited, accredited with conditions, not accredited, expired, none}, *with the evaluations
that justify it*; DEQAR's decisions are {positive, positive with conditions or restrictions,
negative, not applicable}. Issue 15 adds what a credential evaluator expects: a negative decision
in force at the date is not overridden by an older positive one; a later re-accreditation wins;
on the same start date the stricter decision wins; a validity window includes its first and its
last day; a positive evaluation whose validity has ended gives "expired".

(Withdrawn evaluations and evaluations hidden by a high flag never reach the rule: the quality
service leaves them out, `tests/quality/test_status_api.py` proves it through the API.)
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

import pytest

from rules.qa_status import Evidence, QAStatus, Resolution, resolve_status

POSITIVE = "positive"
CONDITIONAL = "positive with conditions or restrictions"
NEGATIVE = "negative"
NOT_APPLICABLE = "not applicable"


def evaluation(decision: str, valid_from: str, valid_to: str, *, number: int = 0) -> Evidence:
    """One evaluation; `number` fixes its id, so that ties are tried in both id orders."""
    return Evidence(
        id=uuid.UUID(int=number) if number else uuid.uuid4(),
        agency_id=uuid.uuid4(),
        local_identifier=f"{decision}/{valid_from}",
        activity_type="institutional",
        decision=decision,
        valid_from=date.fromisoformat(valid_from),
        valid_to=date.fromisoformat(valid_to),
    )


def at(day: str, *evidence: Evidence) -> Resolution:
    return resolve_status(list(evidence), date.fromisoformat(day))


# -- nothing, or nothing that counts ----------------------------------------------------------


def test_without_any_evaluation_the_status_is_none_with_nothing_to_justify_it() -> None:
    resolution = at("2021-06-30")
    assert resolution.status is QAStatus.NONE
    assert resolution.evaluations == [] and resolution.evaluation_ids == []


def test_before_the_first_validity_the_status_is_none() -> None:
    positive = evaluation(POSITIVE, "2015-01-01", "2020-12-31")
    assert at("2014-12-31", positive).status is QAStatus.NONE
    assert at("2014-12-31", positive).evaluations == []


def test_a_not_applicable_decision_never_counts_even_when_it_is_the_latest() -> None:
    positive = evaluation(POSITIVE, "2015-01-01", "2025-12-31")
    not_applicable = evaluation(NOT_APPLICABLE, "2020-01-01", "2030-12-31")
    resolution = at("2021-06-30", positive, not_applicable)
    assert resolution.status is QAStatus.ACCREDITED
    assert resolution.evaluations == [positive]
    assert at("2028-01-01", not_applicable).status is QAStatus.NONE


# -- one evaluation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "status"),
    [
        (POSITIVE, QAStatus.ACCREDITED),
        (CONDITIONAL, QAStatus.ACCREDITED_WITH_CONDITIONS),
        (NEGATIVE, QAStatus.NOT_ACCREDITED),
    ],
)
def test_each_decision_gives_its_status_on_both_ends_of_its_window(
    decision: str, status: QAStatus
) -> None:
    single = evaluation(decision, "2016-03-01", "2022-02-28")
    for day in ("2016-03-01", "2019-07-15", "2022-02-28"):
        resolution = at(day, single)
        assert resolution.status is status, day
        assert resolution.evaluations == [single]
        assert resolution.evaluation_ids == [str(single.id)]


@pytest.mark.parametrize("decision", [POSITIVE, CONDITIONAL])
def test_the_day_after_a_positive_validity_the_accreditation_has_expired(decision: str) -> None:
    single = evaluation(decision, "2016-03-01", "2022-02-28")
    resolution = at("2022-03-01", single)
    assert resolution.status is QAStatus.EXPIRED
    assert resolution.evaluations == [single]


def test_an_ended_negative_decision_is_no_expired_accreditation() -> None:
    negative = evaluation(NEGATIVE, "2016-03-01", "2022-02-28")
    resolution = at("2022-03-01", negative)
    assert resolution.status is QAStatus.NONE
    assert resolution.evaluations == []


def test_expired_is_justified_by_the_accreditation_that_ended_last() -> None:
    first = evaluation(POSITIVE, "2008-01-01", "2013-12-31")
    renewal = evaluation(CONDITIONAL, "2014-01-01", "2019-12-31")
    for order in ((first, renewal), (renewal, first)):
        resolution = at("2021-01-01", *order)
        assert resolution.status is QAStatus.EXPIRED
        assert resolution.evaluations[0] == renewal
        assert set(resolution.evaluations) == {first, renewal}


# -- several evaluations at once ---------------------------------------------------------------


def test_a_later_negative_decision_in_force_at_the_award_date_wins() -> None:
    """Issue 15's MY university: positive 2015-2025, then negative 2020-2026."""
    positive = evaluation(POSITIVE, "2015-01-01", "2025-12-31")
    negative = evaluation(NEGATIVE, "2020-01-01", "2026-12-31")
    for order in ((positive, negative), (negative, positive)):
        resolution = at("2021-06-30", *order)
        assert resolution.status is QAStatus.NOT_ACCREDITED
        assert resolution.evaluations[0] == negative
        assert set(resolution.evaluations) == {positive, negative}
    assert at("2019-12-31", positive, negative).status is QAStatus.ACCREDITED
    assert at("2020-01-01", positive, negative).status is QAStatus.NOT_ACCREDITED
    assert at("2026-06-30", positive, negative).status is QAStatus.NOT_ACCREDITED


@pytest.mark.parametrize(
    ("decision", "status"),
    [(POSITIVE, QAStatus.ACCREDITED), (CONDITIONAL, QAStatus.ACCREDITED_WITH_CONDITIONS)],
)
def test_a_later_re_accreditation_wins_over_an_earlier_negative(
    decision: str, status: QAStatus
) -> None:
    negative = evaluation(NEGATIVE, "2018-01-01", "2023-12-31")
    renewed = evaluation(decision, "2021-09-01", "2027-08-31")
    assert at("2021-08-31", negative, renewed).status is QAStatus.NOT_ACCREDITED
    for order in ((negative, renewed), (renewed, negative)):
        resolution = at("2021-09-01", *order)
        assert resolution.status is status
        assert resolution.evaluations[0] == renewed


def test_a_later_conditional_accreditation_replaces_an_unconditional_one() -> None:
    positive = evaluation(POSITIVE, "2015-01-01", "2025-12-31")
    conditional = evaluation(CONDITIONAL, "2019-01-01", "2024-12-31")
    assert at("2020-01-01", positive, conditional).status is QAStatus.ACCREDITED_WITH_CONDITIONS
    # Once the later one ends, the earlier one, still valid, decides again.
    assert at("2025-01-01", positive, conditional).status is QAStatus.ACCREDITED


@pytest.mark.parametrize(
    ("lenient", "strict", "status"),
    [
        (POSITIVE, CONDITIONAL, QAStatus.ACCREDITED_WITH_CONDITIONS),
        (POSITIVE, NEGATIVE, QAStatus.NOT_ACCREDITED),
        (CONDITIONAL, NEGATIVE, QAStatus.NOT_ACCREDITED),
    ],
)
def test_on_the_same_start_date_the_stricter_decision_wins_whatever_the_ids(
    lenient: str, strict: str, status: QAStatus
) -> None:
    for lenient_number, strict_number in ((1, 2), (2, 1)):
        a = evaluation(lenient, "2020-09-01", "2026-08-31", number=lenient_number)
        b = evaluation(strict, "2020-09-01", "2025-08-31", number=strict_number)
        for order in ((a, b), (b, a)):
            resolution = at("2021-06-30", *order)
            assert resolution.status is status
            assert resolution.evaluations == [b, a]


def test_the_value_types_cannot_be_changed_by_a_caller() -> None:
    """Both services read the same evidence: neither may alter what the other sees."""
    positive = evaluation(POSITIVE, "2015-01-01", "2025-12-31")
    resolution = at("2020-01-01", positive)
    with pytest.raises(dataclasses.FrozenInstanceError):
        positive.decision = NEGATIVE  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolution.status = QAStatus.NONE  # type: ignore[misc]
