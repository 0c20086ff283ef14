"""`/v1/federation/*`: the member nodes this node trusts, and how it stands with them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Request

from services.gateway.federation.schemas import FederationStatus, NodeList, PeerStatus
from services.gateway.runtime import GatewayRuntime
from services.gateway.upstream_client import UpstreamUnavailable
from shared.errors import NotFound, problem_responses
from shared.events import replica_stream_name
from shared.federation import (
    HUB_EVENTS_STREAM,
    PeerDigest,
    RecordDigest,
    ServiceDigest,
    divergences,
)

router = APIRouter(prefix="/v1/federation", tags=["federation"])


async def gateway_runtime(request: Request) -> GatewayRuntime:
    runtime: GatewayRuntime = request.app.state.gateway
    return runtime


RuntimeDep = Annotated[GatewayRuntime, Depends(gateway_runtime)]


def _trust_or_404(runtime: GatewayRuntime) -> None:
    if runtime.trust is None:
        raise NotFound("this node runs on its own: it has no trust list")


@router.get(
    "/nodes",
    summary="Member nodes",
    response_model=NodeList,
    responses=problem_responses(404),
)
async def list_nodes(runtime: RuntimeDep) -> NodeList:
    """The trust list's public parts: each member node, the countries it has authority over,
    its federation public keys with their validity, and its gateway URL. Public."""
    _trust_or_404(runtime)
    assert runtime.trust is not None
    return NodeList(node=runtime.settings.node_id, items=runtime.trust.public_nodes())


@router.get(
    "/status",
    summary="Federation status",
    response_model=FederationStatus,
    responses=problem_responses(404),
)
async def federation_status(runtime: RuntimeDep) -> FederationStatus:
    """Per peer: connected, time of the last event applied, events not yet copied, events
    quarantined; events refused in this node's own stream; per record type (and per
    service's copy of it): count and an order-independent checksum, so that two nodes can be
    compared, and the copies that differ from their type here. Public."""
    _trust_or_404(runtime)
    assert runtime.trust is not None
    node = runtime.settings.node_id
    digests: list[ServiceDigest] = []
    unavailable: list[str] = []
    for upstream in runtime.upstreams:
        try:
            status, body = await runtime.client.get(
                f"{upstream.base_url}/internal/federation/digest", timeout=10
            )
        except (UpstreamUnavailable, TimeoutError):
            unavailable.append(upstream.name)
            continue
        if status != 200:
            unavailable.append(upstream.name)
            continue
        digests.append(ServiceDigest.model_validate(orjson.loads(body)))

    records: dict[str, RecordDigest] = {}
    peers: dict[str, PeerDigest] = {}
    pending = 0
    own_stream_refused = 0
    for digest in digests:
        records.update(digest.records)
        pending += sum(digest.pending.values())
        own_stream_refused += digest.own_stream_refused
        for origin, peer in digest.peers.items():
            merged = peers.setdefault(origin, PeerDigest())
            merged.quarantined += peer.quarantined
            merged.last_event_at = _latest(merged.last_event_at, peer.last_event_at)

    lags = await peer_lags(runtime)
    links = runtime.watchdog.links if runtime.watchdog is not None else {}
    peer_status = [
        PeerStatus(
            id=peer.id,
            connected=links[peer.id].reachable if peer.id in links else False,
            last_event_at=peers.get(peer.id, PeerDigest()).last_event_at,
            source_lag=lags.get(peer.id),
            quarantined=peers.get(peer.id, PeerDigest()).quarantined,
        )
        for peer in runtime.trust.peers_of(node)
    ]
    return FederationStatus(
        node=node,
        peers=peer_status,
        events_pending=pending,
        quarantined=sum(peer.quarantined for peer in peers.values()),
        own_stream_refused=own_stream_refused,
        records=dict(sorted(records.items())),
        divergent=divergences(records),
        unavailable_services=unavailable,
    )


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


async def _source_lags(runtime: GatewayRuntime) -> dict[str, int]:
    bus = runtime.bus
    if bus is None or not bus.connected or bus.nc is None:
        return {}
    try:
        info = await bus.nc.jsm(timeout=2).stream_info(
            replica_stream_name(runtime.settings.node_id)
        )
    except Exception:
        return {}
    return {source.name: int(source.lag or 0) for source in info.sources or []}


async def peer_lags(runtime: GatewayRuntime) -> dict[str, int | None]:
    """Each trusted peer's events not yet copied here (None: not known now); none without a
    trust list. The lag part of `federation_status`, without the services' digests (the
    console samples it for its lag chart)."""
    if runtime.trust is None:
        return {}
    # Every peer's events come through the one source from the hub: one lag for all of them.
    lag = (await _source_lags(runtime)).get(HUB_EVENTS_STREAM)
    return {peer.id: lag for peer in runtime.trust.peers_of(runtime.settings.node_id)}
