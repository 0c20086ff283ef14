"""The level aspect: origin level → reference framework → host level (BRIEF §3, assessment 3);
a comparable level below the one sought is a substantial difference of level."""

from __future__ import annotations

from services.recognition.assessment.facts import State
from services.recognition.assessment.level import assess_level
from services.recognition.assessment.schemas import Finding, SubstantialDifference
from services.recognition.reference.catalogue import shipped_catalogue
from tests.recognition.assessment_facts import inputs, qualification


def run(
    **changes: object,
) -> tuple[Finding, str | None, dict[str, str], State, list[SubstantialDifference]]:
    state, differences = State(), list[SubstantialDifference]()
    finding, comparable, references = assess_level(
        inputs(qualification=qualification(**changes)), shipped_catalogue(), state, differences
    )
    return finding, comparable, references, state, differences


def test_a_malaysian_bachelor_is_a_chinese_xueshi_through_aqrf() -> None:
    finding, comparable, references, state, differences = run()
    assert comparable == "CNDL:xueshi" and state.level == "comparable" and differences == []
    assert references["QF-EHEA"] == "QF-EHEA:first"
    assert "MQF:6 → AQRF:6 → CNDL:xueshi" in finding.summary


def test_a_bachelor_for_a_master_level_is_a_difference_of_level() -> None:
    _, comparable, _, state, differences = run(target_level="CNDL:shuoshi")
    assert comparable == "CNDL:xueshi" and state.level == "lower"
    assert [d.element.value for d in differences] == ["level"]
    assert "recognition is possible at CNDL:xueshi" in differences[0].description


def test_a_master_for_a_bachelor_level_is_comparable() -> None:
    _, comparable, _, state, differences = run(level="MQF:7")
    assert comparable == "CNDL:shuoshi" and state.level == "comparable" and differences == []


def test_an_unknown_level_is_not_assessed() -> None:
    finding, comparable, _, state, _ = run(level="ZZ:9")
    assert comparable is None and state.level == "unknown"
    assert finding.summary == "The qualification's level, ZZ:9, is not a known framework level."


def test_a_missing_level_is_said_so() -> None:
    finding, _, _, state, _ = run(level=None)
    assert state.level == "unknown"
    assert finding.summary == "The qualification's framework level is not given."
