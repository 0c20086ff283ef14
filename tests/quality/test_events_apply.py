"""Applying agency, evaluation and institution events of any origin: by version, idempotent,
order-tolerant; and the replicas they leave are read-only here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.quality.db import kernel_tables
from services.quality.institutions.models import InstitutionCopy
from shared.db import new_id, utcnow
from shared.events import CloudEvent, new_event
from shared.inbox import PermanentEventError
from shared.tracing import child_span, parse_traceparent, within
from tests.quality.conftest import QualityNode


def peer_event(aggregate: str, action: str, data: dict[str, Any], version: int) -> CloudEvent:
    return new_event(
        node="my", service="quality", aggregate=aggregate, action=action,
        subject=str(data["id"]), data=data, version=version,
    )  # fmt: skip


@dataclass
class PeerRecords:
    """A peer's institution (as its event), agency and evaluation of it (as event data)."""

    institution_id: uuid.UUID
    agency_id: uuid.UUID
    evaluation_id: uuid.UUID
    institution_event: CloudEvent
    agency: dict[str, Any]
    evaluation: dict[str, Any]


def peer_records() -> PeerRecords:
    agency_id, evaluation_id = new_id(), new_id()
    institution = new_id()
    institution_event = new_event(
        node="my", service="institutions", aggregate="institution", action="created",
        subject=str(institution), version=1,
        data={
            "id": str(institution), "origin_node": "my", "country": "MY", "name": "U Malaya",
            "status": "active", "identifiers": [{"resource": "ROR", "value": "00rzspn62"}],
            "updated_at": utcnow().isoformat(), "city": "Kuala Lumpur",
        },
    )  # fmt: skip
    agency = {
        "id": str(agency_id), "origin_node": "my", "name": "Malaysian Qualifications Agency",
        "acronym": "MQA", "country": "MY", "focus_countries": [],
        "registrations": [{"register": "AQAN", "valid_from": "2008-07-01", "valid_to": None,
                           "decision": "admission"}],
        "activities": [{"type": "programme"}], "framework": "AQAF",
        "updated_at": utcnow().isoformat(),
    }  # fmt: skip
    evaluation = {
        "id": str(evaluation_id), "origin_node": "my", "agency_id": str(agency_id),
        "local_identifier": "MQA-A-1", "contributing_agency_ids": [],
        "activity_type": "institutional", "status": "part of obligatory EQA system",
        "decision": "positive", "valid_from": "2019-01-01", "valid_to": "2024-12-31",
        "institution_ids": [str(institution)], "programmes": [], "flag": "none",
        "withdrawn_at": None, "updated_at": utcnow().isoformat(), "unknown_field": 1,
    }  # fmt: skip
    return PeerRecords(institution, agency_id, evaluation_id, institution_event, agency, evaluation)


async def test_peer_events_apply_by_version_and_stay_read_only(quality: QualityNode) -> None:
    runtime = quality.service.runtime
    apply_agency = runtime.apply_event
    apply_evaluation = runtime.apply_event
    records = peer_records()
    institution, agency_id, evaluation_id = (
        records.institution_id,
        records.agency_id,
        records.evaluation_id,
    )
    institution_event, agency, evaluation = (
        records.institution_event,
        records.agency,
        records.evaluation,
    )

    async def apply(handler: Any, event: CloudEvent) -> None:
        async with runtime.database.session() as session:
            await handler(session, event)

    await apply(runtime.apply_event, institution_event)
    await apply(apply_agency, peer_event("agency", "created", agency, 1))
    # Version 2 arrives before version 1: the late version 1 is ignored.
    await apply(
        apply_evaluation,
        peer_event("evaluation", "updated", evaluation | {"decision": "negative"}, 2),
    )
    await apply(apply_evaluation, peer_event("evaluation", "created", evaluation, 1))
    await apply(apply_evaluation, peer_event("evaluation", "updated", evaluation, 2))

    url = f"/v1/quality/evaluations/{evaluation_id}"
    replica = (await quality.client.get(url)).json()
    assert (replica["version"], replica["decision"], replica["origin_node"]) == (
        2,
        "negative",
        "my",
    )
    status = await quality.client.get(
        "/v1/quality/status",
        params={"institution": "https://ror.org/00rzspn62", "at": "2020-01-01"},
    )
    assert status.json()["status"] == "not accredited"
    assert (await quality.client.get("/v1/quality/evaluations", params={"country": "MY"})).json()[
        "items"
    ][0]["id"] == str(evaluation_id)

    refused = await quality.client.post(f"{url}/withdrawal", headers=quality.admin)
    assert refused.status_code == 403 and refused.json()["owner_node"] == "my"
    resubmitted = await quality.client.put(
        "/v1/quality/evaluations/by-local-id/MQA-A-1",
        json={
            "agency_id": str(agency_id),
            "local_identifier": "MQA-A-1",
            "activity_type": "institutional",
            "decision": "positive",
            "valid_from": "2019-01-01",
            "institutions": [str(institution)],
        },
        headers=quality.admin,
    )
    assert resubmitted.status_code == 403 and resubmitted.json()["owner_node"] == "my"

    withdrawn = evaluation | {"withdrawn_at": utcnow().isoformat()}
    await apply(apply_evaluation, peer_event("evaluation", "withdrawn", withdrawn, 3))
    after = await quality.client.get(
        "/v1/quality/status", params={"institution": str(institution), "at": "2020-01-01"}
    )
    assert after.json()["status"] == "none"
    assert uuid.UUID(after.json()["institution_id"]) == institution


