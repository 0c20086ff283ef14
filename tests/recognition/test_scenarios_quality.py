"""Scenarios of issue 15, written from the issue and the Lisbon Recognition Convention's rule
(recognise unless a substantial difference is shown; where one is, refuse or recognise in part),
not from the code: what an ENIC-NARIC evaluator expects for an institution's quality and
identity, and explanations an applicant can read.

Each runs the node's services for real: the recognition service, and where the scenario needs
them the quality service (its `/status` is the other answer to the same question) and the
institutions service (its `/v1/institutions/match` is the node's one matcher), fed the same
events through their own handlers.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
import pytest

from shared.db import new_id
from shared.events import CloudEvent
from tests.conftest import RunningService, ServiceLauncher
from tests.gateway.conftest import unused_url
from tests.recognition.conftest import RecognitionNode, StartNode
from tests.recognition.factories import agency_event, evaluation_event, institution_event


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INTERNAL_WORDS = ("replica", "lookup", "inputs", "None")

MQA = new_id()
UM = new_id()
UNIKL = new_id()


def mqa() -> CloudEvent:
    return agency_event(
        node="my",
        name="Malaysian Qualifications Agency",
        acronym="MQA",
        country="MY",
        agency_id=MQA,
        registrations=[("national", date(2007, 11, 1), None)],
    )


def malaya(**changes: Any) -> CloudEvent:
    values: dict[str, Any] = {
        "node": "my",
        "name": "Universiti Malaya",
        "country": "MY",
        "institution_id": UM,
        "city": "Kuala Lumpur",
        "names": [
            {"value": "Universiti Malaya", "lang": "ms", "kind": "official"},
            {"value": "University of Malaya", "lang": "en", "kind": "english"},
            {"value": "UM", "lang": None, "kind": "acronym"},
        ],
        "founded_on": date(1949, 10, 8),
    }
    return institution_event(**(values | changes))


def kuala_lumpur_university() -> CloudEvent:
    return institution_event(
        node="my",
        name="Universiti Kuala Lumpur",
        country="MY",
        institution_id=UNIKL,
        city="Kuala Lumpur",
        names=[
            {"value": "Universiti Kuala Lumpur", "lang": "ms", "kind": "official"},
            {"value": "University of Kuala Lumpur", "lang": "en", "kind": "english"},
            {"value": "UniKL", "lang": None, "kind": "acronym"},
        ],
        founded_on=date(2002, 8, 20),
    )


def accreditation(
    start: date, end: date, decision: str = "positive", institution: Any = UM, **extra: Any
) -> CloudEvent:
    return evaluation_event(
        node="my",
        agency_id=str(MQA),
        institution_ids=[str(institution)],
        decision=decision,
        valid_from=start,
        valid_to=end,
        **extra,
    )


def bachelor(awarded_on: str, **changes: Any) -> dict[str, Any]:
    return {
        "institution_id": str(UM),
        "country": "MY",
        "title": "Bachelor of Computer Science",
        "level": "MQF:6",
        "credits": 130,
        "credit_system": "MY",
        "mode": "full-time",
        "awarded_on": awarded_on,
    } | changes


async def assessed(node: RecognitionNode, qualification: dict[str, Any]) -> dict[str, Any]:
    case = await node.open_case(qualification, "CNDL:xueshi")
    await node.complete(case["id"])
    result = await node.assess(case["id"])
    assert_plain(result)
    return result


def finding(result: dict[str, Any], aspect: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in result["findings"] if f["aspect"] == aspect)
    return found


def assert_plain(result: dict[str, Any]) -> None:
    """Every sentence an applicant reads: no record ids, no internal words (issue 15)."""
    sentences = [f["summary"] for f in result["findings"]]
    sentences += [d["description"] for d in result["substantial_differences"]]
    for sentence in sentences:
        assert not sentence[0].islower() and sentence.endswith("."), sentence
    for sentence in sentences + result["conditions"]:
        assert not UUID.search(sentence), sentence
        assert not any(word in sentence for word in INTERNAL_WORDS), sentence


async def quality_node(services: ServiceLauncher, *events: CloudEvent) -> RunningService:
    quality = await services.quality("cn-q")
    runtime = quality.runtime
    assert runtime.apply_events is not None
    async with runtime.database.session() as session:
        await runtime.apply_events(session, events)  # as its consumers apply a fetched batch
    return quality


async def test_a_later_negative_decision_in_force_at_the_award_date_refuses(
    services: ServiceLauncher, start_recognition: StartNode
) -> None:
    """The issue's first case: positive 2015-2025, negative 2020-2026, award 2021-06-30."""
    positive = accreditation(
        date(2015, 1, 1), date(2025, 12, 31), local_identifier="MQA-I-2015-0001"
    )
    negative = accreditation(
        date(2020, 1, 1), date(2026, 12, 31), "negative", local_identifier="MQA-I-2020-0042"
    )
    events = [malaya(), mqa(), positive, negative]
    quality = await quality_node(services, *events)
    node = await start_recognition("cn", sqlite=True)
    await node.apply(*events)

    status = await quality.client.get(
        "/v1/quality/status", params={"institution": str(UM), "at": "2021-06-30"}
    )
    assert status.json()["status"] == "not accredited"
    result = await assessed(node, bachelor("2021-06-30"))

    assert result["recommendation"] == "refused"
    quality_finding = finding(result, "quality")
    assert quality_finding["outcome"] == "negative"
    assert quality_finding["data"]["status"] == status.json()["status"]
    [difference] = result["substantial_differences"]
    assert difference["element"] == "quality"
    text = difference["description"]
    assert "not accredited on the award date 2021-06-30" in text
    assert "MQA's institutional evaluation MQA-I-2020-0042" in text
    assert "negative, valid 2020-01-01 to 2026-12-31" in text
    assert "it supersedes the earlier positive result, MQA's institutional evaluation " in text
    assert "MQA-I-2015-0001 (positive, valid 2015-01-01 to 2025-12-31)" in text
    # Before the negative decision, the same institution was accredited.
    earlier = await assessed(node, bachelor("2019-06-30"))
    assert earlier["recommendation"] == "recognised"
    assert "MQA-I-2015-0001" in finding(earlier, "quality")["summary"]


