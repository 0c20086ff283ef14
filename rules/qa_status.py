"""The QA status rule: how evaluations add up to a QA status at a date (pure, read and tested
alone). The quality service's `/status` and the recognition assessment both call it, so that a
node never gives two answers to "was this institution accredited on that day?".

Only countable evaluations count: not withdrawn, not hidden by a high flag no admin has cleared,
decision other than "not applicable". Among those valid at the date, the most recent one (latest
`valid_from`) decides: a negative decision later than a positive one wins while it is valid, and
a later re-accreditation wins over an earlier negative. On the same start date the stricter
decision wins. With nothing valid, a positive decision whose validity ended before the date gives
"expired"; otherwise "none". Validity windows include both their first and their last day; an
evaluation without an end date is valid for six years (BRIEF §3).

Which evaluations speak for what: an institution's status rests on its institutional
evaluations (`INSTITUTIONAL_ACTIVITIES`); a programme's on those naming the programme plus its
institution's institutional ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DEFAULT_VALIDITY_YEARS = 6
# Evaluations that speak for a whole institution (and so for its programmes).
INSTITUTIONAL_ACTIVITIES = ("institutional", "institutional/programme")


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


def default_valid_to(valid_from: date) -> date:
    """valid_from + 6 years (29 February becomes 28 February): the end of an evaluation
    submitted without one."""
    try:
        return valid_from.replace(year=valid_from.year + DEFAULT_VALIDITY_YEARS)
    except ValueError:
        return valid_from.replace(year=valid_from.year + DEFAULT_VALIDITY_YEARS, day=28)


@dataclass(frozen=True)
class Evidence:
    """What the resolution needs to know of one evaluation. `withdrawn` and `hidden` (a high
    flag not cleared) default to false; an evaluation with either never counts."""

    id: uuid.UUID
    agency_id: uuid.UUID
    decision: str
    valid_from: date
    valid_to: date
    activity_type: str = "institutional"
    local_identifier: str = ""
    withdrawn: bool = False
    hidden: bool = False


@dataclass(frozen=True)
class Resolution:
    status: QAStatus
    evaluations: list[Evidence]  # the decisive one first

    @property
    def evaluation_ids(self) -> list[str]:
        return [str(e.id) for e in self.evaluations]


def is_hidden(flag: str, flag_cleared: bool) -> bool:
    """A high flag hides an evaluation until a node admin clears it (BRIEF §3)."""
    return flag == "high" and not flag_cleared


def counts(evidence: Evidence) -> bool:
    """Whether an evaluation counts at all towards a QA status."""
    return not evidence.withdrawn and not evidence.hidden and evidence.decision in _STATUS_OF


def resolve_status(evidence: Sequence[Evidence], at: date) -> Resolution:
    """The QA status at `at` implied by `evidence`, with the evaluations that justify it."""
    relevant = [e for e in evidence if counts(e)]
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
