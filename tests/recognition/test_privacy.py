"""The privacy boundary: no event schema has a field that could hold a person, and no event
actually published, no log line, no public response and no error message carries any of the
applicant's values."""

from __future__ import annotations

from typing import Any

import pytest
from nats.aio.client import Client as NatsClient
from pydantic import BaseModel

from contracts.recognition import PublishedDecisionState
from services.recognition.catalogue.schemas import Agreement, FrameworkLevel
from shared.auth import Role
from tests.conftest import eventually, stream_events, stream_message_count
from tests.recognition.conftest import APPLICANT, APPLICANT_VALUES, StartNode
from tests.recognition.test_assessment_golden import malaysian_directory, my_bachelor

PERSONAL_WORDS = (
    "applicant",
    "person",
    "birth",
    "nationality",
    "email",
    "phone",
    "address",
    "contact",
    "passport",
    "document",
    "given_name",
    "family_name",
    "surname",
    "first_name",
    "last_name",
    "gender",
    "sex",
)
EVENT_SCHEMAS: list[type[BaseModel]] = [PublishedDecisionState, FrameworkLevel, Agreement]


def _field_names(schema: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.get("properties", {}).items():
            names.add(key)
            names |= _field_names(value)
        for value in schema.values():
            if isinstance(value, dict | list):
                names |= _field_names(value)
    elif isinstance(schema, list):
        for item in schema:
            names |= _field_names(item)
    return names


@pytest.mark.parametrize("model", EVENT_SCHEMAS, ids=lambda m: m.__name__)
def test_no_event_schema_has_a_personal_field(model: type[BaseModel]) -> None:
    names = _field_names(model.model_json_schema())
    assert names, "the schema has fields"
    offending = {n for n in names if any(word in n.lower() for word in PERSONAL_WORDS)}
    assert offending == set()


def _scan(text: str, where: str) -> None:
    for value in APPLICANT_VALUES:
        assert value not in text, f"{value!r} leaked into {where}"


def _keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


async def test_nothing_personal_leaves_the_case_tables(
    start_recognition: StartNode, nats_client: NatsClient, capfd: pytest.CaptureFixture[str]
) -> None:
    node = await start_recognition("cn", log_json=True, log_level="debug")
    await node.running.wait_connected()
    await node.apply(*malaysian_directory())
    admin = node.token(Role.NODE_ADMIN)

    # Every kind of event recognition publishes, once at least.
    level = await node.client.post(
        "/v1/frameworks/levels",
        headers=admin,
        json={
            "framework": "THQF",
            "level": "6",
            "rank": 6,
            "name": "Bachelor's degree",
            "framework_name": "Thai Qualifications Framework",
            "country": "TH",
            "references": [{"to": "AQRF:6", "basis": "official_referencing"}],
            "source": {"title": "test source", "verified": False},
        },
    )
    assert level.status_code == 201, level.text
    agreement = await node.client.post(
        "/v1/recognition/agreements",
        headers=admin,
        json={
            "title": "CN-TH test agreement",
            "kind": "bilateral",
            "parties": ["CN", "TH"],
            "in_force_on": "2020-01-01",
            "levels": ["QF-EHEA:first"],
            "source": {"title": "test source"},
        },
    )
    assert agreement.status_code == 201, agreement.text
    journeys = [
        (
            {
                "outcome": "recognised",
                "legal_basis": {"kind": "bilateral agreement", "reference": "cn-my-2011"},
            },
            {},
        ),
        (
            {
                "outcome": "refused",
                "legal_basis": {"kind": "national law"},
                "justification": f"{APPLICANT['given_name']} could not show the transcript",
                "substantial_differences": [
                    {
                        "element": "learning_outcomes",
                        "description": "Siti Nurhaliza's thesis is missing",
                    }
                ],
            },
            {"title": "Bachelor of Arts"},
        ),
    ]
    for decision, changes in journeys:
        case = await node.open_case(my_bachelor(**changes), "CNDL:xueshi")
        await node.complete(case["id"])
        await node.assess(case["id"])
        response = await node.client.post(
            f"/v1/recognition/cases/{case['id']}/decision", json=decision, headers=node.headers
        )
        assert response.status_code == 201, response.text
    await node.client.post(
        f"/v1/recognition/cases/{case['id']}/appeal",
        json={"grounds": "Siti Nurhaliza found the transcript"},
        headers=node.headers,
    )
    await node.client.post(
        f"/v1/recognition/cases/{case['id']}/appeal/outcome",
        json={
            "outcome": "granted",
            "new_outcome": "recognised",
            "justification": "transcript of Siti Nurhaliza Binti Tarudin received",
        },
        headers=node.headers,
    )

    # Error messages: a refused payload and a refused transition never echo the applicant.
    bad = await node.client.post(
        "/v1/recognition/cases",
        headers=node.headers,
        json={
            "applicant": APPLICANT | {"birth_date": "Siti Nurhaliza", "nationality": "Tarudin"},
            "purpose": "further_study",
            "qualification": my_bachelor(),
            "target_level": "CNDL:xueshi",
        },
    )
    assert bad.status_code == 422
    _scan(bad.text, "a validation error")
    conflict = await node.client.post(
        f"/v1/recognition/cases/{case['id']}/status",
        json={"to": "draft", "legal_reason": "Siti Nurhaliza asked"},
        headers=node.headers,
    )
    assert conflict.status_code == 409
    _scan(conflict.text, "a conflict")

    # Public endpoints.
    for path in (
        "/v1/recognition/decisions",
        "/v1/frameworks",
        "/v1/recognition/agreements",
        "/v1/frameworks/THQF",
    ):
        response = await node.client.get(path)
        assert response.status_code == 200
        _scan(response.text, path)

    # Every event this node published in the test.
    async def published() -> list[Any]:
        if await stream_message_count(nats_client, node.node) < 5:
            return []
        return await stream_events(nats_client, node.node)

    events = await eventually(published, what="all recognition events")
    types = {event.type for _, event in events}
    assert {
        "recognition.decision.published.v1",
        "recognition.framework_level.created.v1",
        "recognition.agreement.created.v1",
    } <= types
    for subject, event in events:
        _scan(event.to_bytes().decode(), f"event {event.type}")
        keys = _keys(event.data)
        assert not {k for k in keys if any(w in k.lower() for w in PERSONAL_WORDS)}, subject

    # Logs of the whole run.
    out, err = capfd.readouterr()
    assert err or out, "the service logged something"
    _scan(out + err, "the logs")
