"""`/healthz`, the aggregated `/readyz` and `/metrics`."""

from __future__ import annotations

import asyncio
import gc

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

from services.gateway.app import create_app
from tests.conftest import TokenKeys
from tests.gateway.conftest import Stubs, gateway_settings, serve
from tests.gateway.stubs import StubRecord, recognition_stub


async def test_healthz_is_ok(gateway: httpx.AsyncClient) -> None:
    assert (await gateway.get("/healthz")).json() == {"status": "ok", "checks": {}}


async def test_readyz_checks_the_database_and_every_service(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {
        "database": "ok",
        "institutions": "ok",
        "quality": "ok",
        "recognition": "ok",
        "credentials": "ok",
        "mobility": "ok",
        "openapi": "ok",
    }


async def test_readyz_is_503_problem_naming_a_dead_service(
    degraded_gateway: httpx.AsyncClient,
) -> None:
    response = await degraded_gateway.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert "recognition" in detail
    assert "quality" not in detail


async def test_metrics_count_upstream_requests(gateway: httpx.AsyncClient) -> None:
    await gateway.get("/v1/frameworks")
    text = (await gateway.get("/metrics")).text
    assert 'edunode_gateway_upstream_requests_total{service="recognition",status="200"}' in text
    assert (
        'edunode_gateway_upstream_duration_seconds_bucket{le="0.001",service="recognition"}' in text
    )
    assert 'route="proxy:recognition",service="gateway"' in text


class _SpecNotYetServed:
    """A service that is ready but whose OpenAPI document is not served until `serve_spec`
    is set, as a service whose `/openapi.json` is not fetched yet looks to the gateway."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.serve_spec = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == "/openapi.json"
            and not (self.serve_spec.is_set())
        ):
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


async def test_readyz_waits_for_every_service_in_the_merged_openapi(
    stubs: Stubs, gateway_database_url: str, token_keys: TokenKeys
) -> None:
    """Whenever `/readyz` says ready, `/openapi.json` holds every service's routes: a client
    generated at that moment is complete (issue 23)."""
    recognition = _SpecNotYetServed(recognition_stub(StubRecord()))
    async with serve(recognition) as recognition_url:
        settings = gateway_settings(
            stubs,
            gateway_database_url,
            token_keys,
            recognition_url=recognition_url,
            openapi_cache_seconds=300.0,  # as deployed: only what is missing is fetched again
        )
        async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
            response = await client.get("/readyz")
            assert response.status_code == 503
            assert response.headers["content-type"] == "application/problem+json"
            detail = response.json()["detail"]
            assert "openapi" in detail and "recognition" in detail
            assert "institutions" not in detail.split("openapi", 1)[1]
            assert "/v1/frameworks" not in (await client.get("/openapi.json")).json()["paths"]

            recognition.serve_spec.set()
            response = await client.get("/readyz")
            assert response.status_code == 200, response.text
            paths = (await client.get("/openapi.json")).json()["paths"]
            # one route of each service (tests/gateway/stubs.py)
            assert {"/v1/institutions", "/v1/quality/evaluations", "/v1/frameworks"} <= set(paths)


async def test_a_serving_gateway_keeps_its_heap_out_of_full_collections(
    stubs: Stubs, gateway_database_url: str, token_keys: TokenKeys
) -> None:
    """While a gateway serves, the objects it started with are out of the garbage collector's
    full collections (each walked them all: an 80 ms pause, most of the gateway's p99; issue
    18); once it has stopped they are collectable again, since a test process starts many."""
    settings = gateway_settings(stubs, gateway_database_url, token_keys)
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/healthz")).status_code == 200
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0
