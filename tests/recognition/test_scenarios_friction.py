"""Less friction (issue 15 item 7): a node admin may act as a recognition officer, audited as
such; a decision's validation returns every error at once."""

from __future__ import annotations

import pytest

from shared.auth import Role
from tests.recognition.conftest import StartNode
from tests.recognition.test_assessment_golden import malaysian_directory, my_bachelor


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


async def test_a_node_admin_acts_as_an_officer_and_is_audited_as_such(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(*malaysian_directory())
    admin = node.token(Role.NODE_ADMIN)
    node.headers = admin  # every step below as the node admin
    case = await node.open_case(my_bachelor(), "CNDL:xueshi")
    await node.complete(case["id"])
    assessment = await node.assess(case["id"])
    decided = await node.client.post(
        f"/v1/recognition/cases/{case['id']}/decision",
        json={
            "outcome": assessment["recommendation"],
            "legal_basis": assessment["suggested_legal_basis"],
        },
        headers=admin,
    )
    assert decided.status_code == 201, decided.text

    log = await node.client.get(
        "/v1/recognition/audit", params={"record_type": "case"}, headers=admin
    )
    assert log.status_code == 200, log.text
    entries = log.json()["items"]
    assert entries
    assert {(e["actor_client_id"], e["actor_roles"]) for e in entries} == {
        ("node_admin-1", "node_admin as recognition_officer")
    }
    # An officer's own writes keep the officer's role alone.
    officer_case = await node.client.post(
        "/v1/recognition/cases",
        json={
            "applicant": {"given_name": "A", "family_name": "B"},
            "purpose": "other",
            "qualification": my_bachelor(),
            "target_level": "CNDL:xueshi",
        },
        headers=node.token(),
    )
    assert officer_case.status_code == 201, officer_case.text
    log = await node.client.get(
        "/v1/recognition/audit",
        params={"record_type": "case", "record_id": officer_case.json()["id"]},
        headers=admin,
    )
    assert {e["actor_roles"] for e in log.json()["items"]} == {"recognition_officer"}


async def test_a_decisions_errors_come_all_at_once(start_recognition: StartNode) -> None:
    node = await start_recognition("cn", sqlite=True)
    await node.apply(*malaysian_directory())
    case = await node.open_case(my_bachelor(), "CNDL:xueshi")
    await node.complete(case["id"])
    await node.assess(case["id"])  # recommended: recognised
    response = await node.client.post(
        f"/v1/recognition/cases/{case['id']}/decision",
        json={
            "outcome": "refused",  # needs a justification and a substantial difference
            "comparable_level": "CNDL:benke",  # not a level of the Chinese ladder
            "legal_basis": {"kind": "LRC"},  # neither China nor Malaysia is a party
        },
        headers=node.headers,
    )
    assert response.status_code == 422, response.text
    paths = {e["path"] for e in response.json()["errors"]}
    assert paths == {
        "body.justification",
        "body.substantial_differences",
        "body.comparable_level",
        "body.legal_basis",
    }
