"""A service's own port answers with the same browser-facing security headers as the gateway:
on successes, errors and the docs page, with `no-store` for credentialed requests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import BaseModel, Field

from shared.web import DOCS_CSP, JSON_CSP, create_service_app


class Thing(BaseModel):
    name: str = Field(max_length=5)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_service_app(
        service="headers-test",
        title="headers test",
        description="",
        version="0",
        lifespan=None,
        readiness=lambda _app: {},
    )

    @app.post("/things")
    async def create_thing(thing: Thing) -> Thing:
        return thing

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/healthz", None, 200),
        ("POST", "/things", {"name": "ok"}, 200),
        ("POST", "/things", {"name": "far too long"}, 422),
        ("GET", "/nowhere", None, 404),
    ],
)
async def test_every_answer_carries_the_security_headers(
    client: httpx.AsyncClient, method: str, path: str, body: object, status: int
) -> None:
    response = await client.request(method, path, json=body)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == JSON_CSP
    assert "strict-transport-security" not in response.headers  # the gateway's to send
    assert "cache-control" not in response.headers


async def test_the_docs_page_gets_a_policy_that_lets_it_load(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == DOCS_CSP
    assert '<script src="/docs/assets/swagger-ui-bundle.js">' in response.text  # served here


async def test_a_credentialed_answer_is_never_stored(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"Authorization": "Bearer anything"})
    assert response.headers.get_list("cache-control") == ["no-store"]
