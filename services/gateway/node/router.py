"""`/v1/node/health`: the node at a glance, as `edunode status` shows it."""

from __future__ import annotations

import asyncio

import orjson
from fastapi import APIRouter
from pydantic import ValidationError

from services.gateway.dependencies import Runtime
from services.gateway.upstream_client import UpstreamClient, UpstreamError
from services.gateway.upstreams import Upstream
from shared.health import NodeHealth, ServiceHealth, judge_node
from shared.web import run_checks

router = APIRouter(prefix="/v1/node", tags=["operations"])

SERVICE_HEALTH_TIMEOUT = 5.0


@router.get("/health", summary="Node health", response_model=NodeHealth)
async def node_health(runtime: Runtime) -> NodeHealth:
    """Each service's readiness, outbox backlog (events not yet handed to the broker, and the
    age of the oldest), consumer lag, quarantined events and dead letters, with a verdict:
    `unhealthy` if a service is unreachable or not ready, an outbox event has waited more
    than a minute, or the gateway's own database fails; else `degraded` if an event someone
    else wrote into the node's own stream was quarantined (`alarms`); else `healthy`. Always
    200: the verdict is in the body. Public, like `/readyz` and `/metrics`."""
    names = [upstream.name for upstream in runtime.upstreams]
    reports = await asyncio.gather(
        *(_service_health(runtime.client, upstream) for upstream in runtime.upstreams)
    )
    gateway_checks = await run_checks({"database": runtime.database.ping})
    services = dict(zip(names, reports, strict=True))
    return judge_node(runtime.settings.node_id, services, gateway_checks)


async def _service_health(client: UpstreamClient, upstream: Upstream) -> ServiceHealth | None:
    """A service's own report, or None if it does not give one in time."""
    try:
        status, body = await client.get(
            f"{upstream.base_url}/internal/health", timeout=SERVICE_HEALTH_TIMEOUT
        )
    except (UpstreamError, TimeoutError):
        return None
    if status != 200:
        return None
    try:
        return ServiceHealth.model_validate(orjson.loads(body))
    except (ValidationError, orjson.JSONDecodeError):
        return None
