"""The QA status rule: how evaluations add up to a QA status at a date (pure, read and tested
alone).

Among the evaluations valid at the date (not withdrawn, not hidden by a high flag, decision
other than "not applicable"), the most recent one (latest `valid_from`) decides: a negative
decision later than a positive one wins while it is valid, and a later re-accreditation wins
over an earlier negative. On the same start date the stricter decision wins. With nothing
valid, a positive decision whose validity ended before the date gives "expired"; otherwise
"none". Validity windows include both their first and their last day.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Decision(StrEnum):
    """An evaluation's decision (DEQAR's values, BRIEF §3)."""

    POSITIVE = "positive"
    CONDITIONAL = "positive with conditions or restrictions"
    NEGATIVE = "negative"
    NOT_APPLICABLE = "not applicable"


class QAStatus(StrEnum):
    """The QA status of an institution or programme at a date."""

    ACCREDITED = "accredited"
    ACCREDITED_WITH_CONDITIONS = "accredited with conditions"
    NOT_ACCREDITED = "not accredited"
    EXPIRED = "expired"
    NONE = "none"


_STATUS_OF = {
    Decision.POSITIVE: QAStatus.ACCREDITED,
    Decision.CONDITIONAL: QAStatus.ACCREDITED_WITH_CONDITIONS,
    Decision.NEGATIVE: QAStatus.NOT_ACCREDITED,
}
_STRICTNESS = {Decision.POSITIVE: 0, Decision.CONDITIONAL: 1, Decision.NEGATIVE: 2}


@dataclass(frozen=True)
class Evidence:
    """What the resolution needs to know of one evaluation."""

    id: uuid.UUID
    agency_id: uuid.UUID
    local_identifier: str
    activity_type: str
    decision: str
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class Resolution:
    status: QAStatus
    evaluations: list[Evidence]  # the decisive one first

    @property
    def evaluation_ids(self) -> list[str]:
        return [str(e.id) for e in self.evaluations]


def resolve_status(evidence: Sequence[Evidence], at: date) -> Resolution:
    """The QA status at `at` implied by `evidence`, with the evaluations that justify it."""
    relevant = [e for e in evidence if Decision(e.decision) in _STATUS_OF]
    valid = [e for e in relevant if e.valid_from <= at <= e.valid_to]
    if valid:
        ordered = sorted(
            valid,
            key=lambda e: (e.valid_from, _STRICTNESS[Decision(e.decision)], e.id),
            reverse=True,
        )
        return Resolution(_STATUS_OF[Decision(ordered[0].decision)], ordered)
    ended = [
        e for e in relevant if e.valid_to < at and Decision(e.decision) is not Decision.NEGATIVE
    ]
    if ended:
        ordered = sorted(ended, key=lambda e: (e.valid_to, e.valid_from, e.id), reverse=True)
        return Resolution(QAStatus.EXPIRED, ordered)
    return Resolution(QAStatus.NONE, [])
