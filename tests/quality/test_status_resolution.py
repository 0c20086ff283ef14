"""QA status at a date, from overlapping and conflicting evaluations (the pure rule)."""

from __future__ import annotations

import uuid
from datetime import date

from rules.qa_status import Evidence, resolve_status
from services.quality.vocabulary import QAStatus


def evidence(decision: str, valid_from: str, valid_to: str) -> Evidence:
    return Evidence(
        id=uuid.uuid4(),
        agency_id=uuid.uuid4(),
        local_identifier=f"{decision}-{valid_from}",
        activity_type="institutional",
        decision=decision,
        valid_from=date.fromisoformat(valid_from),
        valid_to=date.fromisoformat(valid_to),
    )


POSITIVE = evidence("positive", "2015-01-01", "2020-12-31")
CONDITIONAL = evidence("positive with conditions or restrictions", "2019-06-01", "2024-05-31")
NEGATIVE = evidence("negative", "2022-01-01", "2022-12-31")


def status_at(day: str, *items: Evidence) -> QAStatus:
    return resolve_status(items, date.fromisoformat(day)).status


def test_none_before_any_validity() -> None:
    assert status_at("2014-12-31", POSITIVE) is QAStatus.NONE


def test_inside_validity_both_ends_included() -> None:
    assert status_at("2015-01-01", POSITIVE) is QAStatus.ACCREDITED
    assert status_at("2020-12-31", POSITIVE) is QAStatus.ACCREDITED


def test_expired_after_validity() -> None:
    resolution = resolve_status([POSITIVE], date(2021, 1, 1))
    assert resolution.status is QAStatus.EXPIRED
    assert resolution.evaluations == [POSITIVE]


def test_overlap_the_most_recent_decision_wins() -> None:
    resolution = resolve_status([POSITIVE, CONDITIONAL], date(2020, 1, 1))
    assert resolution.status is QAStatus.ACCREDITED_WITH_CONDITIONS
    assert resolution.evaluations == [CONDITIONAL, POSITIVE]


def test_a_later_negative_wins_while_valid_then_the_earlier_positive_resumes() -> None:
    items = (POSITIVE, CONDITIONAL, NEGATIVE)
    assert status_at("2021-06-01", *items) is QAStatus.ACCREDITED_WITH_CONDITIONS
    assert status_at("2022-06-01", *items) is QAStatus.NOT_ACCREDITED
    assert status_at("2023-01-01", *items) is QAStatus.ACCREDITED_WITH_CONDITIONS
    assert status_at("2024-06-01", *items) is QAStatus.EXPIRED


def test_a_later_positive_wins_over_an_earlier_negative() -> None:
    renewed = evidence("positive", "2022-07-01", "2028-06-30")
    assert status_at("2022-08-01", NEGATIVE, renewed) is QAStatus.ACCREDITED


def test_on_the_same_start_date_the_stricter_decision_wins() -> None:
    same_day = evidence("negative", "2015-01-01", "2016-01-01")
    assert status_at("2015-06-01", POSITIVE, same_day) is QAStatus.NOT_ACCREDITED


def test_an_ended_negative_alone_is_none_and_not_applicable_never_counts() -> None:
    assert status_at("2023-06-01", NEGATIVE) is QAStatus.NONE
    na = evidence("not applicable", "2015-01-01", "2030-01-01")
    assert status_at("2020-01-01", na) is QAStatus.NONE