async def test_a_peer_evaluation_moved_to_another_institution_leaves_the_first(
    quality: QualityNode,
) -> None:
    """A newer version of a peer's evaluation naming another institution: the evaluation is
    found by the new institution only, and the QA status this node publishes follows it for
    both (BRIEF §3: a status derives from the institution's evaluations): the first
    institution's falls back to none, the second's becomes accredited."""
    runtime = quality.service.runtime
    records = peer_records()
    other = new_id()
    other_event = new_event(
        node="my", service="institutions", aggregate="institution", action="created",
        subject=str(other), version=1,
        data=records.institution_event.data | {
            "id": str(other), "name": "Universiti Putra Malaysia",
            "identifiers": [{"resource": "ROR", "value": "02e91jd64"}],
        },
    )  # fmt: skip
    today = utcnow().date()
    current = records.evaluation | {
        "valid_from": (today - timedelta(days=365)).isoformat(),
        "valid_to": (today + timedelta(days=365)).isoformat(),
    }
    later = (utcnow() + timedelta(minutes=5)).isoformat()
    moved = current | {"institution_ids": [str(other)], "updated_at": later}
    for event in (
        records.institution_event,
        other_event,
        peer_event("agency", "created", records.agency, 1),
        peer_event("evaluation", "created", current, 1),
        peer_event("evaluation", "updated", moved, 2),
    ):
        async with runtime.database.session() as session:
            await runtime.apply_event(session, event)

    async def found_by(institution: uuid.UUID) -> list[str]:
        page = await quality.client.get(
            "/v1/quality/evaluations", params={"institution": str(institution)}
        )
        return [item["id"] for item in page.json()["items"]]

    assert await found_by(records.institution_id) == []
    assert await found_by(other) == [str(records.evaluation_id)]
    # Created here with its first state (which names no creation time: its update time), once.
    replica = (await quality.client.get(f"/v1/quality/evaluations/{records.evaluation_id}")).json()
    created, updated = (
        datetime.fromisoformat(replica[name]) for name in ("created_at", "updated_at")
    )
    assert (replica["version"], created, updated) == (
        2,
        datetime.fromisoformat(current["updated_at"]),
        datetime.fromisoformat(later),
    )

    outbox = kernel_tables.outbox
    async with runtime.database.session() as session:
        payloads = (await session.scalars(select(outbox.c.payload))).all()
    published = {
        (event.subject, event.aggregateversion, event.data["status"])
        for event in map(CloudEvent.from_bytes, payloads)
        if event.type == "quality.status.changed.v1"
    }
    first, second = str(records.institution_id), str(other)
    assert published == {(first, 1, "accredited"), (first, 2, "none"), (second, 1, "accredited")}


async def test_statuses_a_peer_evaluation_changes_are_published_in_its_trace(
    quality: QualityNode,
) -> None:
    """A consumer applies each event within the event's span (`shared.inbox`): the
    `quality.status.changed` events this node writes in turn continue that span, so a trace
    follows a peer's accreditation to the status change it causes here."""
    runtime = quality.service.runtime
    records = peer_records()
    async with runtime.database.session() as session:
        await runtime.apply_event(session, records.institution_event)
        await runtime.apply_event(session, peer_event("agency", "created", records.agency, 1))
    peer_span = child_span(None)  # the span in which the peer wrote its evaluation event
    applying = child_span(peer_span.traceparent)  # this consumer's span of applying it
    async with runtime.database.session() as session:
        with within(applying):
            await runtime.apply_event(
                session, peer_event("evaluation", "created", records.evaluation, 1)
            )

    outbox = kernel_tables.outbox
    async with runtime.database.session() as session:
        rows = (await session.execute(select(outbox.c.payload, outbox.c.traceparent))).all()
    changed = [
        (CloudEvent.from_bytes(row.payload), row.traceparent)
        for row in rows
        if CloudEvent.from_bytes(row.payload).type == "quality.status.changed.v1"
    ]
    assert [event.subject for event, _ in changed] == [str(records.institution_id)]
    ((event, column),) = changed
    assert event.traceparent == column == applying.traceparent
    span = parse_traceparent(event.traceparent)
    assert span is not None and span.trace_id == peer_span.trace_id


