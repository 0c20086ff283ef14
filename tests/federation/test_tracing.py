"""A trace crossing the node: a `traceparent` sent to the gateway is continued by the service
it proxies to (an HTTP hop), written into the event that service publishes, and continued by
the consumer of another service that applies the event (a NATS hop). Each hop logs the same
trace id under a span of its own whose parent is the previous hop's span."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from edunode.natsserver import NatsServer
from shared.auth import Role
from shared.logging import configure_logging
from shared.tracing import parse_traceparent
from tests.conftest import (
    MakeToken,
    TokenKeys,
    bearer,
    ensure_running,
    eventually,
    stream_events,
)
from tests.served import served_node


def log_lines(
    capfd: pytest.CaptureFixture[str], seen: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every JSON log line written to stderr so far (kept across reads of `capfd`)."""
    for line in capfd.readouterr().err.splitlines():
        if line.startswith("{"):
            seen.append(json.loads(line))
    return seen


async def test_a_trace_id_crosses_the_gateway_a_service_and_a_nats_hop(
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    make_token: MakeToken,
    node_id: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    async with served_node(
        node_id,
        nats_url=ensure_running(nats_server).url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
        services=("institutions", "quality"),
    ) as node:
        for service in ("institutions", "quality"):
            await asyncio.wait_for(node.runtime(service).bus.wait_ready(), 10)
        # Each lifespan configured logging for its service; from here on: JSON, debug level.
        configure_logging(service="test", node=node_id, level="debug", json=True)
        capfd.readouterr()
        trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)

        async with httpx.AsyncClient(base_url=node.gateway_url, timeout=10) as client:
            response = await client.post(
                "/v1/institutions",
                json={"name": "Traced University", "country": "CN"},
                headers={
                    **bearer(make_token(Role.REGISTRAR, node=node_id)),
                    "traceparent": f"00-{trace_id}-{caller_span}-01",
                },
            )
        assert response.status_code == 201, response.text
        institution_id = response.json()["id"]

        seen: list[dict[str, Any]] = []

        def traced(event: str, **fields: Any) -> list[dict[str, Any]]:
            return [
                line
                for line in log_lines(capfd, seen)
                if line.get("trace_id") == trace_id
                and line.get("event") == event
                and all(line.get(k) == v for k, v in fields.items())
            ]

        async def applied() -> list[dict[str, Any]]:
            return traced("event_applied", type="institutions.institution.created.v1")

        (consumer_line,) = await eventually(applied, what="the consumer's traced log line")

    (gateway_line,) = traced("request", route="proxy:institutions")
    (service_line,) = traced("request", route="/v1/institutions")
    # The HTTP hop: the gateway continues the caller's span, the service the gateway's.
    assert gateway_line["parent_span_id"] == caller_span
    assert service_line["parent_span_id"] == gateway_line["span_id"]
    assert service_line["status"] == 201
    # The NATS hop: quality's consumer continues the span that wrote the event.
    assert consumer_line["consumer"] == f"{node_id}_quality_institutions"
    assert consumer_line["parent_span_id"] == service_line["span_id"]
    assert len({gateway_line["span_id"], service_line["span_id"], consumer_line["span_id"]}) == 3

    # The event carries the service's span in its (signed) `traceparent` attribute.
    import nats

    broker = await nats.connect(nats_server.url)
    try:
        (event,) = [
            e for _, e in await stream_events(broker, node_id) if e.subject == institution_id
        ]
    finally:
        await broker.close()
    span = parse_traceparent(event.traceparent)
    assert span is not None
    assert (span.trace_id, span.span_id) == (trace_id, service_line["span_id"])
