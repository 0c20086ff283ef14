"""When a case is late and when it is due soon (BRIEF §3: the deadline runs from `complete` until
the decision; overdue cases are listable). Each rule is written here once as the SQL that lists
and counts filter on, and next to it as the same test on one loaded case (the flags of every
response); tests/recognition/test_case_queue.py checks the two agree."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_
from sqlalchemy.sql.elements import ColumnElement

from services.recognition.cases.models import RecognitionCase
from services.recognition.cases.states import OPEN_FOR_DEADLINE

# "Due this week": a deadline at most this many days ahead.
DUE_SOON_DAYS = 7
_RUNNING = [s.value for s in OPEN_FOR_DEADLINE]


def overdue(on: date) -> ColumnElement[bool]:
    """Past its deadline on `on`, the clock still running. A case due on `on` is not late yet."""
    return and_(RecognitionCase.deadline_on < on, RecognitionCase.status.in_(_RUNNING))


def due_soon(on: date) -> ColumnElement[bool]:
    """Not overdue on `on`, the clock running, the deadline at most `DUE_SOON_DAYS` ahead."""
    return and_(
        RecognitionCase.deadline_on >= on,
        RecognitionCase.deadline_on <= on + timedelta(days=DUE_SOON_DAYS),
        RecognitionCase.status.in_(_RUNNING),
    )


def is_overdue(case: RecognitionCase, on: date) -> bool:
    """`overdue(on)` for one case."""
    return (
        case.deadline_on is not None and case.status in OPEN_FOR_DEADLINE and case.deadline_on < on
    )


def is_due_soon(case: RecognitionCase, on: date) -> bool:
    """`due_soon(on)` for one case."""
    return (
        case.deadline_on is not None
        and case.status in OPEN_FOR_DEADLINE
        and on <= case.deadline_on <= on + timedelta(days=DUE_SOON_DAYS)
    )