async def test_a_batch_of_institution_events_applies_as_one_by_one_would(
    quality: QualityNode,
) -> None:
    runtime = quality.service.runtime
    kept, added = new_id(), new_id()

    def institution(id_: uuid.UUID, version: int, name: str, ror: str) -> CloudEvent:
        return new_event(
            node="my", service="institutions", aggregate="institution", action="updated",
            subject=str(id_), version=version,
            data={
                "id": str(id_), "origin_node": "my", "country": "MY", "name": name,
                "status": "active", "identifiers": [{"resource": "ror", "value": ror}],
                "updated_at": utcnow().isoformat(),
            },
        )  # fmt: skip

    async with runtime.database.session() as session:
        await runtime.apply_event(session, institution(kept, 1, "U Malaya", "00rzspn62"))
    batch = [
        institution(kept, 3, "Universiti Malaya", "00rzspn62"),
        institution(kept, 2, "stale", "0000000x1"),
        institution(added, 1, "Universiti Putra Malaysia", "02e91jd64"),
    ]
    for _ in range(2):  # the second time changes nothing
        async with runtime.database.session() as session:
            assert runtime.apply_events is not None
            await runtime.apply_events(session, batch)

    async with runtime.database.session() as session:
        refs = {
            ref.id: (ref.name, ref.version, [(i.resource, i.value) for i in ref.identifiers])
            for ref in await session.scalars(
                select(InstitutionCopy).where(InstitutionCopy.id.in_([kept, added]))
            )
        }
    assert refs == {
        kept: ("Universiti Malaya", 3, [("ror", "https://ror.org/00rzspn62")]),
        added: ("Universiti Putra Malaysia", 1, [("ror", "https://ror.org/02e91jd64")]),
    }


async def test_a_state_of_another_origin_does_not_block_the_owners_genuine_version(
    quality: QualityNode,
) -> None:
    """Issue 16: `it` rewrote `my`'s institution at version 99, and that state was applied
    (before every consumer checked the signer's authority). Only the authority's events pass
    the guard now, so `my`'s genuine version 3 replaces it; versions compare only between
    states of the same origin."""
    runtime = quality.service.runtime
    records = peer_records()
    genuine = records.institution_event
    forged = new_event(
        node="it", service="institutions", aggregate="institution", action="updated",
        subject=genuine.subject, version=99,
        data=genuine.data | {"origin_node": "it", "name": "Forged by it"},
    )  # fmt: skip
    renamed = new_event(
        node="my", service="institutions", aggregate="institution", action="updated",
        subject=genuine.subject, version=3, data=genuine.data | {"name": "Universiti Malaya"},
    )  # fmt: skip
    stale = new_event(
        node="my", service="institutions", aggregate="institution", action="updated",
        subject=genuine.subject, version=2, data=genuine.data | {"name": "stale"},
    )  # fmt: skip
    for event in (genuine, forged, renamed, stale):
        async with runtime.database.session() as session:
            await runtime.apply_event(session, event)
    ref = (await quality.client.get(f"/v1/quality/institutions/{genuine.subject}")).json()
    assert (ref["name"], ref["version"]) == ("Universiti Malaya", 3)


async def test_an_event_whose_record_names_another_origin_is_refused(
    quality: QualityNode,
) -> None:
    """The guard verifies the event's origin as its signer; a record inside naming another
    origin would let one node's signature carry another's record."""
    records = peer_records()
    claimed = new_event(
        node="it", service="institutions", aggregate="institution", action="created",
        subject=records.institution_event.subject, version=1,
        data=records.institution_event.data,  # origin_node "my"
    )  # fmt: skip
    with pytest.raises(PermanentEventError):
        async with quality.service.runtime.database.session() as session:
            await quality.service.runtime.apply_event(session, claimed)
    missing = await quality.client.get(f"/v1/quality/institutions/{claimed.subject}")
    assert missing.status_code == 404
