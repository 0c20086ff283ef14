"""Cases in the audit trail and under idempotency keys: every step of a case is an entry that
references the case, and none of the applicant's data reaches the log; a stored response that
held the applicant is blanked when the applicant is erased."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shared.audit import entries, verify_chain
from shared.auth import Role
from shared.idempotency import REPLAYED_HEADER, keys
from tests.recognition.conftest import APPLICANT, APPLICANT_VALUES, DOCUMENTS, StartNode
from tests.recognition.test_cases import QUALIFICATION


async def rows_of(node: Any, table: Any) -> list[dict[str, Any]]:
    async with node.running.runtime.database.engine.connect() as connection:
        return [dict(row) for row in (await connection.execute(select(table))).mappings()]


def case_body() -> dict[str, Any]:
    return {
        "applicant": APPLICANT,
        "purpose": "further_study",
        "qualification": QUALIFICATION,
        "target_level": "CNDL:xueshi",
        "documents": DOCUMENTS,
    }


async def test_a_cases_steps_are_audited_by_reference_only(start_recognition: StartNode) -> None:
    node = await start_recognition("cn")
    case = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    await node.move(case["id"], "submitted", "complete")
    erased = await node.client.delete(
        f"/v1/recognition/cases/{case['id']}/applicant", headers=node.headers
    )
    assert erased.status_code == 200, erased.text

    admin = node.token(Role.NODE_ADMIN)
    log = await node.client.get(
        "/v1/recognition/audit", params={"record_type": "case"}, headers=admin
    )
    assert log.status_code == 200, log.text
    steps = [
        (i["action"], i["version_before"], i["version_after"])
        for i in reversed(log.json()["items"])
    ]
    assert steps == [
        ("case.created", None, 1),
        ("case.updated", 1, 2),
        ("case.updated", 2, 3),
        ("case.updated", 3, 4),
    ]
    assert {i["record_id"] for i in log.json()["items"]} == {case["id"]}
    assert {i["actor_client_id"] for i in log.json()["items"]} == {"recognition_officer-1"}

    stored = repr(await rows_of(node, entries))
    for value in APPLICANT_VALUES:
        assert value not in stored
    async with node.running.runtime.database.engine.connect() as connection:
        assert (await verify_chain(connection)).ok


async def test_a_replayed_case_creation_opens_one_case_and_erasure_blanks_the_replay(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn")
    headers = node.headers | {"Idempotency-Key": "case-intake-0001"}
    first = await node.client.post("/v1/recognition/cases", json=case_body(), headers=headers)
    again = await node.client.post("/v1/recognition/cases", json=case_body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers[REPLAYED_HEADER] == "true"
    assert again.json() == first.json()
    listed = await node.client.get("/v1/recognition/cases", headers=node.headers)
    assert [c["id"] for c in listed.json()["items"]] == [first.json()["id"]]

    erased = await node.client.delete(
        f"/v1/recognition/cases/{first.json()['id']}/applicant", headers=node.headers
    )
    assert erased.status_code == 200

    stored = repr(await rows_of(node, keys))
    for value in APPLICANT_VALUES:
        assert value not in stored
    after = await node.client.post("/v1/recognition/cases", json=case_body(), headers=headers)
    assert after.status_code == 201
    assert after.headers[REPLAYED_HEADER] == "true"
    assert after.headers["Location"] == first.headers["Location"]
    assert "erased" in after.json()["detail"]
    for value in APPLICANT_VALUES:
        assert value not in after.text