async def test_a_free_text_name_resolves_to_the_institution_the_directory_chooses(
    start_recognition: StartNode,
) -> None:
    """ "Univ. Malaya, Kuala Lumpur, Malaysia" is the University of Malaya, not the University
    of Kuala Lumpur: the assessment names whom the directory's matcher names."""
    node = await start_recognition("cn", sqlite=True, directory=True)
    await node.apply(
        malaya(),
        kuala_lumpur_university(),
        mqa(),
        accreditation(date(2015, 1, 1), date(2025, 12, 31)),
    )
    text = "Univ. Malaya, Kuala Lumpur, Malaysia"
    assert node.directory is not None
    directory_url = node.settings.institutions_url
    assert directory_url is not None
    async with httpx.AsyncClient(base_url=directory_url) as client:
        matched = (await client.get("/v1/institutions/match", params={"affiliation": text})).json()
    chosen = [item["institution"]["id"] for item in matched["items"] if item["chosen"]]
    assert chosen == [str(UM)]

    result = await assessed(
        node, bachelor("2020-06-30", institution_id=None, institution_name=text)
    )
    identity = finding(result, "identity")
    assert identity["outcome"] == "positive"
    assert identity["evidence"][0]["id"] == str(UM)
    assert f"identified by the directory from “{text}”" in identity["summary"]
    assert result["recommendation"] == "recognised"


