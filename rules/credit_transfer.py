"""Credit transfer: what a component studied abroad counts for at home (ECTS Users' Guide 2015,
"credit transfer" and "grade distribution tables"), computed and explained.

Credits: converted through their ECTS-equivalent, credits times ECTS per credit of the system
they were earned in, divided by ECTS per credit of the home system (`rules.credit_systems`, each
factor with its source), rounded half up to one decimal.

Grades, by grade distribution tables (the Users' Guide's percentile method, as EGRACONS
applies it): each institution's table gives, per field of study, the share of passing grades
awarded with each grade, best grade first. A grade's band is the cumulative share of passing
students at or above it; the grade converts to the home grade whose band holds the middle of
that band. With no table on either side, the plain-scale fallback (the modified Bavarian
formula, generalised): the grade's position between the best grade and the lowest pass of its
scale, carried to the same position on the home scale (`rules.grading_scales`).

A component failed abroad counts for nothing and is flagged; one of the learning agreement with
no result in the transcript is flagged as missing. Pure: no I/O, the inputs are values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from rules.credit_systems import CreditSystem, Source, credit_system
from rules.grading_scales import GradingScale

TABLE_METHOD = "grade distribution tables (ECTS Users' Guide 2015, percentile method)"
TIMES, DASH = "\N{MULTIPLICATION SIGN}", "\N{EN DASH}"
LINEAR_METHOD = "plain-scale fallback (modified Bavarian formula): no grade distribution table"


class CreditTransferError(ValueError):
    """Input outside what the rule can convert: an unknown system, credits or a grade outside
    its scale, a malformed table. The message says which."""


def round_half_up(value: float, decimals: int) -> float:
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


# -- credits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditConversion:
    credits: float  # in the home system
    system: str
    from_credits: float
    from_system: str
    ects: float  # the ECTS-equivalent in between
    rule: str
    sources: tuple[Source, ...]


def _system(code: str) -> CreditSystem:
    system = credit_system(code)
    if system is None:
        raise CreditTransferError(f"credit system {code!r} is not in the reference data")
    return system


def convert_credits(value: float, from_code: str, to_code: str) -> CreditConversion:
    """`value` credits of system `from_code` as credits of `to_code`, with the rule applied."""
    source, target = _system(from_code), _system(to_code)
    limit = source.per_year_full_time
    if not math.isfinite(value) or value <= 0 or (limit is not None and value > limit):
        raise CreditTransferError(
            f"{value:g} {source.code} credits is outside the scale of one component "
            f"(more than 0, at most one full-time year: {limit:g})"
            if limit is not None
            else f"{value:g} {source.code} credits is not a positive number"
        )
    ects = source.ects_per_credit * value
    credits = round_half_up(ects / target.ects_per_credit, 1)
    rule = (
        f"{value:g} {source.code} {TIMES} {source.ects_per_credit:g} ECTS per credit = "
        f"{round_half_up(ects, 2):g} ECTS ÷ {target.ects_per_credit:g} ECTS per {target.code} "
        f"credit = {credits:g} {target.code}"
    )
    sources = tuple(dict.fromkeys((source.source, target.source)))  # each source once
    return CreditConversion(
        credits=credits,
        system=target.code,
        from_credits=value,
        from_system=source.code,
        ects=round_half_up(ects, 2),
        rule=rule,
        sources=sources,
    )


# -- grades ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeBand:
    grade: str
    low: float  # cumulative share of passing grades above this grade, in percent
    high: float  # ... at or above it


@dataclass(frozen=True)
class GradeTable:
    """A grade distribution table: `label` names it (institution, field, years) in every
    conversion made with it; `bands` are best grade first."""

    label: str
    bands: tuple[GradeBand, ...]

    def band(self, grade: str) -> GradeBand | None:
        wanted = normalise_grade(grade)
        return next((b for b in self.bands if normalise_grade(b.grade) == wanted), None)


def normalise_grade(grade: str) -> str:
    """`1,7` and ` 1.7 ` are the same grade; letters are compared in upper case."""
    return grade.strip().replace(",", ".").upper()


def grade_table(label: str, counts: Sequence[tuple[str, float]]) -> GradeTable:
    """A table from each passing grade's count (or percentage), best grade first."""
    if not counts:
        raise CreditTransferError(f"table {label!r} lists no grade")
    grades = [normalise_grade(grade) for grade, _ in counts]
    if len(set(grades)) != len(grades):
        raise CreditTransferError(f"table {label!r} lists a grade twice")
    if any(not math.isfinite(n) or n < 0 for _, n in counts):
        raise CreditTransferError(f"table {label!r} has a negative or unreadable count")
    total = sum(n for _, n in counts)
    if total <= 0:
        raise CreditTransferError(f"table {label!r} counts no passing grade")
    bands = []
    above = 0.0
    for grade, n in counts:
        share = 100 * n / total
        bands.append(GradeBand(grade=grade, low=above, high=above + share))
        above += share
    return GradeTable(label=label, bands=tuple(bands))


@dataclass(frozen=True)
class GradeConversion:
    grade: str  # at home
    from_grade: str
    method: str
    explanation: str


