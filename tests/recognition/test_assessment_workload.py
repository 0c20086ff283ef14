"""The workload aspect: ECTS-equivalents compared with the QF-EHEA cycle's norm (first cycle
180-240 ECTS, QF-EHEA): at least the lower bound meets it; down to three quarters of it is a
difference but not a substantial one; below that, a substantial difference (issue 15: "174.5
ECTS is below the 180-240 ECTS norm")."""

from __future__ import annotations

import pytest

from services.recognition.assessment.facts import State
from services.recognition.assessment.schemas import Finding, SubstantialDifference
from services.recognition.assessment.workload import assess_workload
from services.recognition.catalogue.catalogue import shipped_catalogue
from tests.recognition.assessment_facts import inputs, qualification

FIRST_CYCLE = {"QF-EHEA": "QF-EHEA:first"}
NORM = "180\N{EN DASH}240 ECTS norm"


def run(**changes: object) -> tuple[str, str, State, list[SubstantialDifference]]:
    state, differences = State(), list[SubstantialDifference]()
    finding = assess_workload(
        inputs(qualification=qualification(**changes)),
        shipped_catalogue(),
        FIRST_CYCLE,
        state,
        differences,
    )
    return finding.outcome.value, finding.summary, state, differences


@pytest.mark.parametrize(
    ("ects", "outcome", "words", "substantial"),
    [
        (240, "positive", f"meets the norm, within the {NORM}", False),
        (180, "positive", f"meets the norm, within the {NORM}", False),
        (300, "positive", f"meets the norm, above the {NORM}", False),
        (174.5, "positive", f"is below the {NORM}", False),
        (135, "positive", f"is below the {NORM}", False),
        (134.9, "negative", f"is far below the {NORM}", True),
        (60, "negative", f"is far below the {NORM}", True),
    ],
)
def test_ects_against_the_first_cycle_norm(
    ects: float, outcome: str, words: str, substantial: bool
) -> None:
    found, summary, state, differences = run(credits=ects, credit_system="ECTS")
    assert found == outcome
    assert summary.startswith(f"The workload of {ects:g} ECTS")
    assert words in summary
    assert [d.element.value for d in differences] == (["workload"] if substantial else [])
    assert state.workload_ratio == round(ects / 180, 3)


def test_malaysian_credits_are_40_notional_hours() -> None:
    # 120 MY credits x 40 h / 27.5 h per ECTS = 174.5 ECTS.
    _, summary, _, _ = run(credits=120, credit_system="MY")
    assert summary.startswith("The workload of 174.5 ECTS (120 MY credits")
    assert f"is below the {NORM}" in summary


def test_full_time_years_count_60_ects_each() -> None:
    _, summary, _, _ = run(credits=None, credit_system=None, years_full_time=3)
    assert summary.startswith("The workload of 180 ECTS (3 full-time years at 60 ECTS a year)")


def test_an_unknown_credit_system_or_no_workload_is_inconclusive() -> None:
    assert run(credit_system="XX")[0] == "inconclusive"
    assert run(credits=None, credit_system=None)[0] == "inconclusive"


def finding_of(references: dict[str, str] = FIRST_CYCLE, **changes: object) -> Finding:
    return assess_workload(
        inputs(qualification=qualification(**changes)),
        shipped_catalogue(),
        references,
        State(),
        [],
    )


def test_the_norm_is_named_with_its_cycle_and_cited_as_evidence() -> None:
    found = finding_of(credits=240, credit_system="ECTS")
    assert f"within the {NORM} of the first cycle (bachelor's)." in found.summary
    norm = next(e for e in found.evidence if e.kind == "framework_level")
    assert (norm.id, norm.detail) == ("QF-EHEA:first", "180\N{EN DASH}240 ECTS")
    assert found.data == {"ects": 240, "norm_min": 180, "norm_max": 240, "ratio": 1.333}


def test_the_master_norm_is_60_to_120_ects() -> None:
    found = finding_of({"QF-EHEA": "QF-EHEA:second"}, credits=90, credit_system="ECTS")
    assert found.outcome.value == "positive"
    assert "within the 60\N{EN DASH}120 ECTS norm of the second cycle (master's)" in found.summary


def test_without_an_ects_norm_the_workload_is_only_stated() -> None:
    # the QF-EHEA gives the third cycle (doctorate) no ECTS range
    doctorate = finding_of({"QF-EHEA": "QF-EHEA:third"}, credits=180, credit_system="ECTS")
    assert doctorate.outcome.value == "not_applicable"
    assert doctorate.summary.startswith("The workload is 180 ECTS")
    assert doctorate.data == {"ects": 180}
    # nor without a place in the QF-EHEA at all
    unplaced = finding_of({}, credits=180, credit_system="ECTS")
    assert unplaced.outcome.value == "not_applicable"


def test_credits_need_their_credit_system_else_the_years_count() -> None:
    no_credits = finding_of(credits=None, credit_system="MY", years_full_time=4)
    assert no_credits.summary.startswith("The workload of 240 ECTS (4 full-time years")
    no_system = finding_of(credits=130, credit_system=None, years_full_time=4)
    assert no_system.summary.startswith("The workload of 240 ECTS (4 full-time years")
    assert [e.id for e in no_system.evidence] == ["YEARS", "QF-EHEA:first"]


def test_years_are_converted_to_a_tenth_of_an_ects() -> None:
    # 1.333 years x 60 = 79.98 ECTS, stated as 80
    found = finding_of({"QF-EHEA": "QF-EHEA:second"}, credits=None, years_full_time=1.333)
    assert found.summary.startswith("The workload of 80 ECTS (1.333 full-time years")
    assert found.data["ects"] == 80.0


def test_a_fraction_of_a_year_gives_a_tenth_of_an_ects() -> None:
    # 2.91 years x 60 = 174.6 ECTS: stated to the tenth, not rounded to 175
    found = finding_of(credits=None, years_full_time=2.91)
    assert found.summary.startswith("The workload of 174.6 ECTS (2.91 full-time years")
