"""Verification with the issuer down: the issuing node's status list leaves through its relay,
signed, into its NATS stream; another node's credentials service takes it through the trust
list's guard and its own event routes, and says "revoked" with the issuer stopped. No event
carries the holder."""

from __future__ import annotations

import uuid
from typing import Any

from nats.aio.client import Client as NatsClient
from sqlalchemy import select

from contracts.credentials import StatusListState
from services.credentials.app import create_app
from services.credentials.events import SUBSCRIPTIONS
from services.credentials.institutions.models import InstitutionCopy
from shared.events import CloudEvent, node_stream_name
from shared.runtime import subscription_guard
from shared.signing import SIGNATURE_HEADER
from tests.conftest import MakeToken, ServiceLauncher, eventually, run_app
from tests.credentials.conftest import (
    Federation,
    StartNode,
    credentials_settings,
    university,
)
from tests.credentials.test_diplomas import DIPLOMA, _failed, _verify
from tests.recognition.factories import institution_event

Signed = tuple[CloudEvent, bytes, str | None]


async def _stream(client: NatsClient, node: str) -> list[Signed]:
    """Every message of the node's stream: the event, its exact bytes, its signature."""
    jsm = client.jsm()
    info = await jsm.stream_info(node_stream_name(node))
    found: list[Signed] = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1 if info.state.messages else 0):
        message = await jsm.get_msg(node_stream_name(node), seq)
        assert message.data is not None
        headers = message.headers or {}
        found.append(
            (CloudEvent.from_bytes(message.data), message.data, headers.get(SIGNATURE_HEADER))
        )
    return found


async def test_revocation_seen_with_the_issuer_down(
    services: ServiceLauncher,
    start_credentials: StartNode,
    federation: Federation,
    make_token: MakeToken,
    nats_client: NatsClient,
) -> None:
    de = await start_credentials("DE")
    cn_node = federation.nodes["CN"]
    institution = institution_event(
        node=cn_node,
        name="Tsinghua University",
        country="CN",
        institution_id=uuid.uuid4(),
        identifiers=[{"resource": "ror", "value": "03cve4549"}],
    )
    headers = university(make_token, cn_node, uuid.UUID(str(institution.data["id"])))
    async with run_app(create_app(credentials_settings(services, federation, "CN"))) as cn:
        await cn.wait_connected()
        async with cn.runtime.database.session() as session:
            await cn.runtime.apply_event(session, institution)
        issued: list[dict[str, Any]] = []
        for _ in range(2):
            response = await cn.client.post(
                "/v1/credentials/diplomas", json=DIPLOMA, headers=headers
            )
            assert response.status_code == 201, response.text
            issued.append(response.json())
        revoked, kept = issued
        response = await cn.client.post(
            f"/v1/credentials/{revoked['id']}/revocation",
            json={"reason": "awarded in error"},
            headers=headers,
        )
        assert response.status_code == 200, response.text

        async def revocation_published() -> list[Signed] | None:
            messages = await _stream(nats_client, cn_node)
            lists = [
                m for m in messages if m[0].type.startswith("credentials.status_list.updated.")
            ]
            return lists if any(m[0].aggregateversion == 2 for m in lists) else None

        published = await eventually(revocation_published, what="the revoked list published")
        everything = await _stream(nats_client, cn_node)
    # The issuer is stopped from here on.

    holder = DIPLOMA["holder"]
    for _, payload, _ in everything:
        for value in (holder["family_name"], holder["birth_date"], holder["identifier"]["value"]):
            assert value.encode() not in payload

    peer = next(s for s in SUBSCRIPTIONS if s.name == "peer_credentials").for_node(de.node)
    guard = subscription_guard(federation.trust, de.node, peer)
    for event, payload, signature in published:
        verdict = guard(event, payload, signature)
        assert verdict.accepted, verdict.reason
        assert StatusListState.model_validate(event.data).origin_node == cn_node
    # A forged change (the same event, its list altered) does not pass the guard.
    event, payload, signature = published[-1]
    assert not guard(event, payload.replace(b'"revocation"', b'"suspension"'), signature).accepted

    await de.apply(institution, *(event for event, _, _ in published))
    report = await _verify(de, revoked["jwt"])
    assert report["valid"] is False
    assert _failed(report) == {"status": "revoked by its issuer"}
    report = await _verify(de, kept["jwt"])
    assert report["valid"] is True, report
    assert report["issuer_node"] == cn_node


async def test_a_batch_of_institution_events_applies_as_one_by_one_would(
    start_credentials: StartNode, federation: Federation
) -> None:
    """A node catching up takes the directory's events a fetched batch at a time: the copy
    ends where applying them one by one would — each institution at its newest version, a
    stale version in the same batch ignored, a second delivery changing nothing (issue 18:
    the batch is one transaction, not one per event)."""
    de = await start_credentials("DE")
    runtime = de.running.runtime
    assert runtime.apply_events is not None
    cn = federation.nodes["CN"]
    renamed, added = uuid.uuid4(), uuid.uuid4()
    batch = [
        institution_event(node=cn, name="Peking University", country="CN",
                          institution_id=renamed, version=1),
        institution_event(node=cn, name="Tsinghua University", country="CN",
                          institution_id=renamed, version=3),
        institution_event(node=cn, name="stale", country="CN", institution_id=renamed,
                          version=2),
        institution_event(node=cn, name="Fudan University", country="CN",
                          institution_id=added, status="closed", version=1),
    ]  # fmt: skip
    for _ in range(2):
        async with runtime.database.session() as session:
            await runtime.apply_events(session, batch)
    async with runtime.database.session() as session:
        rows = {
            row.id: (row.name, row.status, row.version)
            for row in await session.scalars(
                select(InstitutionCopy).where(InstitutionCopy.id.in_([renamed, added]))
            )
        }
    assert rows == {
        renamed: ("Tsinghua University", "active", 3),
        added: ("Fudan University", "closed", 1),
    }
