"""`/metrics` scraped over real HTTP connections, before and after something happens: request
counters and latency histograms move under their route template, errors show in the status
label, the outbox backlog rises while the broker is down and drains when it is back, consumers
report what they applied and their lag, and refused events are counted by reason."""

from __future__ import annotations

import asyncio
import re
import uuid
import warnings
from collections.abc import Callable

import httpx
from joserfc.jwk import OKPKey
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from edunode.natsserver import NatsServer
from services.institutions.db import kernel_tables as institutions_tables
from shared.auth import Role
from shared.bus import Bus
from shared.db import Database
from shared.events import CloudEvent, new_event, node_stream_name
from shared.inbox import EventConsumer
from shared.runtime import node_streams
from shared.signing import NodeSigner
from shared.trust import TrustList
from tests.conftest import MakeToken, TokenKeys, bearer, ensure_running, eventually, migrated
from tests.served import served_node

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]

RAW_ID = re.compile(r"/[0-9a-f]{8}-[0-9a-f]{4}-")  # a path with a UUID in it


async def scrape(url: str) -> Samples:
    """Every sample `url/metrics` shows, by (name, labels)."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"{url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_requests_are_counted_by_route_template_with_errors_and_latency(
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    make_token: MakeToken,
    node_id: str,
) -> None:
    async with served_node(
        node_id,
        nats_url=ensure_running(nats_server).url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
        services=("institutions",),
    ) as node:
        service = node.urls["institutions"]
        before = await scrape(service)
        gateway_before = await scrape(node.gateway_url)
        async with httpx.AsyncClient(base_url=node.gateway_url, timeout=10) as client:
            created = await client.post(
                "/v1/institutions",
                json={"name": "Counted University", "country": "CN"},
                headers=bearer(make_token(Role.REGISTRAR, node=node_id)),
            )
            assert created.status_code == 201, created.text
            for _ in range(2):
                missing = await client.get(f"/v1/institutions/{uuid.uuid4()}")
                assert missing.status_code == 404
            invalid = await client.post(
                "/v1/institutions",
                json={"name": ""},
                headers=bearer(make_token(Role.REGISTRAR, node=node_id)),
            )
            assert invalid.status_code == 422
        async with httpx.AsyncClient(base_url=service) as client:
            assert (await client.get("/no/such/path")).status_code == 404
            assert (await client.get("/openapi.json")).status_code == 200
        after = await scrape(service)
        gateway_after = await scrape(node.gateway_url)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    one = "/v1/institutions/{institution_id}"
    common = {"service": "institutions"}
    assert moved("edunode_http_requests_total", **common, method="GET", route=one, status="404")
    assert (
        moved("edunode_http_requests_total", **common, method="GET", route=one, status="404") == 2
    )
    assert (
        moved(
            "edunode_http_requests_total",
            **common,
            method="POST",
            route="/v1/institutions",
            status="201",
        )
        == 1
    )
    assert (
        moved(
            "edunode_http_requests_total",
            **common,
            method="POST",
            route="/v1/institutions",
            status="422",
        )
        == 1
    )
    assert (
        moved(
            "edunode_http_requests_total", **common, method="GET", route="unmatched", status="404"
        )
        == 1
    )
    # FastAPI's own documents count under their path too, not as `unmatched` (the gateway
    # fetches this one as well, for its merged document).
    openapi = {**common, "method": "GET", "status": "200"}
    assert moved("edunode_http_requests_total", **openapi, route="/openapi.json") >= 1
    assert moved("edunode_http_requests_total", **openapi, route="unmatched") == 0
    # The raw path never becomes a label value: one series per route, whatever the ids.
    assert not any(RAW_ID.search(label) for _, labels in after for _, label in labels), (
        "a label carries a raw id"
    )
    latency = {"service": "institutions", "method": "GET", "route": one}
    assert moved("edunode_http_request_duration_seconds_count", **latency) == 2
    assert moved("edunode_http_request_duration_seconds_bucket", **latency, le="+Inf") == 2
    assert (
        "edunode_http_request_duration_seconds_bucket",
        frozenset({**latency, "le": "0.005"}.items()),
    ) in after
    # The gateway counts the same requests under its proxy route, and the upstream's answers.
    proxied = {"service": "gateway", "method": "GET", "route": "proxy:institutions"}
    assert (
        value(gateway_after, "edunode_http_requests_total", **proxied, status="404")
        - value(gateway_before, "edunode_http_requests_total", **proxied, status="404")
        == 2
    )
    upstream = {"service": "institutions", "status": "201"}
    assert (
        value(gateway_after, "edunode_gateway_upstream_requests_total", **upstream)
        - value(gateway_before, "edunode_gateway_upstream_requests_total", **upstream)
        == 1
    )


async def test_the_outbox_backlog_rises_while_the_broker_is_down_and_drains_after(
    private_nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    make_token: MakeToken,
    node_id: str,
) -> None:
    broker = private_nats_server
    async with served_node(
        node_id,
        nats_url=broker.url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
        services=("institutions",),
    ) as node:
        runtime = node.runtime("institutions")
        await asyncio.wait_for(runtime.bus.wait_ready(), 10)
        runtime.relay.max_backoff = 0.5  # notice the broker's return quickly
        service = node.urls["institutions"]
        labels = {"service": "institutions"}
        before = await scrape(service)
        assert value(before, "edunode_outbox_backlog", **labels) == 0
        published_before = value(before, "edunode_outbox_published_total", **labels)

        broker.stop()
        async with httpx.AsyncClient(base_url=service, timeout=10) as client:
            for n in range(3):
                response = await client.post(
                    "/v1/institutions",
                    json={"name": f"Waiting University {n}", "country": "CN"},
                    headers=bearer(make_token(Role.REGISTRAR, node=node_id)),
                )
                assert response.status_code == 201, response.text
        await asyncio.sleep(0.3)
        down = await scrape(service)
        assert value(down, "edunode_outbox_backlog", **labels) == 3
        assert value(down, "edunode_outbox_oldest_age_seconds", **labels) >= 0.3
        assert value(down, "edunode_outbox_published_total", **labels) == published_before

        broker.start()

        async def drained() -> Samples | None:
            samples = await scrape(service)
            return samples if value(samples, "edunode_outbox_backlog", **labels) == 0 else None

        back = await eventually(drained, timeout=30, interval=0.25, what="the backlog drained")
        assert value(back, "edunode_outbox_oldest_age_seconds", **labels) == 0
        assert value(back, "edunode_outbox_published_total", **labels) == published_before + 3


async def test_a_consumer_reports_what_it_applied_and_its_lag(
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    make_token: MakeToken,
    node_id: str,
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
        quality = node.urls["quality"]
        consumer = f"{node_id}_quality_institutions"
        applied = {"consumer": consumer, "outcome": "applied"}
        before = value(await scrape(quality), "edunode_events_consumed_total", **applied)
        async with httpx.AsyncClient(base_url=node.urls["institutions"], timeout=10) as client:
            for n in range(4):
                response = await client.post(
                    "/v1/institutions",
                    json={"name": f"Consumed University {n}", "country": "CN"},
                    headers=bearer(make_token(Role.REGISTRAR, node=node_id)),
                )
                assert response.status_code == 201, response.text

        async def all_applied() -> Samples | None:
            samples = await scrape(quality)
            done = value(samples, "edunode_events_consumed_total", **applied) == before + 4
            return samples if done else None

        samples = await eventually(all_applied, what="4 events applied")
    lag = {"stream": node_stream_name(node_id), "consumer": consumer}
    assert ("edunode_consumer_pending", frozenset(lag.items())) in samples
    assert value(samples, "edunode_consumer_pending", **lag) == 0
    assert ("edunode_consumer_ack_pending", frozenset(lag.items())) in samples


async def test_refused_events_are_counted_by_a_bounded_reason_code(
    database_url: str, nats_server: NatsServer, node_id: str
) -> None:
    """The quarantine metric's `reason` label is the trust list's verdict code, never the
    reason text (which names keys and countries and would make a series per key)."""
    key = OKPKey.generate_key("Ed25519")
    signer = NodeSigner(kid=f"{node_id}:1", private_pem=key.as_pem(private=True))
    public_key = key.as_pem(private=False).decode()
    trust = TrustList.model_validate(
        {
            "nodes": [
                {
                    "id": node_id,
                    "countries": ["CN"],
                    "keys": [{"kid": signer.kid, "public_key": public_key}],
                }
            ]
        }
    )
    applied: list[CloudEvent] = []

    async def handler(_session: AsyncSession, event: CloudEvent) -> None:
        applied.append(event)

    database = Database(migrated("services.institutions", database_url))
    bus = Bus(
        url=ensure_running(nats_server).url,
        name=f"quarantine-{node_id}",
        streams=node_streams(node_id),
    )
    consumer = EventConsumer(
        database=database,
        bus=bus,
        inbox=institutions_tables.inbox,
        dead_letters=institutions_tables.dead_letter,
        quarantine=institutions_tables.quarantine,
        name=f"{node_id}_test_guarded",
        stream=node_stream_name(node_id),
        filter_subjects=[f"evt.{node_id}.>"],
        handler=handler,
        guard=lambda event, payload, signature: trust.check(
            event, payload, signature, authority_country=str(event.data["country"])
        ),
    )

    def quarantined(reason: str) -> float:
        labels = {"consumer": consumer.name, "reason": reason}
        return REGISTRY.get_sample_value("edunode_events_quarantined_total", labels) or 0.0

    def event(country: str) -> CloudEvent:
        return new_event(
            node=node_id,
            service="institutions",
            aggregate="institution",
            action="created",
            subject=str(uuid.uuid4()),
            data={"country": country},
            version=1,
        )

    bus.start()
    try:
        await asyncio.wait_for(bus.wait_ready(), 10)
        js = bus.js
        unsigned, foreign, good = event("CN"), event("MY"), event("CN")
        await js.publish(unsigned.nats_subject, unsigned.to_bytes())
        signed = foreign.to_bytes()
        await js.publish(foreign.nats_subject, signed, headers=dict(signer.headers(signed)))
        signed = good.to_bytes()
        tampered = signed.replace(b"CN", b"cn")
        await js.publish(good.nats_subject, tampered, headers=dict(signer.headers(signed)))
        await js.publish(good.nats_subject, signed, headers=dict(signer.headers(signed)))
        consumer.start()

        async def done() -> bool:
            return len(applied) == 1 and quarantined("bad_signature") == 1

        await eventually(done, what="one event applied, three quarantined")
        assert [e.id for e in applied] == [good.id]
        assert quarantined("unsigned") == 1
        assert quarantined("no_authority") == 1
        series = [
            sample.labels["reason"]
            for family in REGISTRY.collect()
            if family.name == "edunode_events_quarantined"
            for sample in family.samples
            if sample.labels.get("consumer") == consumer.name and sample.name.endswith("_total")
        ]
        assert sorted(series) == ["bad_signature", "no_authority", "unsigned"]
    finally:
        await consumer.stop()
        await bus.close()
        await database.dispose()


async def test_an_empty_fetch_writes_and_counts_nothing(
    database_url: str, nats_server: NatsServer, node_id: str
) -> None:
    """A fetch cut short by the broker going away returns no messages: that is no batch, not
    an insert of no rows (which SQLAlchemy runs as one row of NULLs)."""
    database = Database(migrated("services.institutions", database_url))
    consumer = EventConsumer(
        database=database,
        bus=Bus(url=ensure_running(nats_server).url, name=f"empty-{node_id}", streams=[]),
        inbox=institutions_tables.inbox,
        dead_letters=institutions_tables.dead_letter,
        name=f"{node_id}_test_empty",
        stream=node_stream_name(node_id),
        filter_subjects=[f"evt.{node_id}.>"],
        handler=lambda _session, _event: asyncio.sleep(0),
    )
    labels = {"consumer": consumer.name, "outcome": "applied"}
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            await consumer.handle_batch([])
        # SQLAlchemy warns of such an insert (which then fails, and the consumer swallows)
        assert [str(w.message) for w in warned] == []
        async with database.session() as session:
            rows = await session.scalar(select(func.count()).select_from(consumer.inbox))
        assert rows == 0
        assert REGISTRY.get_sample_value("edunode_events_consumed_total", labels) is None
    finally:
        await database.dispose()
