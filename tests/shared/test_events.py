"""The event envelope (CloudEvents 1.0) and the ids that order everything."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from pydantic import ValidationError

from services.institutions.db import publisher
from shared.db import new_id
from shared.events import CloudEvent, new_event, node_stream_name, node_subjects


def test_new_event_fills_the_cloudevents_envelope() -> None:
    before = datetime.now(UTC)
    event = new_event(
        node="be-fl",
        service="institutions",
        aggregate="institution",
        action="created",
        subject="0190aaaa-0000-7000-8000-000000000001",
        data={"name": "KU Leuven"},
        version=3,
        traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    )

    assert event.specversion == "1.0"
    assert uuid.UUID(event.id).version == 7
    assert event.source == "/nodes/be-fl/institutions"
    assert event.type == "institutions.institution.created.v1"
    assert event.subject == "0190aaaa-0000-7000-8000-000000000001"
    assert event.datacontenttype == "application/json"
    assert event.originnode == "be-fl"
    assert event.aggregateversion == 3
    assert event.time.tzinfo is not None
    assert before - timedelta(seconds=1) <= event.time <= datetime.now(UTC)
    assert (event.service, event.aggregate, event.action) == (
        "institutions",
        "institution",
        "created",
    )
    assert event.nats_subject == "evt.be-fl.institutions.institution.created"


def test_event_bytes_round_trip_and_leave_out_unset_fields() -> None:
    event = new_event(
        node="cn",
        service="quality",
        aggregate="evaluation",
        action="published",
        subject="x",
        data={"nested": {"score": 1.5, "tags": ["a"]}},
        version=1,
        major=2,
    )

    payload = event.to_bytes()
    document = orjson.loads(payload)

    assert CloudEvent.from_bytes(payload) == event
    assert "traceparent" not in document
    assert document["type"] == "quality.evaluation.published.v2"
    assert document["time"].endswith("Z") or document["time"].endswith("+00:00")
    assert event.to_bytes() == payload  # the bytes that get signed are stable


@pytest.mark.parametrize("part", ["Institution", "in stitution", "", "a.b", "*", ">"])
def test_event_names_cannot_break_the_subject(part: str) -> None:
    with pytest.raises(ValueError, match="invalid event name part"):
        new_event(
            node="cn",
            service="institutions",
            aggregate=part,
            action="created",
            subject="x",
            data={},
            version=1,
        )


def test_an_event_needs_a_positive_version_and_its_fields() -> None:
    good = publisher("cn").event("institution", "created", subject="i", data={"id": "i"}, version=1)
    document = orjson.loads(good.to_bytes())

    with pytest.raises(ValidationError):
        CloudEvent.from_bytes(orjson.dumps(document | {"aggregateversion": 0}))
    with pytest.raises(ValidationError):
        CloudEvent.from_bytes(orjson.dumps({k: v for k, v in document.items() if k != "data"}))
    with pytest.raises(ValidationError):
        CloudEvent.from_bytes(b"not json")


def test_institution_events_carry_the_state_and_its_id() -> None:
    state = {"id": "0190aaaa-0000-7000-8000-000000000001", "name": "Peking University"}

    event = publisher("cn").event(
        "institution", "updated", subject=state["id"], data=state, version=2
    )

    assert event.subject == state["id"]
    assert event.data == state
    assert event.type == "institutions.institution.updated.v1"
    assert event.nats_subject == "evt.cn.institutions.institution.updated"


def test_streams_and_subjects_are_named_after_the_node() -> None:
    assert node_stream_name("cn") == "EVT_CN"
    assert node_stream_name("be-fl") == "EVT_BE_FL"
    assert node_subjects("be-fl") == "evt.be-fl.>"


def test_ids_are_uuid7_and_sort_in_creation_order() -> None:
    ids = [new_id() for _ in range(2000)]

    assert len(set(ids)) == len(ids)
    assert all(i.version == 7 for i in ids)
    assert sorted(ids) == ids
    # The outbox orders its rows by the id's text: that order must be creation order too.
    assert sorted(ids, key=str) == ids
    milliseconds = ids[0].int >> 80
    assert abs(milliseconds / 1000 - datetime.now(UTC).timestamp()) < 5
