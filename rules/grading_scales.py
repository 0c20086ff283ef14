"""National grading scales as numbers: the best grade and the lowest passing one, which is all the
plain-scale fallback of grade conversion needs (with the worst grade, to tell a fail from a
mistyped grade) when no grade distribution table exists
(`rules.credit_transfer.convert_grade_linear`). Each names its source; `verified: False` marks
a common practice rather than a rule checked against its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.credit_systems import Source


@dataclass(frozen=True)
class GradingScale:
    code: str
    name: str
    best: float
    lowest_pass: float
    worst: float
    decimals: int  # how grades of the scale are written: 1.7 (1), 85 (0), 3.67 (2)
    source: Source


GRADING_SCALES: dict[str, GradingScale] = {
    scale.code: scale
    for scale in (
        GradingScale(
            code="DE",
            name="German university grades (1,0 best, 4,0 the lowest pass, 5,0 fail)",
            best=1.0,
            lowest_pass=4.0,
            worst=5.0,
            decimals=1,
            source=Source(
                title="KMK, Rahmenvorgaben für die Einführung von Leistungspunktsystemen und die "
                "Modularisierung von Studiengängen (2000, as amended): grades 1 to 4 pass, 5 "
                "fails; "
                "converted from other scales by the modified Bavarian formula",
                url="https://www.kmk.org/",
                verified=False,
            ),
        ),
        GradingScale(
            code="CN",
            name="Chinese university percentage marks (100 best, 60 the lowest pass)",
            best=100.0,
            lowest_pass=60.0,
            worst=0.0,
            decimals=0,
            source=Source(
                title="edunode reference data: the hundred-mark system (百分制) of Chinese "
                "universities, 60 the usual lowest pass",
                url=None,
                verified=False,
            ),
        ),
        GradingScale(
            code="MY",
            name="Malaysian grade points (4.00 best, 2.00 the usual lowest pass of a course)",
            best=4.0,
            lowest_pass=2.0,
            worst=0.0,
            decimals=2,
            source=Source(
                title="edunode reference data: the 4.00 grade-point scale of Malaysian "
                "universities, C (2.00) the usual lowest pass of a course",
                url=None,
                verified=False,
            ),
        ),
    )
}


def grading_scale(code: str) -> GradingScale | None:
    return GRADING_SCALES.get(code.strip().upper())
