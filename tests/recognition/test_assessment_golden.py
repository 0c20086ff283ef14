"""Golden scenarios: each feeds the replicas through the service's own event handlers, opens a
case, and checks the recommendation, the comparable level and the reasons the assessment
gives (with the evidence it cites). SQLite only: the rules do not depend on the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from shared.db import new_id
from tests.recognition.conftest import RecognitionNode, StartNode
from tests.recognition.factories import (
    agency_event,
    decision_event,
    evaluation_event,
    institution_event,
)


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


UM = new_id()
UPM = new_id()
UTM = new_id()
OPEN_UNI = new_id()
LAPSED = new_id()
TSINGHUA = new_id()
TARTU = new_id()
MQA = new_id()
HEEC = new_id()
EKKA = new_id()


def malaysian_directory() -> list[Any]:
    """The MY node's institutions and QA results, as replicated to other nodes."""
    return [
        institution_event(
            node="my",
            name="Universiti Malaya",
            country="MY",
            institution_id=UM,
            names=[
                {"value": "Universiti Malaya", "lang": "ms", "kind": "official"},
                {"value": "University of Malaya", "lang": "en", "kind": "english"},
                {"value": "UM", "lang": None, "kind": "acronym"},
            ],
            founded_on=date(1949, 10, 8),
        ),
        institution_event(
            node="my", name="Universiti Putra Malaysia", country="MY", institution_id=UPM
        ),
        institution_event(
            node="my", name="Universiti Teknologi Malaysia", country="MY", institution_id=UTM
        ),
        institution_event(
            node="my",
            name="Open Learning University College Malaysia",
            country="MY",
            institution_id=OPEN_UNI,
        ),
        institution_event(
            node="my", name="Kolej Lestari Antarabangsa", country="MY", institution_id=LAPSED
        ),
        agency_event(
            node="my",
            name="Malaysian Qualifications Agency",
            acronym="MQA",
            country="MY",
            agency_id=MQA,
            registrations=[("national", date(2007, 11, 1), None)],
        ),
        evaluation_event(
            node="my",
            agency_id=str(MQA),
            institution_ids=[str(UM)],
            valid_from=date(2005, 1, 1),
            valid_to=date(2012, 12, 31),
        ),
        evaluation_event(
            node="my",
            agency_id=str(MQA),
            institution_ids=[str(UM)],
            valid_from=date(2013, 1, 1),
            valid_to=date(2027, 12, 31),
        ),
        evaluation_event(
            node="my",
            agency_id=str(MQA),
            institution_ids=[str(LAPSED)],
            valid_from=date(2010, 1, 1),
            valid_to=date(2015, 12, 31),
        ),
    ]


def chinese_directory() -> list[Any]:
    return [
        institution_event(
            node="cn",
            name="Tsinghua University",
            country="CN",
            institution_id=TSINGHUA,
            founded_on=date(1911, 4, 29),
        ),
        agency_event(
            node="cn",
            name="Higher Education Evaluation Center of the Ministry of Education",
            acronym="HEEC",
            country="CN",
            agency_id=HEEC,
            registrations=[("national", date(2004, 8, 1), None)],
        ),
        evaluation_event(
            node="cn",
            agency_id=str(HEEC),
            institution_ids=[str(TSINGHUA)],
            valid_from=date(2017, 1, 1),
            valid_to=date(2026, 12, 31),
        ),
    ]


def estonian_directory() -> list[Any]:
    return [
        institution_event(
            node="ee",
            name="University of Tartu",
            country="EE",
            institution_id=TARTU,
            founded_on=date(1632, 10, 15),
        ),
        agency_event(
            node="ee",
            name="Estonian Quality Agency for Education",
            acronym="HAKA",
            country="EE",
            agency_id=EKKA,
            registrations=[("EQAR", date(2011, 1, 1), None)],
        ),
        evaluation_event(
            node="ee",
            agency_id=str(EKKA),
            institution_ids=[str(TARTU)],
            valid_from=date(2019, 1, 1),
            valid_to=date(2026, 12, 31),
        ),
    ]


