"""The level aspect: origin level → reference framework → host level (BRIEF §3, assessment 3);
a comparable level below the one sought is a substantial difference of level."""

from __future__ import annotations

from services.recognition.assessment.facts import State
from services.recognition.assessment.level import assess_level
from services.recognition.assessment.schemas import Finding, SubstantialDifference
from services.recognition.catalogue.catalogue import shipped_catalogue
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


def test_the_summary_says_whether_the_level_is_the_one_sought_or_higher() -> None:
    same, *_ = run()
    assert same.summary.endswith("which is the level sought, CNDL:xueshi.")
    higher, *_ = run(level="MQF:7")
    assert "which is at least the level sought, CNDL:xueshi (" in higher.summary
    assert "is the level sought" not in higher.summary


def test_the_route_follows_each_referencing_in_either_direction() -> None:
    # MQF is referenced to AQRF, AQRF compared with the EQF, and the German DQR referenced to
    # the EQF: a Malaysian bachelor assessed in Germany goes MQF → AQRF → EQF → DQR.
    finding, comparable, _, state, _ = run(target_level="DQR:6")
    assert comparable == "DQR:6" and state.level == "comparable"
    assert finding.data["path"] == "MQF:6 → AQRF:6 → EQF:6 → DQR:6"


def test_each_referencing_not_verified_against_its_source_is_marked() -> None:
    catalogue = shipped_catalogue()
    finding, *_ = run(target_level="DQR:6")
    steps = catalogue.compare("MQF:6", "DQR:6").path
    referencing = [e for e in finding.evidence if e.kind == "referencing"]
    assert [e.id for e in referencing] == [f"{s.from_}->{s.to}" for s in steps]
    marked = [str(e.detail).endswith("(not verified against its source)") for e in referencing]
    assert marked == [not s.source.verified for s in steps]
    assert True in marked and False in marked  # the route mixes both


def test_an_unknown_level_records_what_was_given() -> None:
    finding, *_ = run(level="ZZ:9")
    assert finding.data == {"level": "ZZ:9", "target_level": "CNDL:xueshi"}


def test_the_finding_records_the_route_the_reference_levels_and_the_ranks() -> None:
    same, *_ = run()
    assert same.data == {
        "path": "MQF:6 → AQRF:6 → CNDL:xueshi",
        # a bachelor: EQF 6, AQRF 6, the first cycle of the QF-EHEA
        "reference_levels": {"QF-EHEA": "QF-EHEA:first", "EQF": "EQF:6", "AQRF": "AQRF:6"},
        "verified": False,  # MQF's referencing to AQRF is not checked against its report
        "comparable_rank": same.data["target_rank"],
        "target_rank": same.data["comparable_rank"],
    }
    higher, *_ = run(level="MQF:7")
    assert higher.data["comparable_rank"] > higher.data["target_rank"]


def test_a_level_no_reference_framework_relates_to_the_host_framework() -> None:
    # EQF level 1 (basic general knowledge) has no place in China's framework of degrees
    finding, comparable, _, _, differences = run(level="EQF:1")
    assert comparable is None and differences == []
    assert finding.outcome.value == "inconclusive"
    assert "cannot be related to the CNDL framework" in finding.summary
    assert set(finding.data) == {"reference_levels"}


def test_a_higher_level_is_not_called_the_level_sought_whatever_its_code() -> None:
    # a Malaysian master (MQF 7 → EQF 7 → DQR 7) for a German bachelor-level place (DQR 6)
    finding, comparable, *_ = run(level="MQF:7", target_level="DQR:6")
    assert comparable == "DQR:7"
    assert "which is at least the level sought, DQR:6 (" in finding.summary
