"""Replicas kept from events arriving on the node's stream through the service's durable
consumers: by version (stale and duplicate events change nothing), from any origin."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from nats.aio.client import Client as NatsClient
from sqlalchemy import select

from services.recognition.events import apply_institution_states
from services.recognition.replicas.models import (
    EvaluationInstitutionReplica,
    InstitutionReplica,
)
from shared.event_routes import Applying
from shared.events import CloudEvent
from tests.conftest import eventually
from tests.recognition.conftest import RecognitionNode, StartNode
from tests.recognition.factories import agency_event, evaluation_event, institution_event


async def _publish(client: NatsClient, node: str, event: CloudEvent) -> None:
    # The node's own stream carries `evt.<node>.…`; the federation routes peers' events to
    # the same handlers, so only the subject's node differs from the record's origin.
    service, aggregate, action = event.type.split(".")[:3]
    subject = f"evt.{node}.{service}.{aggregate}.{action}"
    await client.jetstream().publish(subject, event.to_bytes(), headers={"Nats-Msg-Id": event.id})


async def _get(node: RecognitionNode, model: Any, key: Any) -> Any:
    async with node.running.runtime.database.session() as session:
        return await session.get(model, key)


async def test_events_on_the_stream_keep_the_replicas_by_version(
    start_recognition: StartNode, nats_client: NatsClient
) -> None:
    node = await start_recognition("cn")
    await node.running.wait_connected()
    institution_id = uuid.uuid4()
    v1 = institution_event(
        node="my", name="Universiti Malaya", country="MY", institution_id=institution_id
    )
    v3 = institution_event(
        node="my",
        name="Universiti Malaya (UM)",
        country="MY",
        institution_id=institution_id,
        status="active",
        version=3,
        names=[{"value": "University of Malaya", "kind": "english"}],
    )
    v2 = institution_event(
        node="my", name="stale name", country="MY", institution_id=institution_id, version=2
    )
    agency = agency_event(
        node="my",
        name="Malaysian Qualifications Agency",
        acronym="MQA",
        country="MY",
        registrations=[("national", date(2007, 1, 1), None)],
    )
    evaluation = evaluation_event(
        node="my",
        agency_id=agency.subject,
        institution_ids=[str(institution_id)],
        valid_from=date(2020, 1, 1),
        valid_to=date(2026, 1, 1),
    )
    for event in (v1, v3, v2, v3, agency, evaluation):
        await _publish(nats_client, node.node, event)

    async def applied() -> Any:
        record = await _get(node, InstitutionReplica, institution_id)
        link = await _get(
            node, EvaluationInstitutionReplica, (uuid.UUID(evaluation.subject), institution_id)
        )
        return record if record is not None and record.version == 3 and link else None

    record = await eventually(applied, what="the replicas")
    assert record.name == "Universiti Malaya (UM)" and record.origin_node == "my"
    assert [n["value"] for n in record.names] == ["University of Malaya"]


async def test_a_batch_of_institution_events_applies_as_one_by_one_would(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn")
    kept, added = uuid.uuid4(), uuid.uuid4()
    await node.apply(
        institution_event(node="my", name="Universiti Malaya", country="MY", institution_id=kept)
    )
    batch = [
        institution_event(
            node="my",
            name="Universiti Malaya (UM)",
            country="MY",
            institution_id=kept,
            version=3,
            names=[{"value": "University of Malaya", "kind": "english"}],
        ),
        institution_event(
            node="my", name="stale name", country="MY", institution_id=kept, version=2
        ),
        institution_event(node="my", name="Universiti Putra Malaysia", country="MY",
                          institution_id=added),
    ]  # fmt: skip
    runtime = node.running.runtime
    async with runtime.database.session() as session:
        applying = Applying(session, runtime.settings, runtime.publisher, None)
        await apply_institution_states(applying, batch)
        await apply_institution_states(applying, batch)  # again: nothing changes

    async with node.running.runtime.database.session() as session:
        records = {
            r.id: (r.name, r.version)
            for r in await session.scalars(
                select(InstitutionReplica).where(InstitutionReplica.id.in_([kept, added]))
            )
        }
    assert records == {kept: ("Universiti Malaya (UM)", 3), added: ("Universiti Putra Malaysia", 1)}