def my_bachelor(**changes: Any) -> dict[str, Any]:
    return {
        "institution_id": str(UM),
        "country": "MY",
        "title": "Bachelor of Computer Science",
        "level": "MQF:6",
        "field": "0613",
        "credits": 130,
        "credit_system": "MY",
        "mode": "full-time",
        "awarded_on": "2020-06-30",
    } | changes


@dataclass
class Scenario:
    name: str
    host: str
    directory: list[Any]
    qualification: dict[str, Any]
    target_level: str
    recommendation: str
    comparable_level: str | None
    findings: dict[str, str]  # aspect → expected finding outcome
    reasons: list[str]  # fragments the reasons must contain
    differences: list[str] = field(default_factory=list)  # elements of substantial differences
    legal_basis: dict[str, Any] | None = None
    purpose: str = "further_study"


SCENARIOS = [
    Scenario(
        name="MY bachelor assessed in CN under the 2011 agreement",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(),
        target_level="CNDL:xueshi",
        recommendation="recognised",
        comparable_level="CNDL:xueshi",
        findings={
            "identity": "positive",
            "quality": "positive",
            "level": "positive",
            "workload": "positive",
            "agreement": "positive",
        },
        reasons=[
            "Universiti Malaya",
            "was accredited on the award date 2020-06-30: MQA's institutional evaluation",
            "valid 2013-01-01 to 2027-12-31",
            "MQA was in the national register then",
            "AQRF:6",
            "Basis for automatic recognition: the Agreement between the Government of the "
            "People's Republic of China and the Government of Malaysia",
        ],
        legal_basis={"kind": "bilateral agreement", "reference": "cn-my-2011"},
    ),
    Scenario(
        name="CN four-year xueshi of 160 credits assessed in DE",
        host="de",
        directory=chinese_directory(),
        qualification={
            "institution_id": str(TSINGHUA),
            "country": "CN",
            "title": "Bachelor of Engineering",
            "level": "CNDL:xueshi",
            "field": "0714",
            "credits": 160,
            "credit_system": "CN",
            "mode": "full-time",
            "awarded_on": "2021-07-01",
        },
        target_level="DQR:6",
        recommendation="recognised",
        comparable_level="DQR:6",
        findings={
            "identity": "positive",
            "quality": "positive",
            "level": "positive",
            "workload": "positive",
            "agreement": "not_applicable",
        },
        reasons=[
            "corresponds to DQR:6",
            "The workload of 240 ECTS (160 CN credits at 1.5 ECTS each",
            "meets the norm, within the 180\N{EN DASH}240 ECTS norm",
            "the Joint Declaration of the People's Republic of China and the Federal Republic "
            "of Germany on the mutual recognition of equivalences in higher education (no date "
            "of entry into force is recorded)",
        ],
        legal_basis={"kind": "national law"},
    ),
    Scenario(
        name="accreditation expired before the award date",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(institution_id=str(LAPSED), awarded_on="2018-06-30"),
        target_level="CNDL:xueshi",
        recommendation="refused",
        comparable_level="CNDL:xueshi",
        findings={"identity": "positive", "quality": "negative", "agreement": "inconclusive"},
        reasons=[
            "No QA result covers the award date 2018-06-30",
            "valid 2010-01-01 to 2015-12-31), had ended before it",
        ],
        differences=["quality"],
    ),
    Scenario(
        # Issue 15: no QA result covering the award date is a substantial difference of quality.
        name="distance-learning degree of an institution with no QA result",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(institution_id=str(OPEN_UNI), mode="distance"),
        target_level="CNDL:xueshi",
        recommendation="refused",
        comparable_level="CNDL:xueshi",
        findings={
            "identity": "positive",
            "quality": "negative",
            "profile": "not_assessed",
            "agreement": "inconclusive",
        },
        reasons=[
            "No QA result covers the award date 2020-06-30: no quality assurance agency's "
            "result for Open Learning University College Malaysia is known to this node"
        ],
        differences=["quality"],
    ),
    Scenario(
        name="master's level sought with a bachelor's qualification",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(),
        target_level="CNDL:shuoshi",
        recommendation="alternative",
        comparable_level="CNDL:xueshi",
        findings={"level": "negative", "quality": "positive"},
        reasons=["below the level sought, CNDL:shuoshi", "recognition is possible at CNDL:xueshi"],
        differences=["level"],
    ),
    Scenario(
        name="workload far below the norm",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(credits=50),
        target_level="CNDL:xueshi",
        recommendation="partial",
        comparable_level="CNDL:xueshi",
        findings={"workload": "negative", "level": "positive"},
        reasons=[
            "72.7 ECTS (50 MY credits",
            "is far below the 180\N{EN DASH}240 ECTS norm of the first cycle (bachelor's), at 40%",
        ],
        differences=["workload"],
    ),
    Scenario(
        name="workload well below the norm",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(credits=85),
        target_level="CNDL:xueshi",
        recommendation="conditional",
        comparable_level="CNDL:xueshi",
        findings={"workload": "negative"},
        reasons=["far below"],
        differences=["workload"],
    ),
    Scenario(
        name="agreement in force only after the award date",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(awarded_on="2009-06-30"),
        target_level="CNDL:xueshi",
        recommendation="recognised",
        comparable_level="CNDL:xueshi",
        findings={"quality": "positive", "agreement": "positive"},
        reasons=["entered into force after the degree was awarded, which does not matter"],
        legal_basis={"kind": "bilateral agreement", "reference": "cn-my-2011"},
    ),
    Scenario(
        name="automatic level recognition under the Benelux-Baltic treaty",
        host="nl",
        directory=estonian_directory(),
        qualification={
            "institution_id": str(TARTU),
            "country": "EE",
            "title": "Bachelor of Arts",
            "level": "EQF:6",
            "years_full_time": 3,
            "mode": "full-time",
            "awarded_on": "2023-06-15",
        },
        target_level="QF-EHEA:first",
        recommendation="recognised at level only",
        comparable_level="QF-EHEA:first",
        findings={"agreement": "positive", "workload": "positive"},
        reasons=[
            "Basis for automatic recognition of the level: the Treaty between the Benelux "
            "countries and the Baltic States",
            "entered into force after the degree was awarded",
        ],
        legal_basis={"kind": "multilateral agreement", "reference": "benelux-baltic-2021"},
    ),
    Scenario(
        name="free-text institution name that matches",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(institution_id=None, institution_name="Univ. of Malaya"),
        target_level="CNDL:xueshi",
        recommendation="recognised",
        comparable_level="CNDL:xueshi",
        findings={"identity": "positive", "quality": "positive", "agreement": "positive"},
        reasons=["Universiti Malaya (MY), identified by the directory from “Univ. of Malaya”"],
    ),
    Scenario(
        name="free-text institution name that matches nothing",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(
            institution_id=None, institution_name="Kuala Lumpur Institute of Rocketry"
        ),
        target_level="CNDL:xueshi",
        # Issue 15: an institution that cannot be identified is a substantial difference.
        recommendation="refused",
        comparable_level="CNDL:xueshi",
        findings={"identity": "negative", "quality": "inconclusive", "agreement": "inconclusive"},
        reasons=["“Kuala Lumpur Institute of Rocketry”"],
        differences=["quality"],
    ),
    Scenario(
        name="access to a regulated profession",
        host="cn",
        directory=malaysian_directory(),
        qualification=my_bachelor(),
        target_level="CNDL:xueshi",
        recommendation="advice",
        comparable_level="CNDL:xueshi",
        findings={"profile": "inconclusive"},
        reasons=["decided by its competent authority"],
        purpose="regulated_profession",
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_golden_scenario(scenario: Scenario, start_recognition: StartNode) -> None:
    by_name = "institution_name" in scenario.qualification
    node: RecognitionNode = await start_recognition(scenario.host, sqlite=True, directory=by_name)
    await node.apply(*scenario.directory)
    case = await node.open_case(
        scenario.qualification, scenario.target_level, purpose=scenario.purpose
    )
    await node.complete(case["id"])
    result = await node.assess(case["id"])

    assert result["recommendation"] == scenario.recommendation, result["reasons"]
    assert result["comparable_level"] == scenario.comparable_level
    findings = {f["aspect"]: f for f in result["findings"]}
    assert set(findings) == {
        "identity",
        "quality",
        "level",
        "workload",
        "profile",
        "learning_outcomes",
        "agreement",
        "precedents",
    }
    for aspect, outcome in scenario.findings.items():
        assert findings[aspect]["outcome"] == outcome, (aspect, findings[aspect])
    text = " | ".join(f["summary"] for f in result["findings"])
    for fragment in scenario.reasons:
        assert fragment in text, (fragment, text)
    assert sorted(d["element"] for d in result["substantial_differences"]) == sorted(
        scenario.differences
    )
    if scenario.recommendation == "refused":
        assert result["substantial_differences"], "a refusal needs a substantial difference"
    if scenario.legal_basis is not None:
        suggested = result["suggested_legal_basis"]
        assert {key: suggested.get(key) for key in scenario.legal_basis} == scenario.legal_basis
    if findings["identity"]["outcome"] == "positive":
        evidence = findings["identity"]["evidence"][0]
        assert evidence["kind"] == "institution" and evidence["version"] == 1
    if findings["quality"]["outcome"] == "positive":
        kinds = {e["kind"] for e in findings["quality"]["evidence"]}
        assert kinds == {"evaluation", "agency"}
        assert all(e["version"] == 1 for e in findings["quality"]["evidence"])


async def test_the_same_data_gives_the_same_assessment(start_recognition: StartNode) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(*malaysian_directory())
    case = await node.open_case(my_bachelor(), "CNDL:xueshi")
    await node.complete(case["id"])
    first = await node.assess(case["id"])
    again = await node.assess(case["id"])
    assert again == first  # the stored assessment: same id, hash and findings

    other = await node.open_case(my_bachelor(), "CNDL:xueshi")
    await node.complete(other["id"])
    twin = await node.assess(other["id"])
    assert twin["inputs_hash"] != first["inputs_hash"] or twin["findings"] == first["findings"]
    assert twin["findings"] == first["findings"]
    assert twin["recommendation"] == first["recommendation"]

    # A new version of a record it used changes the inputs, so the assessment is recomputed.
    await node.apply(
        institution_event(
            node="my",
            name="Universiti Malaya",
            country="MY",
            institution_id=UM,
            founded_on=date(1949, 10, 8),
            version=2,
        )
    )
    changed = await node.assess(case["id"])
    assert changed["inputs_hash"] != first["inputs_hash"]
    assert changed["id"] != first["id"]
    identity = next(f for f in changed["findings"] if f["aspect"] == "identity")
    assert identity["evidence"][0]["version"] == 2


async def test_precedents_of_other_nodes_are_shown_with_their_versions(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(*malaysian_directory())
    peers = [
        decision_event(
            node="de",
            institution_id=str(UM),
            institution_name="Universiti Malaya",
            qualification="Bachelor of Science",
            programme_level="MQF:6",
            origin_country="MY",
            host_country="DE",
            outcome="recognised",
            comparable_level="DQR:6",
            decided_on=date(2025, 3, 1),
        ),
        decision_event(
            node="id",
            institution_id=str(UM),
            institution_name="Universiti Malaya",
            qualification="Bachelor of Arts",
            programme_level="MQF:6",
            origin_country="MY",
            host_country="ID",
            outcome="conditional",
            comparable_level="KKNI:6",
            decided_on=date(2025, 5, 1),
            version=3,
        ),
        decision_event(
            node="de",
            institution_id=str(UM),
            institution_name="Universiti Malaya",
            qualification="Master of Science",
            programme_level="MQF:7",
            origin_country="MY",
            host_country="DE",
            outcome="recognised",
            comparable_level="DQR:7",
            decided_on=date(2025, 6, 1),
        ),
    ]
    await node.apply(*peers)
    case = await node.open_case(my_bachelor(), "CNDL:xueshi")
    await node.complete(case["id"])
    result = await node.assess(case["id"])
    precedents = next(f for f in result["findings"] if f["aspect"] == "precedents")
    assert "2 published decisions" in precedents["summary"]
    assert "de, id" in precedents["summary"]
    assert {(e["id"], e["version"]) for e in precedents["evidence"]} == {
        (peers[0].subject, 1),
        (peers[1].subject, 3),
    }
