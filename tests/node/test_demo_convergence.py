"""When the demo federation counts as converged: every node reaches every peer with nothing left
to copy, apply or publish, and all hold the same records (equal counts and checksums, as
`FederationStatus` documents). The readings are built with the gateway's own response models,
so they have the shape `/v1/federation/status` and `/v1/node/health` answer with."""

from __future__ import annotations

from typing import Any

from edunode.demo import converged_summary, convergence_gaps
from services.gateway.federation.schemas import FederationStatus, PeerStatus
from shared.federation import Divergence, RecordDigest
from shared.health import NodeHealth, OutboxHealth, ServiceHealth

NODES = ("cn", "my", "de")
RECORDS = {
    "institution": RecordDigest(count=12, checksum="a1"),
    "evaluation": RecordDigest(count=3, checksum="b2"),
    "institution@quality": RecordDigest(count=12, checksum="a1"),
}


def _status(node: str, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "node": node,
        "peers": [
            PeerStatus(id=peer, connected=True, last_event_at=None, source_lag=0, quarantined=0)
            for peer in NODES
            if peer != node
        ],
        "events_pending": 0,
        "quarantined": 0,
        "own_stream_refused": 0,
        "records": RECORDS,
        "divergent": [],
    }
    values.update(changes)
    return FederationStatus(**values).model_dump(mode="json", by_alias=True)


def _health(node: str, backlog: int = 0) -> dict[str, Any]:
    service = ServiceHealth(
        service="institutions",
        ready=True,
        checks={},
        outbox=OutboxHealth(backlog=backlog, oldest_age_seconds=0.0),
        consumers=[],
        quarantined=0,
        own_stream_refused=0,
        dead_letters=0,
    )
    return NodeHealth(
        node=node,
        healthy=True,
        status="healthy",
        problems=[],
        alarms=[],
        warnings=[],
        services={"institutions": service, "quality": None},
    ).model_dump(mode="json")


def _healths() -> dict[str, dict[str, Any]]:
    return {node: _health(node) for node in NODES}


def test_equal_records_and_nothing_in_flight_is_converged() -> None:
    statuses = {node: _status(node) for node in NODES}
    assert convergence_gaps(statuses, _healths()) == []
    line = converged_summary(statuses)
    assert "\n" not in line
    assert "cn, my, de is ready and converged" in line
    assert "15 records" in line  # the record types, not the services' copies of them


def test_each_thing_in_flight_keeps_it_from_converging() -> None:
    lagging = [
        PeerStatus(id="cn", connected=True, last_event_at=None, source_lag=4, quarantined=0),
        PeerStatus(id="de", connected=False, last_event_at=None, source_lag=None, quarantined=0),
    ]
    statuses = {
        "cn": _status("cn", events_pending=2),
        "my": _status("my", peers=lagging),
        "de": _status(
            "de",
            records={**RECORDS, "institution": RecordDigest(count=11, checksum="zz")},
            divergent=[
                Divergence.model_validate(
                    {
                        "record_type": "institution",
                        "copy": "institution@quality",
                        "expected": {"count": 11, "checksum": "zz"},
                        "found": {"count": 12, "checksum": "a1"},
                    }
                )
            ],
        ),
    }
    healths = {**_healths(), "cn": _health("cn", backlog=5)}
    gaps = convergence_gaps(statuses, healths)
    assert "cn has 2 peers' events still to apply" in gaps
    assert "my has 4 events of cn still to copy" in gaps
    assert "my does not reach de" in gaps
    assert "de has copies differing from their record type" in gaps
    assert "cn has 5 of its own events still to publish" in gaps
    assert "cn and de hold different institution records" in gaps
    assert len(gaps) == 6


def test_a_peer_outside_the_nodes_checked_is_not_looked_at() -> None:
    absent = PeerStatus(
        id="fr", connected=False, last_event_at=None, source_lag=None, quarantined=0
    )
    statuses = {node: _status(node) for node in NODES}
    statuses["cn"]["peers"].append(absent.model_dump(mode="json"))
    assert convergence_gaps(statuses, _healths()) == []
