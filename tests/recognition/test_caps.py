"""Caps on the recognition service's payloads: conditions, legal references and reasons;
over a cap is a 422 problem naming the field."""

from __future__ import annotations

import uuid

import httpx

from services.recognition import caps
from shared.auth import Role
from shared.caps import NOTE_MAX
from tests.recognition.conftest import StartNode


def failed_paths(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["path"] for error in response.json()["errors"]]


async def test_a_decision_is_capped_in_conditions_and_references(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    body = {
        "outcome": "conditional",
        "legal_basis": {"kind": "national law", "reference": "§" * (caps.REFERENCE_MAX + 1)},
        "justification": "j" * (caps.REASONING_MAX + 1),
        "conditions": ["c" * (NOTE_MAX + 1)],
    }
    response = await node.client.post(
        f"/v1/recognition/cases/{uuid.uuid4()}/decision", json=body, headers=node.headers
    )
    assert sorted(failed_paths(response)) == [
        "body.conditions.0",
        "body.justification",
        "body.legal_basis.reference",
    ]


async def test_an_agreement_is_capped_in_conditions(start_recognition: StartNode) -> None:
    node = await start_recognition("cn", sqlite=True)
    response = await node.client.post(
        "/v1/recognition/agreements",
        headers=node.token(Role.NODE_ADMIN),
        json={
            "title": "CN-TH",
            "kind": "bilateral",
            "parties": ["CN", "TH"],
            "levels": ["QF-EHEA:first"],
            "conditions": ["a condition"] * (caps.CONDITIONS_MAX + 1),
            "source": {"title": "test source"},
        },
    )
    assert failed_paths(response) == ["body.conditions"]