def convert_grade_by_tables(grade: str, source: GradeTable, target: GradeTable) -> GradeConversion:
    """The home grade whose band in `target` holds the middle of `grade`'s band in `source`."""
    band = source.band(grade)
    if band is None:
        raise CreditTransferError(
            f"grade {grade!r} is not a passing grade of table {source.label!r}"
        )
    middle = (band.low + band.high) / 2
    home = next((b for b in target.bands if b.high >= middle), target.bands[-1])
    explanation = (
        f"{grade} is the top {band.low:.1f}{DASH}{band.high:.1f} % of passing grades in "
        f"{source.label}; its middle, {middle:.1f} %, falls in {home.grade} "
        f"({home.low:.1f}{DASH}{home.high:.1f} %) of {target.label}"
    )
    return GradeConversion(
        grade=home.grade, from_grade=grade, method=TABLE_METHOD, explanation=explanation
    )


def grade_value(grade: str, scale: GradingScale) -> float:
    try:
        value = float(normalise_grade(grade))
    except ValueError:
        raise CreditTransferError(
            f"grade {grade!r} is not a number of the {scale.code} scale"
        ) from None
    low, high = sorted((scale.best, scale.worst))
    if not low <= value <= high:  # NaN compares false: outside too
        raise CreditTransferError(
            f"grade {grade!r} is outside the {scale.code} scale ({scale.best:g} best to "
            f"{scale.worst:g}, {scale.lowest_pass:g} the lowest pass)"
        )
    return value


def is_pass(grade: str, scale: GradingScale) -> bool:
    """Whether `grade` is at or above the lowest pass of `scale` (either direction of scale)."""
    value = grade_value(grade, scale)
    if scale.best < scale.lowest_pass:
        return value <= scale.lowest_pass
    return value >= scale.lowest_pass


def convert_grade_linear(grade: str, source: GradingScale, target: GradingScale) -> GradeConversion:
    """The plain-scale fallback: the same position between best grade and lowest pass."""
    if not is_pass(grade, source):
        raise CreditTransferError(f"grade {grade!r} is a fail on the {source.code} scale")
    position = (grade_value(grade, source) - source.best) / (source.lowest_pass - source.best)
    home = round_half_up(
        target.best + position * (target.lowest_pass - target.best), target.decimals
    )
    written = f"{home:.{target.decimals}f}"
    explanation = (
        f"{grade} is {100 * position:.1f} % of the way from {source.code}'s best grade "
        f"({source.best:g}) to its lowest pass ({source.lowest_pass:g}); the same place on the "
        f"{target.code} scale ({target.best:g} to {target.lowest_pass:g}) is {written}"
    )
    return GradeConversion(
        grade=written, from_grade=grade, method=LINEAR_METHOD, explanation=explanation
    )


# -- one component ---------------------------------------------------------------------------


class Outcome(StrEnum):
    RECOGNISED = "recognised"
    FAILED = "failed"  # failed abroad: counts for nothing
    MISSING = "missing"  # in the learning agreement, not in the transcript


@dataclass(frozen=True)
class Studied:
    """What the transcript says of one component: its credits, grade and status abroad."""

    credits: float
    system: str
    grade: str | None
    passed: bool


@dataclass(frozen=True)
class Recognition:
    outcome: Outcome
    credits: CreditConversion | None
    grade: GradeConversion | None
    explanation: str


def recognise_component(
    title: str,
    studied: Studied | None,
    *,
    home_system: str,
    source_scale: GradingScale | None = None,
    target_scale: GradingScale | None = None,
    source_table: GradeTable | None = None,
    target_table: GradeTable | None = None,
) -> Recognition:
    """One component of the learning agreement, recognised at home from what the transcript
    says: credits converted, the grade converted by tables when both exist, else by the
    plain-scale fallback when both scales are known, else left unconverted (said so, with why:
    a grade the table or scale does not know leaves the credits counted)."""
    if studied is None:
        return Recognition(Outcome.MISSING, None, None, f"{title}: not in the transcript")
    if not studied.passed:
        return Recognition(Outcome.FAILED, None, None, f"{title}: failed, no credits count")
    credits = convert_credits(studied.credits, studied.system, home_system)
    grade: GradeConversion | None = None
    why = "no table and no known scale"
    try:
        if studied.grade is not None and source_table is not None and target_table is not None:
            grade = convert_grade_by_tables(studied.grade, source_table, target_table)
        elif studied.grade is not None and source_scale is not None and target_scale is not None:
            grade = convert_grade_linear(studied.grade, source_scale, target_scale)
    except CreditTransferError as error:  # the credits count all the same
        why = str(error)
    told = (
        f"{title}: {studied.credits:g} {credits.from_system} as {credits.credits:g} "
        f"{credits.system}"
    )
    if grade is not None:
        told += f"; grade {grade.from_grade} → {grade.grade} by {grade.method}"
    elif studied.grade is not None:
        told += f"; grade {studied.grade} not converted ({why})"
    return Recognition(Outcome.RECOGNISED, credits, grade, told)


def summary(results: Sequence[Recognition], planned_ects: float, home_system: str) -> str:
    """`recognised: 27 of 30 ECTS as 18 CN credits` over a learning agreement's components."""
    recognised = [r.credits for r in results if r.credits is not None]
    return summary_line(
        sum(c.ects for c in recognised),
        planned_ects,
        sum(c.credits for c in recognised),
        home_system,
    )


def summary_line(ects: float, planned_ects: float, home_credits: float, home_system: str) -> str:
    """The line a recognition opens with, each number rounded half up to one decimal."""
    return (
        f"recognised: {round_half_up(ects, 1):g} of {round_half_up(planned_ects, 1):g} ECTS as "
        f"{round_half_up(home_credits, 1):g} {home_system} credits"
    )
