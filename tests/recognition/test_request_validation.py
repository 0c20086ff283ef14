"""What the recognition API refuses although lax parsing would take it: conformance testing
(tests/conformance) found a number accepted as a date and as a boolean."""

from __future__ import annotations

import pytest

from tests.recognition.conftest import APPLICANT, StartNode

QUALIFICATION = {
    "institution_name": "Universiti Malaya",
    "country": "MY",
    "title": "Bachelor of Computer Science",
    "level": "MQF:6",
    "awarded_on": "2020-06-30",
}


async def test_agreements_in_force_on_a_day_need_a_day(start_recognition: StartNode) -> None:
    node = await start_recognition("cn", sqlite=True)

    in_force = await node.client.get("/v1/recognition/agreements?in_force_on=2024-06-01")
    epoch = await node.client.get("/v1/recognition/agreements?in_force_on=0")

    assert in_force.status_code == 200
    assert epoch.status_code == 422
    assert epoch.headers["content-type"] == "application/problem+json"
    assert epoch.json()["errors"][0]["path"] == "query.in_force_on"


@pytest.mark.parametrize(
    ("field", "value"), [("awarded_on", 0), ("awarded_on", "0"), ("transnational", 0)]
)
async def test_a_case_refuses_numbers_for_dates_and_booleans(
    start_recognition: StartNode, field: str, value: object
) -> None:
    node = await start_recognition("cn", sqlite=True)
    body = {
        "applicant": APPLICANT,
        "purpose": "further_study",
        "qualification": QUALIFICATION | {field: value},
        "target_level": "CNDL:xueshi",
    }

    refused = await node.client.post("/v1/recognition/cases", json=body, headers=node.headers)

    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["path"] == f"body.qualification.{field}"
    listed = await node.client.get("/v1/recognition/cases", headers=node.headers)
    assert listed.json()["items"] == []
