"""What counts towards a QA status is the rule's to say, not each caller's query: a withdrawn
evaluation and one hidden by an uncleared high flag never count (BRIEF §3), and an evaluation
submitted without an end is valid for six years."""

from __future__ import annotations

import uuid
from datetime import date

from rules.qa_status import Evidence, QAStatus, default_valid_to, is_hidden, resolve_status

AWARD = date(2021, 6, 30)


def positive(**changes: object) -> Evidence:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "agency_id": uuid.uuid4(),
        "decision": "positive",
        "valid_from": date(2015, 1, 1),
        "valid_to": date(2025, 12, 31),
    } | changes
    return Evidence(**values)  # type: ignore[arg-type]


def test_a_withdrawn_positive_does_not_accredit() -> None:
    assert resolve_status([positive(withdrawn=True)], AWARD).status is QAStatus.NONE


def test_a_hidden_positive_does_not_accredit() -> None:
    assert resolve_status([positive(hidden=True)], AWARD).status is QAStatus.NONE


def test_a_withdrawn_negative_does_not_override_a_positive() -> None:
    evidence = [
        positive(),
        positive(decision="negative", valid_from=date(2020, 1, 1), withdrawn=True),
    ]
    assert resolve_status(evidence, AWARD).status is QAStatus.ACCREDITED


def test_a_withdrawn_ended_positive_is_not_expired_but_none() -> None:
    ended = positive(valid_to=date(2019, 12, 31), withdrawn=True)
    assert resolve_status([ended], AWARD).status is QAStatus.NONE


def test_only_an_uncleared_high_flag_hides() -> None:
    assert is_hidden("high", flag_cleared=False)
    assert not is_hidden("high", flag_cleared=True)
    assert not is_hidden("low", flag_cleared=False)
    assert not is_hidden("none", flag_cleared=False)


def test_the_default_validity_is_six_years() -> None:
    assert default_valid_to(date(2020, 3, 1)) == date(2026, 3, 1)
    assert default_valid_to(date(2020, 2, 29)) == date(2026, 2, 28)
