"""Refuse what can't be used (issue 15 item 5): a case whose level, framework or credit system
the reference data does not know, or whose award date is in the future, is refused when it is
opened (422, listing the known or closest values), instead of being accepted and then
answered "advice: level sought not known" or "expired". A documented alias (`CN` for the
Chinese degree ladder `CNDL`) is accepted everywhere or nowhere."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.recognition.conftest import APPLICANT, RecognitionNode, StartNode
from tests.recognition.test_assessment_golden import malaysian_directory, my_bachelor


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


async def _open(node: RecognitionNode, qualification: dict[str, Any], target: str) -> Any:
    return await node.client.post(
        "/v1/recognition/cases",
        json={
            "applicant": APPLICANT,
            "purpose": "further_study",
            "qualification": qualification,
            "target_level": target,
        },
        headers=node.headers,
    )


def _errors(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return {e["path"]: e["message"] for e in response.json()["errors"]}


async def test_every_unusable_value_is_refused_at_once(start_recognition: StartNode) -> None:
    node = await start_recognition("cn", sqlite=True)
    in_2030 = "2030-06-30"
    errors = _errors(
        await _open(
            node,
            my_bachelor(level="MQF:13", credit_system="ID", awarded_on=in_2030),
            "CNDL:benke",
        )
    )
    assert set(errors) == {
        "body.target_level",
        "body.qualification.level",
        "body.qualification.credit_system",
        "body.qualification.awarded_on",
    }
    # The framework is known: its levels are listed (the Chinese degree ladder: zhuanke,
    # xueshi, shuoshi, boshi; the MQF: levels 1 to 8).
    for level in ("CNDL:zhuanke", "CNDL:xueshi", "CNDL:shuoshi", "CNDL:boshi"):
        assert level in errors["body.target_level"]
    for number in range(1, 9):
        assert f"MQF:{number}" in errors["body.qualification.level"]
    # Indonesia's credit system is the SKS: the closest code is named, with the known ones.
    assert "ID-SKS" in errors["body.qualification.credit_system"]
    assert "ECTS" in errors["body.qualification.credit_system"]
    assert in_2030 in errors["body.qualification.awarded_on"]


async def test_an_unknown_framework_lists_the_known_frameworks(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    errors = _errors(await _open(node, my_bachelor(level="MALAYSIA:6"), "CNDL:xueshi"))
    message = errors["body.qualification.level"]
    for framework in ("MQF", "CNDL", "EQF", "QF-EHEA", "AQRF"):
        assert framework in message
    assert "CN for CNDL" in message


async def test_an_award_date_after_today_is_refused(start_recognition: StartNode) -> None:
    node = await start_recognition("cn", sqlite=True)
    today = date.today()
    tomorrow = today + timedelta(days=2)  # never today, whatever the time zone
    refused = await _open(node, my_bachelor(awarded_on=tomorrow.isoformat()), "CNDL:xueshi")
    assert "body.qualification.awarded_on" in _errors(refused)
    accepted = await _open(
        node, my_bachelor(awarded_on=(today - timedelta(days=1)).isoformat()), "CNDL:xueshi"
    )
    assert accepted.status_code == 201, accepted.text


async def test_the_cn_alias_is_accepted_everywhere(start_recognition: StartNode) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(*malaysian_directory())
    # Opening the case: stored under the framework's code.
    case = await node.open_case(my_bachelor(), "CN:xueshi")
    assert case["target_level"] == "CNDL:xueshi"
    # The assessment knows the level sought (it would say "not known" if it did not).
    await node.complete(case["id"])
    assessment = await node.assess(case["id"])
    level = next(f for f in assessment["findings"] if f["aspect"] == "level")
    assert level["outcome"] == "positive", level
    assert assessment["comparable_level"] == "CNDL:xueshi"
    # The public comparison and the framework listing.
    compared = await node.client.get("/v1/frameworks/compare", params={"from": "MY:6", "to": "CN"})
    assert compared.status_code == 200, compared.text
    assert compared.json()["from"] == "MQF:6"
    assert compared.json()["result_levels"] == ["CNDL:xueshi"]
    frameworks = {f["code"]: f for f in (await node.client.get("/v1/frameworks")).json()}
    assert "CN" in frameworks["CNDL"]["aliases"]
    # The decision's comparable level.
    decided = await node.client.post(
        f"/v1/recognition/cases/{case['id']}/decision",
        json={
            "outcome": "recognised",
            "comparable_level": "cn:Xueshi",
            "legal_basis": {"kind": "bilateral agreement", "reference": "cn-my-2011"},
        },
        headers=node.headers,
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["comparable_level"] == "CNDL:xueshi"
