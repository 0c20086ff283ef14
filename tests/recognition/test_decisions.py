"""Decisions and appeals: the rules a decision must satisfy, the anonymised event it
publishes, the public precedents (this node's and other nodes'), appeals."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from nats.aio.client import Client as NatsClient
from sqlalchemy import update

from services.recognition.cases.models import RecognitionCase
from shared.db import utcnow
from tests.conftest import eventually, stream_events, stream_message_count
from tests.recognition.conftest import RecognitionNode, StartNode
from tests.recognition.factories import decision_event
from tests.recognition.test_assessment_golden import malaysian_directory, my_bachelor


async def _assessed(node: RecognitionNode, **changes: Any) -> str:
    case = await node.open_case(my_bachelor(**changes), "CNDL:xueshi")
    await node.complete(case["id"])
    await node.assess(case["id"])
    return str(case["id"])


async def _decide(node: RecognitionNode, case_id: str, body: dict[str, Any]) -> Any:
    return await node.client.post(
        f"/v1/recognition/cases/{case_id}/decision", json=body, headers=node.headers
    )


async def test_a_decision_needs_its_reasons(start_recognition: StartNode) -> None:
    node = await start_recognition("cn")
    await node.apply(*malaysian_directory())
    case_id = await _assessed(node)  # recommended: recognised
    basis = {"kind": "bilateral agreement", "reference": "cn-my-2011"}
    refusals = [
        ({"outcome": "conditional", "legal_basis": basis}, "justification is required"),
        (
            {"outcome": "refused", "legal_basis": basis, "justification": "x" * 10},
            "at least one substantial difference",
        ),
        (
            {"outcome": "recognised", "legal_basis": {"kind": "bilateral agreement"}},
            "needs the agreement's id",
        ),
        (
            {
                "outcome": "recognised",
                "legal_basis": {"kind": "bilateral agreement", "reference": "nowhere-1999"},
            },
            "is not known",
        ),
    ]
    for body, message in refusals:
        response = await _decide(node, case_id, body)
        assert response.status_code == 422, response.text
        assert message in response.json()["detail"]
    missing_basis = await _decide(node, case_id, {"outcome": "recognised"})
    assert missing_basis.status_code == 422
    accepted = await _decide(node, case_id, {"outcome": "recognised", "legal_basis": basis})
    assert accepted.status_code == 201, accepted.text
    decision = accepted.json()
    assert decision["recommendation"] == "recognised"
    assert decision["comparable_level"] == "CNDL:xueshi"


async def test_a_refusal_with_a_substantial_difference_is_accepted(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn")
    await node.apply(*malaysian_directory())
    case_id = await _assessed(node)
    response = await _decide(
        node,
        case_id,
        {
            "outcome": "refused",
            "legal_basis": {"kind": "national law"},
            "justification": "the transcript shows a programme of a different profile",
            "substantial_differences": [{"element": "profile", "description": "vocational track"}],
        },
    )
    assert response.status_code == 201, response.text
    published = await node.client.get(f"/v1/recognition/decisions/{response.json()['id']}")
    reasons = published.json()["reasons"]
    assert "substantial difference in profile" in reasons
    assert "the decision departs from the recommendation 'recognised'" in reasons
    assert "vocational track" not in published.text  # the officer's free text stays here


async def test_deciding_publishes_the_anonymised_decision_and_appeals_republish_it(
    start_recognition: StartNode, nats_client: NatsClient
) -> None:
    node = await start_recognition("cn")
    await node.running.wait_connected()
    await node.apply(*malaysian_directory())
    case_id = await _assessed(node, credits=85)  # conditional
    decided = await _decide(
        node,
        case_id,
        {
            "outcome": "conditional",
            "legal_basis": {"kind": "bilateral agreement", "reference": "cn-my-2011"},
            "conditions": ["bridging course in algorithms"],
        },
    )
    assert decided.status_code == 201, decided.text
    decision_id = decided.json()["id"]

    async def published_events() -> list[Any]:
        if not await stream_message_count(nats_client, node.node):
            return []  # `stream_events` cannot read an empty stream
        events = await stream_events(nats_client, node.node)
        return [e for _, e in events if e.type == "recognition.decision.published.v1"]

    events = await eventually(published_events, what="the decision event")
    event = events[0]
    assert event.subject == decision_id and event.aggregateversion == 1
    assert set(event.data) == {
        "id",
        "origin_node",
        "institution_id",
        "institution_name",
        "qualification",
        "programme_level",
        "origin_country",
        "host_country",
        "outcome",
        "comparable_level",
        "reasons",
        "legal_basis",
        "decided_on",
        "processing_days",
    }
    # Complete and decided on the same day: no day between them (BRIEF §3's clock).
    assert event.data["processing_days"] == 0
    assert event.data["institution_name"] == "Universiti Malaya"
    assert event.data["outcome"] == "conditional"
    assert event.data["legal_basis"] == "bilateral agreement cn-my-2011"
    assert event.data["origin_country"] == "MY" and event.data["host_country"] == "CN"

    lodged = await node.client.post(
        f"/v1/recognition/cases/{case_id}/appeal",
        json={"grounds": "the bridging course was completed"},
        headers=node.headers,
    )
    assert lodged.status_code == 201
    granted_without_outcome = await node.client.post(
        f"/v1/recognition/cases/{case_id}/appeal/outcome",
        json={"outcome": "granted", "justification": "course completed"},
        headers=node.headers,
    )
    assert granted_without_outcome.status_code == 422
    granted = await node.client.post(
        f"/v1/recognition/cases/{case_id}/appeal/outcome",
        json={
            "outcome": "granted",
            "new_outcome": "recognised",
            "justification": "course completed",
        },
        headers=node.headers,
    )
    assert granted.status_code == 200, granted.text
    events = await eventually(lambda: _newer(published_events), what="the re-published decision")
    assert events[-1].aggregateversion == 2 and events[-1].data["outcome"] == "recognised"
    public = (await node.client.get(f"/v1/recognition/decisions/{decision_id}")).json()
    assert public["version"] == 2 and public["outcome"] == "recognised"


async def _newer(probe: Any) -> list[Any]:
    events = await probe()
    return events if len(events) >= 2 else []


async def test_precedents_are_public_filterable_and_include_other_nodes(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn")
    await node.apply(*malaysian_directory())
    case_id = await _assessed(node)
    own = await _decide(
        node,
        case_id,
        {
            "outcome": "recognised",
            "legal_basis": {"kind": "bilateral agreement", "reference": "cn-my-2011"},
        },
    )
    assert own.status_code == 201
    peer = decision_event(
        node="de",
        institution_id=None,
        institution_name="Universiti Malaya",
        qualification="Bachelor of Science",
        programme_level="MQF:6",
        origin_country="MY",
        host_country="DE",
        outcome="alternative",
        comparable_level="DQR:5",
        decided_on=date(2025, 1, 10),
    )
    await node.apply(peer)
    # A stale version of the same decision changes nothing.
    stale = decision_event(
        node="de",
        institution_id=None,
        institution_name="changed",
        qualification="x",
        programme_level="MQF:6",
        origin_country="MY",
        host_country="DE",
        outcome="refused",
        comparable_level=None,
        decided_on=date(2025, 1, 10),
        decision_id=None,
        version=1,
    )
    stale_same = stale.model_copy(
        update={"data": stale.data | {"id": peer.subject}, "subject": peer.subject}
    )
    await node.apply(stale_same)

    async def ids(**params: str) -> list[str]:
        response = await node.client.get("/v1/recognition/decisions", params=params)
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    everything = await ids()
    assert everything == [own.json()["id"], peer.subject]  # newest first
    assert await ids(host_country="DE") == [peer.subject]
    assert await ids(origin_country="my", level="mqf:6") == everything
    assert await ids(outcome="alternative") == [peer.subject]
    assert await ids(origin_node="de") == [peer.subject]
    assert await ids(outcome="refused") == []
    first_page = await node.client.get("/v1/recognition/decisions", params={"limit": 1})
    cursor = first_page.json()["next_cursor"]
    second = await node.client.get(
        "/v1/recognition/decisions", params={"limit": 1, "cursor": cursor}
    )
    assert [i["id"] for i in second.json()["items"]] == [peer.subject]
    peer_public = (await node.client.get(f"/v1/recognition/decisions/{peer.subject}")).json()
    assert peer_public["institution_name"] == "Universiti Malaya"
    assert peer_public["origin_node"] == "de"


async def test_a_law_named_in_full_is_stored_and_published_in_full(
    start_recognition: StartNode,
) -> None:
    law = (
        "Gesetz über die Hochschulen im Land Nordrhein-Westfalen (Hochschulgesetz - HG) vom "
        "16. September 2014, § 63a (Anerkennung von Prüfungsleistungen und Studienabschlüssen)"
    )
    node = await start_recognition("de")
    await node.apply(*malaysian_directory())
    case = await node.open_case(my_bachelor(), "DQR:6")
    await node.complete(case["id"])
    await node.assess(case["id"])
    response = await _decide(
        node,
        case["id"],
        {
            "outcome": "refused",
            "legal_basis": {"kind": "national law", "reference": law},
            "justification": "the programme's profile differs substantially",
            "substantial_differences": [{"element": "profile", "description": "vocational"}],
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["legal_basis_reference"] == law
    published = await node.client.get(
        "/v1/recognition/decisions", params={"origin_node": node.node}
    )
    assert [d["legal_basis"] for d in published.json()["items"]] == [f"national law: {law}"]


async def test_a_published_decision_carries_the_days_from_complete_to_the_decision(
    start_recognition: StartNode,
) -> None:
    """BRIEF §3: the deadline's clock starts when the file is "complete"; the processing time
    published is the days from that day to the decision date."""
    node = await start_recognition("cn")
    await node.apply(*malaysian_directory())
    case_id = await _assessed(node)
    # The file was complete 45 days ago (set here, as if the case had waited that long).
    completed_on = utcnow().date() - timedelta(days=45)
    async with node.running.runtime.database.session() as session:
        await session.execute(
            update(RecognitionCase)
            .where(RecognitionCase.id == uuid.UUID(case_id))
            .values(completed_on=completed_on)
        )
    decided = await _decide(
        node,
        case_id,
        {
            "outcome": "recognised",
            "legal_basis": {"kind": "bilateral agreement", "reference": "cn-my-2011"},
        },
    )
    assert decided.status_code == 201, decided.text
    public = (await node.client.get(f"/v1/recognition/decisions/{decided.json()['id']}")).json()
    decided_on = date.fromisoformat(public["decided_on"])
    assert public["processing_days"] == (decided_on - completed_on).days
    assert public["processing_days"] in (45, 46)  # 46 only if midnight passed in between
    listed = (await node.client.get("/v1/recognition/decisions")).json()["items"]
    assert [i["processing_days"] for i in listed] == [public["processing_days"]]


async def test_a_peers_decision_without_processing_days_still_applies(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn")
    fields: dict[str, Any] = {
        "node": "de",
        "institution_id": None,
        "institution_name": "Universiti Malaya",
        "qualification": "Bachelor of Science",
        "programme_level": "MQF:6",
        "origin_country": "MY",
        "host_country": "DE",
        "outcome": "recognised",
        "comparable_level": "DQR:6",
        "decided_on": date(2025, 3, 3),
    }
    older = decision_event(**fields)  # as published before the field was carried
    assert "processing_days" not in older.data
    await node.apply(older)
    public = await node.client.get(f"/v1/recognition/decisions/{older.subject}")
    assert public.status_code == 200, public.text
    assert public.json()["processing_days"] is None
    assert public.json()["outcome"] == "recognised"
    # Its next version, from a peer that carries it, sets it.
    newer = decision_event(
        **fields, decision_id=uuid.UUID(older.subject), version=2, processing_days=61
    )
    await node.apply(newer)
    public = await node.client.get(f"/v1/recognition/decisions/{older.subject}")
    assert public.json()["processing_days"] == 61 and public.json()["version"] == 2
