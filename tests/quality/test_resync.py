"""Rebuilding quality's copies of a peer's records from the peer's signed events (`edunode
federation resync`, shared/resync.py): a copy forged at a higher version is set back to the
newest signed state, a copy no signed event backs is removed and the QA status it made is
derived again, and an event the peer did not sign is not used."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from services.quality.events import REPLICA_TABLES, SUBSCRIPTIONS, status_refresher
from services.quality.status.models import PublishedStatus
from shared.db import new_id
from shared.events import CloudEvent, new_event
from shared.resync import SignedMessage, rebuild_replicas
from shared.signing import init_node_key, load_node_signer
from shared.trust import TrustedKey, TrustedNode, TrustList
from tests.quality.conftest import QualityNode
from tests.quality.test_events_apply import peer_event, peer_records


def _trust(tmp_path: Path, node: str) -> tuple[TrustList, Any]:
    init_node_key(tmp_path / "my", "my")
    signer = load_node_signer(tmp_path / "my", "my")
    assert signer is not None
    trust = TrustList(
        nodes=[
            TrustedNode(id=node, countries=["CN"]),
            TrustedNode(
                id="my",
                countries=["MY"],
                keys=[
                    TrustedKey(
                        kid=signer.kid,
                        public_key=(tmp_path / "my" / "federation-1.pub").read_text(),
                    )
                ],
            ),
        ]
    )
    return trust, signer


async def test_resync_rebuilds_forged_copies_from_the_peers_signed_events(
    quality: QualityNode, tmp_path: Path
) -> None:
    runtime = quality.service.runtime
    trust, signer = _trust(tmp_path, quality.node)
    records = peer_records()  # my's institution, agency, and a negative evaluation of it
    # As my publishes it: the agency's country names the authority.
    records.evaluation["agency_country"] = "MY"
    negative = records.evaluation | {"decision": "negative"}
    other = records.institution_event.data | {"id": str(new_id()), "name": "UPM"}
    other_event = new_event(
        node="my", service="institutions", aggregate="institution", action="created",
        subject=other["id"], data=other | {"identifiers": []}, version=1,
    )  # fmt: skip
    genuine: list[CloudEvent] = [
        records.institution_event,
        other_event,
        peer_event("agency", "created", records.agency, 1),
        peer_event("evaluation", "created", negative, 1),
    ]
    for event in genuine:
        async with runtime.database.session() as session:
            await runtime.apply_event(session, event)
    # Written behind the events' back: the genuine evaluation turned positive at version 99,
    # and a positive evaluation of my's other institution that my never published.
    forged = peer_event("evaluation", "updated", records.evaluation, 99)
    intruder = records.evaluation | {
        "id": str(new_id()),
        "local_identifier": "FAKE-1",
        "institution_ids": [other["id"]],
        "valid_from": "2025-01-01",
        "valid_to": "2030-12-31",
    }
    apply_evaluation = runtime.apply_event
    for event in (forged, peer_event("evaluation", "created", intruder, 1)):
        async with runtime.database.session() as session:
            await apply_evaluation(session, event)
    assert await _published_status(quality, other["id"]) == "accredited"

    messages = [
        SignedMessage(event.nats_subject, event.to_bytes(), signer.sign(event.to_bytes()))
        for event in genuine
    ]
    # An unsigned copy of the forgery in the stream is refused, not applied.
    messages.append(SignedMessage(forged.nats_subject, forged.to_bytes(), None))
    owner = trust.node("my")
    assert owner is not None
    report = await rebuild_replicas(
        runtime.database,
        node=quality.node,
        owner=owner,
        trust=trust,
        subscriptions=SUBSCRIPTIONS,
        handler=runtime.apply_event,
        tables=REPLICA_TABLES,
        messages=messages,
        after_remove=status_refresher(runtime.settings, runtime.publisher),
    )

    assert report.verified == 4 and report.refused == {"unsigned": 1}
    assert report.tables["evaluation"].removed == 1
    evaluation = (
        await quality.client.get(f"/v1/quality/evaluations/{records.evaluation_id}")
    ).json()
    assert (evaluation["decision"], evaluation["version"]) == ("negative", 1)
    gone = await quality.client.get(f"/v1/quality/evaluations/{intruder['id']}")
    assert gone.status_code == 404
    status = await quality.status(records.institution_id, "2020-01-01")
    assert status["status"] == "not accredited"
    # The status the intruder made is derived again (and published) without it.
    assert await _published_status(quality, other["id"]) != "accredited"


async def _published_status(quality: QualityNode, institution_id: str) -> str | None:
    """The QA status this node last published for the institution."""
    async with quality.service.runtime.database.session() as session:
        row = await session.get(PublishedStatus, uuid.UUID(institution_id))
        return row.status if row is not None else None
