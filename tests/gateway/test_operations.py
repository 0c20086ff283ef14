"""`/healthz`, the aggregated `/readyz` and `/metrics`."""

from __future__ import annotations

import httpx


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
