"""The receiving institution's time to answer a nomination or a learning agreement: EWP's
rule, 5 working days. One rule, here: working days are Monday to Friday (public holidays
differ per country and institution and are not counted out; docs/mobility.md)."""

from __future__ import annotations

from datetime import date, timedelta

SATURDAY = 5


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def add_working_days(day: date, days: int) -> date:
    """The day `days` working days after `day`: counting starts the day after, so a request
    made on a Friday (or on the Saturday or Sunday after it) with 5 days to answer is due on
    the next Friday."""
    if days < 0:
        raise ValueError("a number of working days is not negative")
    current = day
    left = days
    while left:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def is_overdue(respond_by: date | None, *, answered: bool, today: date) -> bool:
    """Overdue: not answered, and the day it was due by has passed."""
    return respond_by is not None and not answered and today > respond_by
