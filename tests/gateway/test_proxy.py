"""The proxy: routing by path prefix, faithful forwarding, header hygiene, tracing, and
dead or slow services turned into problem+json."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.gateway.proxy import public_location, response_headers
from tests.gateway.conftest import Credentials, Stubs

ECHO = "/v1/institutions/echo"


def _headers(echo: dict[str, Any]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for name, value in echo["headers"]:
        seen.setdefault(name, []).append(value)
    return seen


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
async def test_method_path_and_query_reach_the_service_unchanged(
    gateway: httpx.AsyncClient, method: str
) -> None:
    body = b"" if method in {"GET", "DELETE"} else b'{"name": "Universiti Malaya"}'
    response = await gateway.request(
        method, f"{ECHO}?q=Univ.%20Malaya&country=MY&country=CN", content=body
    )
    assert response.status_code == 200, response.text
    echo = response.json()
    assert echo["method"] == method
    assert echo["raw_path"] == ECHO
    assert echo["query"] == "q=Univ.%20Malaya&country=MY&country=CN"
    assert echo["body_sha256"] == hashlib.sha256(body).hexdigest()


async def test_a_service_status_and_body_come_back_as_they_are(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/v1/programmes/teapot")
    assert response.status_code == 418
    assert response.json() == {"status": 418}


async def test_a_large_request_body_streams_to_the_service(
    gateway: httpx.AsyncClient, stubs: Stubs
) -> None:
    stubs.record.first_chunk_received.clear()
    chunk = os.urandom(64 * 1024)

    async def body() -> AsyncIterator[bytes]:
        yield chunk
        # The service must see the first chunk before the caller has sent the rest.
        await asyncio.wait_for(stubs.record.first_chunk_received.wait(), 2)
        for _ in range(15):
            yield chunk

    response = await gateway.post("/v1/institutions/upload", content=body())
    assert response.status_code == 200, response.text
    assert response.json() == {"bytes": 16 * len(chunk)}


async def test_a_response_streams_to_the_caller_as_it_is_produced(
    gateway: httpx.AsyncClient, stubs: Stubs
) -> None:
    stubs.record.release_download.clear()
    async with gateway.stream("GET", "/v1/institutions/download") as response:
        chunks = response.aiter_raw()
        # The first chunk arrives while the service still holds back the second.
        first = await asyncio.wait_for(anext(chunks), 2)
        assert first == b"first\n"
        stubs.record.release_download.set()
        rest = b"".join([chunk async for chunk in chunks])
    assert rest == b"second\n"


async def test_forwarding_headers_are_set_and_hop_by_hop_ones_dropped(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get(
        ECHO,
        headers={
            "Connection": "keep-alive, X-Hop-Secret",
            "X-Hop-Secret": "must not pass",
            "Keep-Alive": "timeout=5",
            "Proxy-Authorization": "Basic c2VjcmV0",
            "TE": "trailers",
            "Upgrade": "websocket",
            "X-Forwarded-For": "203.0.113.9",
            "Accept-Language": "ms",
            "Cookie": "session=1",
        },
    )
    seen = _headers(response.json())
    for name in ("connection", "x-hop-secret", "keep-alive", "proxy-authorization", "te"):
        assert name not in seen, name
    assert "upgrade" not in seen
    assert seen["x-forwarded-for"] == ["203.0.113.9, 127.0.0.1"]
    assert seen["x-forwarded-proto"] == ["http"]
    assert seen["x-forwarded-host"] == [gateway.base_url.netloc.decode()]
    assert seen["host"] != seen["x-forwarded-host"]
    assert seen["accept-language"] == ["ms"]
    assert seen["cookie"] == ["session=1"]
    assert "accept-encoding" in seen  # httpx sent it: forwarded, not replaced


async def test_hop_by_hop_headers_of_the_service_are_dropped(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/institutions/hop")
    assert response.content == b"hop"
    assert response.headers["x-kept"] == "yes"
    for name in ("x-upstream-hop", "keep-alive", "proxy-authenticate", "trailer"):
        assert name not in response.headers, name
    assert len(response.headers.get_list("date")) == 1
    assert len(response.headers.get_list("server")) <= 1


def test_response_headers_drop_what_connection_names_and_lowercase_the_rest() -> None:
    raw = (
        (b"Content-Type", b"text/plain"),
        (b"Connection", b"close, X-Private"),
        (b"X-Private", b"1"),
        (b"Transfer-Encoding", b"chunked"),
        (b"Proxy-Foo", b"1"),
        (b"X-Request-ID", b"theirs"),
    )
    assert response_headers(raw) == [(b"content-type", b"text/plain")]


async def test_the_request_id_is_forwarded_and_echoed_once(
    gateway: httpx.AsyncClient, stubs: Stubs
) -> None:
    response = await gateway.get(ECHO, headers={"X-Request-ID": "req-4711"})
    assert response.headers.get_list("x-request-id") == ["req-4711"]
    assert _headers(response.json())["x-request-id"] == ["req-4711"]

    response = await gateway.get(ECHO)
    generated = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert _headers(response.json())["x-request-id"] == [generated]


async def test_the_trace_continues_with_a_child_span(gateway: httpx.AsyncClient) -> None:
    trace_id, parent_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    response = await gateway.get(ECHO, headers={"traceparent": f"00-{trace_id}-{parent_span}-01"})
    (forwarded,) = _headers(response.json())["traceparent"]
    version, forwarded_trace, span, _flags = forwarded.split("-")
    assert (version, forwarded_trace) == ("00", trace_id)
    assert span != parent_span and len(span) == 16


async def test_an_invalid_bearer_token_is_refused_before_reaching_the_service(
    gateway: httpx.AsyncClient, stubs: Stubs
) -> None:
    response = await gateway.post(
        ECHO,
        headers={"Authorization": "Bearer not.a.token", "X-Request-ID": "req-bad-token"},
        content=b"{}",
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["request_id"] == "req-bad-token"
    assert "req-bad-token" not in stubs.record.request_ids


async def test_a_valid_token_passes_through_to_the_service(
    gateway: httpx.AsyncClient, registrar: Credentials
) -> None:
    token = (
        await gateway.post(
            "/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": registrar.client_id,
                "client_secret": registrar.client_secret,
            },
        )
    ).json()["access_token"]
    response = await gateway.get(ECHO, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    # Services verify the token again themselves.
    assert _headers(response.json())["authorization"] == [f"Bearer {token}"]


async def test_anonymous_requests_pass(gateway: httpx.AsyncClient) -> None:
    assert (await gateway.get("/v1/institutions")).status_code == 200


async def test_a_dead_service_is_503_problem_naming_it(degraded_gateway: httpx.AsyncClient) -> None:
    response = await degraded_gateway.get("/v1/frameworks", headers={"X-Request-ID": "req-dead"})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "req-dead"
    problem = response.json()
    assert "recognition" in problem["detail"]
    assert problem["request_id"] == "req-dead"
    assert problem["instance"] == "/v1/frameworks"


async def test_a_slow_service_is_504_problem(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/programmes/slow")
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert "institutions" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/v1/nowhere", "/v1/institutionsX", "/v1/auth/nothing"])
async def test_an_unknown_path_is_404_problem(gateway: httpx.AsyncClient, path: str) -> None:
    response = await gateway.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


async def test_a_location_points_at_the_gateway_not_the_service(
    gateway: httpx.AsyncClient,
) -> None:
    created = await gateway.post("/v1/institutions/created")
    assert created.status_code == 201
    # Path-only: resolved against the URL the caller used (its scheme and host, whatever
    # proxy terminates TLS in front of the gateway), never the service's own address.
    assert created.headers["location"] == "/v1/institutions/echo?id=1"
    followed = await gateway.get(created.headers["location"])
    assert followed.status_code == 200  # through the front door


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (b"http://127.0.0.1:9101/v1/x/1", b"https://api.test/v1/x/1"),
        (b"http://127.0.0.1:9101", b"https://api.test/"),
        (b"http://127.0.0.1:91012/v1/x", b"http://127.0.0.1:91012/v1/x"),  # another port
        (b"https://elsewhere.test/v1/x", b"https://elsewhere.test/v1/x"),
        (b"/v1/x/1", b"/v1/x/1"),
    ],
)
def test_only_the_service_s_own_locations_are_rewritten(location: bytes, expected: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"location", location)]
    rewritten = public_location(headers, b"http://127.0.0.1:9101", b"https://api.test")
    assert rewritten == [(b"content-type", b"application/json"), (b"location", expected)]
