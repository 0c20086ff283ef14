"""Cases on SQLite and PostgreSQL: the state machine and its history, every illegal
transition (409), who may touch a case (403), deadlines and the overdue list, erasure."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.recognition.cases.models import CaseStatus
from services.recognition.cases.service import add_months
from shared.auth import Role
from shared.db import utcnow
from tests.recognition.conftest import APPLICANT, APPLICANT_VALUES, RecognitionNode, StartNode
from tests.recognition.test_case_states_rules import LEGAL

QUALIFICATION = {
    "institution_name": "Universiti Malaya",
    "country": "MY",
    "title": "Bachelor of Computer Science",
    "level": "MQF:6",
    "credits": 130,
    "credit_system": "MY",
    "awarded_on": "2020-06-30",
}
THROUGH_THEIR_ENDPOINT = {"decided", "appealed", "appeal_decided"}
DECISION = {"outcome": "conditional", "legal_basis": {"kind": "national law"}}


def test_the_deadline_adds_calendar_months() -> None:
    assert add_months(date(2026, 1, 31), 4) == date(2026, 5, 31)
    assert add_months(date(2026, 10, 31), 4) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 26), 4) == date(2027, 3, 26)


async def _status(node: RecognitionNode, case_id: str, target: str) -> Any:
    return await node.client.post(
        f"/v1/recognition/cases/{case_id}/status",
        json={"to": target, "legal_reason": "testing a transition"},
        headers=node.headers,
    )


async def test_a_case_walks_the_whole_state_machine_and_refuses_every_illegal_step(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", directory=True)
    case = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    case_id = case["id"]
    assert case["status"] == "draft" and case["applicant"]["family_name"] == "Binti Tarudin"
    path = ["submitted", "incomplete", "submitted", "complete"]

    async def refuse_illegal(current: str) -> None:
        for target in CaseStatus:
            # The brief's moves, except those that need a decision or an appeal recorded.
            if (current, target.value) in LEGAL and target.value not in THROUGH_THEIR_ENDPOINT:
                continue
            response = await _status(node, case_id, target.value)
            assert response.status_code == 409, (current, target, response.text)
            assert response.headers["content-type"] == "application/problem+json"

    await refuse_illegal("draft")
    for target in path:
        await node.move(case_id, target)
        await refuse_illegal(target)
    await node.assess(case_id)  # complete → under_assessment
    await refuse_illegal("under_assessment")
    decided = await node.client.post(
        f"/v1/recognition/cases/{case_id}/decision",
        json=DECISION | {"justification": "documents confirm the programme"},
        headers=node.headers,
    )
    assert decided.status_code == 201, decided.text
    await refuse_illegal("decided")
    appeal = await node.client.post(
        f"/v1/recognition/cases/{case_id}/appeal", json={"grounds": "x"}, headers=node.headers
    )
    assert appeal.status_code == 201
    await refuse_illegal("appealed")
    outcome = await node.client.post(
        f"/v1/recognition/cases/{case_id}/appeal/outcome",
        json={"outcome": "dismissed", "justification": "the decision stands"},
        headers=node.headers,
    )
    assert outcome.status_code == 200, outcome.text
    await refuse_illegal("appeal_decided")

    final = (await node.client.get(f"/v1/recognition/cases/{case_id}", headers=node.headers)).json()
    history = [(h["from_status"], h["to_status"]) for h in final["history"]]
    assert history == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "incomplete"),
        ("incomplete", "submitted"),
        ("submitted", "complete"),
        ("complete", "under_assessment"),
        ("under_assessment", "decided"),
        ("decided", "appealed"),
        ("appealed", "appeal_decided"),
    ]
    assert all(
        h["actor"] == "recognition_officer-1" and h["legal_reason"] for h in final["history"]
    )
    # A second appeal, a decision after the fact, an assessment after the decision: 409.
    for path_, body in [
        ("appeal", {}),
        ("decision", DECISION),
        ("assessment", None),
    ]:
        response = await node.client.post(
            f"/v1/recognition/cases/{case_id}/{path_}", json=body, headers=node.headers
        )
        assert response.status_code == 409, (path_, response.text)


async def test_withdrawal_then_nothing_more(start_recognition: StartNode) -> None:
    node = await start_recognition("cn")
    case = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    await node.move(case["id"], "submitted", "complete", "withdrawn")
    for target in ("submitted", "complete", "draft", "withdrawn"):
        assert (await _status(node, case["id"], target)).status_code == 409
    response = await node.client.post(
        f"/v1/recognition/cases/{case['id']}/assessment", headers=node.headers
    )
    assert response.status_code == 409


async def test_only_this_nodes_recognition_officers_and_admin_touch_cases(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn")
    case = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    url = f"/v1/recognition/cases/{case['id']}"
    outsiders = {
        "another node's officer": node.token(Role.RECOGNITION_OFFICER, node="my"),
        "a university": node.token(Role.UNIVERSITY),
        "a registrar": node.token(Role.REGISTRAR),
        "a QA agency": node.token(Role.QA_AGENCY),
        "another node's admin": node.token(Role.NODE_ADMIN, node="my"),
    }
    for who, headers in outsiders.items():
        for method, path, body in [
            ("GET", url, None),
            ("GET", "/v1/recognition/cases", None),
            (
                "POST",
                "/v1/recognition/cases",
                {
                    "applicant": APPLICANT,
                    "purpose": "other",
                    "qualification": QUALIFICATION,
                    "target_level": "CNDL:xueshi",
                },
            ),
            ("POST", f"{url}/status", {"to": "submitted", "legal_reason": "complete file"}),
            ("POST", f"{url}/assessment", None),
            ("POST", f"{url}/decision", DECISION),
            ("DELETE", f"{url}/applicant", None),
        ]:
            response = await node.client.request(method, path, json=body, headers=headers)
            assert response.status_code == 403, (who, method, path, response.text)
            for value in APPLICANT_VALUES:
                assert value not in response.text
    anonymous = await node.client.get(url)
    assert anonymous.status_code == 401
    assert "Tarudin" not in anonymous.text


async def test_the_deadline_starts_at_complete_and_overdue_cases_are_listed(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", directory=True, deadline_months=2)
    today = utcnow().date()
    late = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    waiting = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    decided = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    assert (await node.move(waiting["id"], "submitted"))["deadline_on"] is None
    completed = await node.complete(late["id"])
    assert completed["completed_on"] == today.isoformat()
    deadline = add_months(today, 2)
    assert completed["deadline_on"] == deadline.isoformat()
    assert completed["overdue"] is False
    await node.complete(decided["id"])
    await node.assess(decided["id"])
    response = await node.client.post(
        f"/v1/recognition/cases/{decided['id']}/decision",
        json=DECISION | {"justification": "documents"},
        headers=node.headers,
    )
    assert response.status_code == 201

    async def overdue(as_of: date) -> set[str]:
        response = await node.client.get(
            "/v1/recognition/cases",
            params={"overdue": "true", "as_of": as_of.isoformat()},
            headers=node.headers,
        )
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert await overdue(today) == set()
    assert await overdue(deadline) == set()
    later = date.fromordinal(deadline.toordinal() + 1)
    assert await overdue(later) == {late["id"]}  # the decided one is not late
    listed = (await node.client.get("/v1/recognition/cases", headers=node.headers)).json()
    assert {i["id"] for i in listed["items"]} == {late["id"], waiting["id"], decided["id"]}
    assert "applicant" not in listed["items"][0]


async def test_erasure_removes_the_applicant_and_keeps_the_anonymised_decision(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", directory=True)
    case = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    await node.complete(case["id"])
    await node.assess(case["id"])
    decided = await node.client.post(
        f"/v1/recognition/cases/{case['id']}/decision",
        json=DECISION | {"justification": "documents confirm it"},
        headers=node.headers,
    )
    decision_id = decided.json()["id"]
    erased = await node.client.delete(
        f"/v1/recognition/cases/{case['id']}/applicant", headers=node.headers
    )
    assert erased.status_code == 200
    body = erased.json()
    assert body["applicant"] is None and body["documents"] == []
    assert body["applicant_erased_at"] is not None
    assert body["status"] == "decided"
    published = await node.client.get(f"/v1/recognition/decisions/{decision_id}")
    assert published.status_code == 200 and published.json()["outcome"] == "conditional"
    # Nothing of the applicant is left anywhere in the database.
    dump = await _dump_database(node)
    for value in APPLICANT_VALUES:
        assert value not in dump, value


async def _dump_database(node: RecognitionNode) -> str:
    from sqlalchemy import select

    from services.recognition.db import RecognitionBase

    parts = []
    async with node.running.runtime.database.session() as session:
        for table in RecognitionBase.metadata.sorted_tables:
            for row in await session.execute(select(table)):
                parts.append(repr(tuple(row)))
                parts.extend(
                    value.decode("utf-8", "replace") for value in row if isinstance(value, bytes)
                )
    return "\n".join(parts)
