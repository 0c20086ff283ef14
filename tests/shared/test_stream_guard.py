"""The check every consumer makes before applying an event (issue 16): a node trusts its own
stream no more than a peer's. In `EVT_<NODE>` only the node's own signed events pass; in the
replica stream only the peers', each with authority over its record's country."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.event_routes import Subscription
from shared.events import CloudEvent, new_event
from shared.resync import subject_matches
from shared.runtime import subscription_guard
from shared.signing import NodeSigner, init_node_key, load_node_signer
from shared.trust import TrustedKey, TrustedNode, TrustList


@pytest.fixture
def signers(tmp_path: Path) -> dict[str, NodeSigner]:
    found: dict[str, NodeSigner] = {}
    for node in ("fr", "it"):
        init_node_key(tmp_path / node, node)
        signer = load_node_signer(tmp_path / node, node)
        assert signer is not None
        found[node] = signer
    return found


@pytest.fixture
def trust(tmp_path: Path, signers: dict[str, NodeSigner]) -> TrustList:
    return TrustList(
        nodes=[
            TrustedNode(
                id=node,
                countries=[node.upper()],
                keys=[
                    TrustedKey(
                        kid=signers[node].kid,
                        public_key=(tmp_path / node / "federation-1.pub").read_text(),
                    )
                ],
            )
            for node in ("fr", "it")
        ]
    )


def _institution(origin: str, country: str) -> CloudEvent:
    return new_event(
        node=origin,
        service="institutions",
        aggregate="institution",
        action="updated",
        subject="0190d8a0-0000-7000-8000-000000000001",
        data={"country": country, "origin_node": origin},
        version=99,
    )


def _subscription(*, peers: bool) -> Subscription:
    return Subscription(
        name="institutions",
        subjects=["evt.*.institutions.institution.*"],
        peers=peers,
        authority=lambda event: str(event.data["country"]),
    )


def test_the_own_stream_takes_only_the_nodes_own_signed_events(
    trust: TrustList, signers: dict[str, NodeSigner]
) -> None:
    guard = subscription_guard(trust, "it", _subscription(peers=False))
    own = _institution("it", "IT")
    assert guard(own, own.to_bytes(), signers["it"].sign(own.to_bytes())).accepted
    assert guard(own, own.to_bytes(), None).code == "unsigned"
    # A peer's genuine, authoritative event has no business in it's own stream.
    peers = _institution("fr", "FR")
    verdict = guard(peers, peers.to_bytes(), signers["fr"].sign(peers.to_bytes()))
    assert (verdict.accepted, verdict.code) == (False, "foreign_signer")
    # it's real key over an fr record: no authority, in its own stream as anywhere.
    forged = _institution("it", "FR")
    verdict = guard(forged, forged.to_bytes(), signers["it"].sign(forged.to_bytes()))
    assert (verdict.accepted, verdict.code) == (False, "no_authority")


def test_the_replica_stream_takes_only_the_peers_authoritative_events(
    trust: TrustList, signers: dict[str, NodeSigner]
) -> None:
    guard = subscription_guard(trust, "it", _subscription(peers=True))
    peers = _institution("fr", "FR")
    assert guard(peers, peers.to_bytes(), signers["fr"].sign(peers.to_bytes())).accepted
    own = _institution("it", "IT")
    verdict = guard(own, own.to_bytes(), signers["it"].sign(own.to_bytes()))
    assert (verdict.accepted, verdict.code) == (False, "own_event_from_peer")
    forged = _institution("fr", "IT")
    verdict = guard(forged, forged.to_bytes(), signers["fr"].sign(forged.to_bytes()))
    assert (verdict.accepted, verdict.code) == (False, "no_authority")


@pytest.mark.parametrize(
    ("pattern", "subject", "matches"),
    [
        ("evt.*.institutions.institution.*", "evt.fr.institutions.institution.updated", True),
        ("evt.*.institutions.institution.*", "evt.fr.institutions.programme.updated", False),
        ("evt.*.institutions.>", "evt.fr.institutions.programme.created", True),
        ("evt.*.institutions.>", "evt.fr.institutions", False),
        ("evt.fr.quality.agency.*", "evt.fr.quality.agency.created.extra", False),
    ],
)
def test_subjects_match_as_nats_filters_do(pattern: str, subject: str, matches: bool) -> None:
    assert subject_matches(pattern, subject) is matches
