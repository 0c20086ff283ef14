"""Agencies over HTTP: registered by the node admin for its countries, versioned, evented,
and read-only when they are another node's."""

from __future__ import annotations

import uuid

from nats.aio.client import Client as NatsClient

from services.quality.agencies.schemas import AgencyRead
from services.quality.agencies.service import AgencyService
from shared.db import utcnow
from tests.conftest import eventually, stream_events, stream_message_count
from tests.quality.conftest import QualityNode, agency_payload


async def test_node_admin_registers_and_updates_an_agency_with_events(
    quality: QualityNode, nats_client: NatsClient
) -> None:
    agency = await quality.create_agency(acronym="HEEC")
    assert agency["origin_node"] == quality.node
    assert agency["registrations"][0]["register"] == "national"

    listed = await quality.client.get("/v1/quality/agencies", params={"country": "cn"})
    assert [a["id"] for a in listed.json()["items"]] == [agency["id"]]

    url = f"/v1/quality/agencies/{agency['id']}"
    stale = await quality.client.patch(
        url, json={"name": "HEEC of the MoE"}, headers=quality.admin | {"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    updated = await quality.client.patch(
        url, json={"name": "HEEC of the MoE"}, headers=quality.admin | {"If-Match": '"1"'}
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert updated.headers["ETag"] == '"2"'

    async def published() -> list[str] | None:
        if await stream_message_count(nats_client, quality.node) < 2:
            return None
        events = await stream_events(nats_client, quality.node)
        return [e.type for _, e in events if e.subject == agency["id"]]

    types = await eventually(published, what="agency events")
    assert types == ["quality.agency.created.v1", "quality.agency.updated.v1"]
    events = await stream_events(nats_client, quality.node)
    last = next(e for subject, e in reversed(events) if e.subject == agency["id"])
    assert last.aggregateversion == 2
    expected = {"id", "origin_node", "name", "acronym", "country", "focus_countries"}
    assert expected | {"registrations", "activities", "framework", "updated_at"} <= set(last.data)


async def test_agency_writes_need_the_admin_and_the_country(quality: QualityNode) -> None:
    other = await quality.client.post(
        "/v1/quality/agencies", json=agency_payload(), headers=quality.agency_client(uuid.uuid4())
    )
    assert other.status_code == 403
    anonymous = await quality.client.post("/v1/quality/agencies", json=agency_payload())
    assert anonymous.status_code == 401
    foreign = await quality.client.post(
        "/v1/quality/agencies", json=agency_payload(country="DE"), headers=quality.admin
    )
    assert foreign.status_code == 403
    assert "DE" in foreign.json()["detail"]


async def test_another_nodes_agency_is_read_only_here(quality: QualityNode) -> None:
    replica = AgencyRead.model_validate(
        {
            "id": uuid.uuid4(),
            "origin_node": "my",
            "name": "Malaysian Qualifications Agency",
            "acronym": "MQA",
            "country": "MY",
            "registrations": [{"register": "AQAN", "valid_from": "2008-01-01"}],
            "framework": "national",
            "version": 3,
            "updated_at": utcnow(),
        }
    )
    async with quality.service.runtime.database.session() as session:
        runtime = quality.service.runtime
        service = AgencyService(session, runtime.publisher, runtime.settings)
        assert await service.apply_agency_state(replica, 3)

    url = f"/v1/quality/agencies/{replica.id}"
    assert (await quality.client.get(url)).json()["origin_node"] == "my"
    refused = await quality.client.patch(url, json={"name": "x"}, headers=quality.admin)
    assert refused.status_code == 403
    assert refused.json()["owner_node"] == "my"

    institution = await quality.add_institution("MY", origin_node="my")
    evaluation = {
        "agency_id": str(replica.id),
        "local_identifier": "MQA-1",
        "activity_type": "institutional",
        "decision": "positive",
        "valid_from": "2020-01-01",
        "institutions": [str(institution)],
    }
    submitted = await quality.client.post(
        "/v1/quality/evaluations", json=evaluation, headers=quality.admin
    )
    assert submitted.status_code == 403
    assert submitted.json()["owner_node"] == "my"