async def test_an_institution_not_in_the_directory_is_a_substantial_difference(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(malaya(), mqa())
    result = await assessed(node, bachelor("2020-06-30", institution_id=str(new_id())))
    assert result["recommendation"] == "refused"
    assert finding(result, "identity")["outcome"] == "negative"
    [difference] = result["substantial_differences"]
    assert difference["element"] == "quality"
    assert "is not in this node's directory" in difference["description"]


async def test_an_unidentifiable_free_text_name_is_a_substantial_difference(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True, directory=True)
    await node.apply(malaya(), kuala_lumpur_university(), mqa())
    result = await assessed(
        node, bachelor("2020-06-30", institution_id=None, institution_name="Atlantis Polytechnic")
    )
    assert result["recommendation"] == "refused"
    assert [d["element"] for d in result["substantial_differences"]] == ["quality"]
    assert "“Atlantis Polytechnic”" in result["substantial_differences"][0]["description"]


async def test_a_degree_awarded_after_the_institution_closed_is_refused(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(
        malaya(status="closed", closed_on=date(2015, 12, 31)),
        mqa(),
        accreditation(date(2010, 1, 1), date(2015, 12, 31)),
    )
    result = await assessed(node, bachelor("2018-06-30"))
    assert result["recommendation"] == "refused"
    descriptions = " ".join(d["description"] for d in result["substantial_differences"])
    assert "closed on 2015-12-31, before the degree was awarded on 2018-06-30" in descriptions


async def test_no_qa_result_covering_the_award_date_is_a_substantial_difference(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(malaya(), mqa(), accreditation(date(2022, 1, 1), date(2027, 12, 31)))
    result = await assessed(node, bachelor("2020-06-30"))
    assert result["recommendation"] == "refused"
    [difference] = result["substantial_differences"]
    assert difference["element"] == "quality"
    assert "No QA result covers the award date 2020-06-30" in difference["description"]
    assert "starts later" in difference["description"]
    assert "valid 2022-01-01 to 2027-12-31" in difference["description"]


async def test_withdrawn_and_hidden_evaluations_do_not_count(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(
        malaya(),
        mqa(),
        accreditation(date(2015, 1, 1), date(2025, 12, 31)),
        accreditation(date(2019, 1, 1), date(2024, 12, 31), "negative", withdrawn=True),
    )
    result = await assessed(node, bachelor("2020-06-30"))
    assert result["recommendation"] == "recognised"  # a withdrawn negative decides nothing

    other = await start_recognition("cn", sqlite=True)
    await other.apply(
        malaya(), mqa(), accreditation(date(2015, 1, 1), date(2025, 12, 31), flag="high")
    )
    hidden = await assessed(other, bachelor("2020-06-30"))
    assert hidden["recommendation"] == "refused"  # a hidden positive accredits nothing
    assert finding(hidden, "quality")["data"]["status"] == "none"


@pytest.mark.parametrize(
    ("credits", "expected"),
    [
        (174.5, "The workload of 174.5 ECTS (174.5 ECTS credits"),
        (180, "The workload of 180 ECTS (180 ECTS credits"),
        (250, "The workload of 250 ECTS (250 ECTS credits"),
    ],
)
async def test_the_workload_is_compared_with_the_norm_correctly(
    start_recognition: StartNode, credits: float, expected: str
) -> None:
    """174.5 ECTS is below the 180-240 ECTS norm of a bachelor's; 180 is within it; 250 is above
    it, and more than the norm is never a difference."""
    node = await start_recognition("cn", sqlite=True)
    await node.apply(malaya(), mqa(), accreditation(date(2015, 1, 1), date(2025, 12, 31)))
    result = await assessed(node, bachelor("2020-06-30", credits=credits, credit_system="ECTS"))
    summary = finding(result, "workload")["summary"]
    assert summary.startswith(expected), summary
    norm = "the 180\N{EN DASH}240 ECTS norm"
    if credits < 180:
        assert f"is below {norm}" in summary and "meets" not in summary
    elif credits <= 240:
        assert f"meets the norm, within {norm}" in summary
    else:
        assert f"meets the norm, above {norm}" in summary
    assert result["recommendation"] == "recognised"
    assert result["substantial_differences"] == []


async def test_a_directory_that_cannot_be_asked_is_a_503_problem_not_a_guess(
    start_recognition: StartNode,
) -> None:
    """Without the node's matcher, a free-text name is not guessed at: the officer gets a
    problem to retry (or names the institution by id), and the case stays as it was."""
    node = await start_recognition("cn", sqlite=True, institutions_url=unused_url())
    await node.apply(malaya(), mqa())
    case = await node.open_case(
        bachelor("2020-06-30", institution_id=None, institution_name="Univ. Malaya"),
        "CNDL:xueshi",
    )
    await node.complete(case["id"])
    response = await node.client.post(
        f"/v1/recognition/cases/{case['id']}/assessment", headers=node.headers
    )
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "directory did not answer" in response.json()["detail"]
    status = await node.client.get(f"/v1/recognition/cases/{case['id']}", headers=node.headers)
    assert status.json()["status"] == "complete"
