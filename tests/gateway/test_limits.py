"""The front door's limits on a served gateway: rate limits (429, then recovery), the body
limit (413 on a declared length and mid-stream on a chunked body, over real sockets) and the
security headers on every response."""

from __future__ import annotations

import asyncio
import re
import urllib.parse
from collections.abc import AsyncIterator
from ipaddress import ip_network

import httpx
import pytest

from services.gateway.app import create_app
from services.gateway.limits import RateLimiter, client_address
from services.gateway.settings import MIB, GatewaySettings, RatePolicy
from shared.auth import Role
from shared.settings import load_settings
from shared.web import JSON_CSP
from tests.conftest import TokenKeys
from tests.gateway.conftest import Credentials, Stubs, gateway_settings, serve

BODY_LIMIT = 64 * 1024
ECHO_LIMIT = 200_000
TOKEN_LIMIT = 1024  # under the token endpoint's own 8 KiB, so that the front door's acts
HSTS = 31_536_000
# Slow refill, so that a loaded machine never refills a bucket between two requests.
ANONYMOUS = {"per_second": 0.5, "burst": 3}
REGISTRAR = {"per_second": 0.5, "burst": 2}


@pytest.fixture(scope="module")
async def limited_url(
    stubs: Stubs, gateway_database_url: str, token_keys: TokenKeys
) -> AsyncIterator[str]:
    """A gateway with tight limits behind a trusted proxy (this host): each test is its own
    client by the `X-Forwarded-For` address it sends."""
    settings = gateway_settings(
        stubs,
        gateway_database_url,
        token_keys,
        anonymous_rate_limit=ANONYMOUS,
        role_rate_limits={"registrar": REGISTRAR},
        trusted_proxies="127.0.0.1",
        max_body_bytes=BODY_LIMIT,
        route_body_limits={"/v1/institutions/echo": ECHO_LIMIT, "/v1/auth/token": TOKEN_LIMIT},
        hsts_max_age_seconds=HSTS,
        upstream_timeout_seconds=5.0,
    )
    async with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
async def limited(limited_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=limited_url, timeout=10) as client:
        yield client


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def token_for(gateway: httpx.AsyncClient, credentials: Credentials) -> str:
    response = await gateway.post(
        "/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def rejections(metrics: str, policy: str) -> float:
    match = re.search(
        rf'^edunode_gateway_rate_limited_total{{policy="{policy}"}} (\S+)$', metrics, re.M
    )
    return float(match.group(1)) if match else 0.0


# -- rate limits ---------------------------------------------------------------------------------


async def test_anonymous_requests_beyond_the_burst_get_429_then_recover(
    limited: httpx.AsyncClient,
) -> None:
    caller = from_address("198.51.100.1")
    before = rejections((await limited.get("/metrics")).text, "anonymous")

    remaining = []
    for _ in range(3):
        response = await limited.get("/v1/institutions", headers=caller)
        assert response.status_code == 200, response.text
        assert response.headers["ratelimit-policy"] == '"anonymous";q=3;w=6'
        assert response.headers["ratelimit-limit"] == "3"
        remaining.append(int(response.headers["ratelimit-remaining"]))
    assert remaining == [2, 1, 0]

    refused = await limited.get("/v1/institutions", headers=caller | {"X-Request-ID": "req-429"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["status"] == 429
    assert problem["request_id"] == refused.headers["x-request-id"] == "req-429"
    assert problem["instance"] == "/v1/institutions"
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 2  # one request's worth of refill: 2 s at 0.5 a second
    assert re.fullmatch(r'"anonymous";r=0;t=[1-6]', refused.headers["ratelimit"])
    assert refused.headers["ratelimit-remaining"] == "0"
    after = rejections((await limited.get("/metrics")).text, "anonymous")
    assert after == before + 1

    await asyncio.sleep(retry_after)
    recovered = await limited.get("/v1/institutions", headers=caller)
    assert recovered.status_code == 200
    assert recovered.headers["ratelimit-remaining"] == "0"


async def test_a_client_with_a_token_is_limited_by_its_role_not_its_address(
    limited: httpx.AsyncClient, gateway: httpx.AsyncClient, registrar: Credentials
) -> None:
    caller = from_address("198.51.100.2")
    authorised = caller | {"Authorization": f"Bearer {await token_for(gateway, registrar)}"}
    for remaining in (1, 0):
        response = await limited.get("/v1/institutions", headers=authorised)
        assert response.status_code == 200
        assert response.headers["ratelimit"].startswith(f'"registrar";r={remaining};')
    refused = await limited.get("/v1/institutions", headers=authorised)
    assert refused.status_code == 429
    assert refused.headers["ratelimit-policy"] == '"registrar";q=2;w=4'
    assert "registrar" in refused.json()["detail"]
    # The same address without the token has its own, untouched bucket.
    anonymous = await limited.get("/v1/institutions", headers=caller)
    assert anonymous.status_code == 200
    assert anonymous.headers["ratelimit-remaining"] == "2"


async def test_an_invalid_token_counts_against_the_address(limited: httpx.AsyncClient) -> None:
    caller = from_address("198.51.100.3") | {"Authorization": "Bearer forged.token.here"}
    for _ in range(3):
        assert (await limited.get("/v1/institutions", headers=caller)).status_code == 401
    assert (await limited.get("/v1/institutions", headers=caller)).status_code == 429


async def test_the_token_endpoint_is_limited_per_address(limited: httpx.AsyncClient) -> None:
    caller = from_address("198.51.100.6")
    form = {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}
    statuses = [
        (await limited.post("/v1/auth/token", data=form, headers=caller)).status_code
        for _ in range(4)
    ]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429


async def test_operations_and_docs_are_never_limited(limited: httpx.AsyncClient) -> None:
    caller = from_address("198.51.100.4")
    for path in ["/healthz", "/metrics", "/openapi.json", "/docs", "/docs/assets/favicon.png"] * 3:
        response = await limited.get(path, headers=caller)
        assert response.status_code == 200, path
        assert "ratelimit" not in response.headers
    first = await limited.get("/v1/institutions", headers=caller)
    assert first.headers["ratelimit-remaining"] == "2"  # nothing above was counted


def test_the_bucket_refills_at_its_rate() -> None:
    now = [100.0]
    limiter = RateLimiter(max_keys=100, clock=lambda: now[0])
    policy = RatePolicy(per_second=2, burst=3)
    assert [limiter.hit("k", policy).allowed for _ in range(4)] == [True, True, True, False]
    refused = limiter.hit("k", policy)
    assert refused.retry_after == pytest.approx(0.5)
    assert refused.reset_after == pytest.approx(1.5)
    now[0] += 0.5
    assert limiter.hit("k", policy).allowed
    assert not limiter.hit("k", policy).allowed
    now[0] += 10
    assert limiter.hit("k", policy).remaining == 2  # full again, never more than the burst


def test_the_bucket_table_forgets_idle_keys_and_stays_under_its_cap() -> None:
    now = [0.0]
    limiter = RateLimiter(max_keys=100, clock=lambda: now[0])
    policy = RatePolicy(per_second=1, burst=5)
    for n in range(1000):
        limiter.hit(f"flood-{n}", policy)
    assert len(limiter) == 100
    now[0] += 60  # every bucket is full again: nothing to remember
    for n in range(50):
        limiter.hit(f"later-{n}", policy)
    assert len(limiter) == 50


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not a trusted proxy: ignored
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),  # spoofed left part
        ("10.0.0.2", "198.51.100.1, not-an-address", "10.0.0.2"),
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(
    peer: str, forwarded: str | None, expected: str
) -> None:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    scope = {"type": "http", "client": (peer, 50000), "headers": headers}
    assert client_address(scope, [ip_network("10.0.0.0/8")]) == expected
    assert client_address(scope, []) == peer


def test_rate_limits_and_trusted_proxies_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDUNODE_GATEWAY_NODE_ID", "cn")
    monkeypatch.setenv("EDUNODE_GATEWAY_DATABASE_URL", "sqlite+aiosqlite:///gateway.db")
    monkeypatch.setenv(
        "EDUNODE_GATEWAY_ROLE_RATE_LIMITS", '{"university": {"per_second": 5, "burst": 20}}'
    )
    monkeypatch.setenv("EDUNODE_GATEWAY_ANONYMOUS_RATE_LIMIT", '{"per_second": 2, "burst": 10}')
    monkeypatch.setenv("EDUNODE_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
    settings = load_settings(GatewaySettings)
    assert settings.role_rate_limits[Role.UNIVERSITY] == RatePolicy(per_second=5, burst=20)
    assert settings.role_rate_limits[Role.NODE_ADMIN].burst == 1000  # left out: the default
    assert settings.anonymous_rate_limit == RatePolicy(per_second=2, burst=10)
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.0/8", "192.0.2.1/32"]
    assert settings.body_limit_for("/v1/quality/evaluations:batch") == 16 * MIB
    assert settings.body_limit_for("/v1/institutions") == MIB


# -- body limit ----------------------------------------------------------------------------------


async def raw_exchange(base_url: str, head: str, body_parts: list[bytes]) -> tuple[int, bytes]:
    """Send a request over a plain socket and read the response until the server closes it
    or its declared length has arrived; returns (status, body)."""
    url = urllib.parse.urlsplit(base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        writer.write(head.encode("latin-1"))
        for part in body_parts:
            writer.write(part)
        await writer.drain()
        return await read_response(reader)
    finally:
        writer.close()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?im)^content-length: *(\d+)", head)
    assert length is not None, head
    body = await asyncio.wait_for(reader.readexactly(int(length.group(1))), 5)
    return status, body


async def test_a_declared_body_over_the_limit_is_413_without_reading_it(
    limited_url: str, stubs: Stubs
) -> None:
    head = (
        "POST /v1/institutions/upload HTTP/1.1\r\nHost: gateway\r\n"
        f"Content-Length: {BODY_LIMIT + 1}\r\nX-Forwarded-For: 198.51.100.5\r\n"
        "X-Request-ID: req-413-declared\r\n\r\n"
    )
    completed = len(stubs.record.uploads_completed)
    status, body = await raw_exchange(limited_url, head, [])  # not one byte of the body sent
    assert status == 413
    assert b'"status":413' in body and b"65536" in body
    assert len(stubs.record.uploads_completed) == completed


async def test_a_chunked_body_over_the_limit_is_413_and_the_service_request_is_abandoned(
    limited_url: str, stubs: Stubs
) -> None:
    record = stubs.record
    record.first_chunk_received.clear()
    record.upload_broken_off.clear()
    completed = len(record.uploads_completed)
    url = urllib.parse.urlsplit(limited_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        writer.write(
            b"POST /v1/institutions/upload HTTP/1.1\r\nHost: gateway\r\n"
            b"Transfer-Encoding: chunked\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n"
        )
        chunk = b"x" * (40 * 1024)
        writer.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
        await writer.drain()
        # The service is already reading the body when the limit is crossed.
        await asyncio.wait_for(record.first_chunk_received.wait(), 5)
        writer.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
        await writer.drain()
        status, body = await read_response(reader)
    finally:
        writer.close()
    assert status == 413
    assert b"content-too-large" in body

    # The service saw its request cut off mid-body...
    await asyncio.wait_for(record.upload_broken_off.wait(), 5)
    assert len(record.uploads_completed) == completed  # never a complete, truncated upload


async def test_a_route_with_its_own_limit_takes_a_larger_body(
    limited: httpx.AsyncClient,
) -> None:
    caller = from_address("198.51.100.8")
    body = b"y" * 100_000  # over the default limit, under the echo route's
    accepted = await limited.post("/v1/institutions/echo", content=body, headers=caller)
    assert accepted.status_code == 200
    assert accepted.json()["body_length"] == len(body)
    refused = await limited.post("/v1/institutions/upload", content=body, headers=caller)
    assert refused.status_code == 413
    assert refused.headers["content-type"] == "application/problem+json"


async def test_a_streamed_body_over_the_limit_is_413_on_the_gateways_own_routes(
    limited: httpx.AsyncClient,
) -> None:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b"client_id=" + b"z" * 700 + b"&"
            await asyncio.sleep(0.05)

    response = await limited.post(
        "/v1/auth/token",
        content=body(),  # chunked: no length to refuse up front
        headers=from_address("198.51.100.9")
        | {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:edunode:problem:content-too-large"
    assert str(TOKEN_LIMIT) in response.json()["detail"]


# -- security headers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "method", "path", "headers", "content", "status"),
    [
        ("198.51.100.21", "GET", "/v1/institutions", {}, b"", 200),  # proxied
        ("198.51.100.22", "GET", "/v1/nowhere", {}, b"", 404),  # the gateway's own 404
        ("198.51.100.23", "GET", "/v1/institutions", {"Authorization": "Bearer bad"}, b"", 401),
        ("198.51.100.24", "GET", "/healthz", {}, b"", 200),
        ("198.51.100.25", "GET", "/openapi.json", {}, b"", 200),
        ("198.51.100.26", "POST", "/v1/institutions/upload", {}, b"u" * (BODY_LIMIT + 1), 413),
    ],
)
async def test_every_response_carries_the_security_headers(
    limited: httpx.AsyncClient,
    address: str,
    method: str,
    path: str,
    headers: dict[str, str],
    content: bytes,
    status: int,
) -> None:
    response = await limited.request(
        method, path, headers=from_address(address) | headers, content=content
    )
    assert response.status_code == status
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
    assert response.headers.get_list("referrer-policy") == ["no-referrer"]
    assert response.headers.get_list("x-frame-options") == ["DENY"]
    assert response.headers.get_list("content-security-policy") == [JSON_CSP]
    assert response.headers.get_list("strict-transport-security") == [
        f"max-age={HSTS}; includeSubDomains"
    ]


async def test_a_429_carries_the_security_headers(limited: httpx.AsyncClient) -> None:
    caller = from_address("198.51.100.10")
    responses = [await limited.get("/v1/institutions", headers=caller) for _ in range(4)]
    assert responses[-1].status_code == 429
    assert responses[-1].headers["x-content-type-options"] == "nosniff"
    assert responses[-1].headers["content-security-policy"] == JSON_CSP


async def test_the_docs_page_may_load_what_it_needs(limited: httpx.AsyncClient) -> None:
    response = await limited.get("/docs")
    policy = response.headers["content-security-policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    page = response.text
    loaded = {
        "script-src": re.findall(r'<script src="([^"]+)"', page),
        "style-src": re.findall(r'<link[^>]*rel="stylesheet" href="([^"]+)"', page),
        "img-src": re.findall(r'<link rel="shortcut icon" href="([^"]+)"', page),
    }
    assert all(loaded.values()), loaded
    for directive, urls in loaded.items():
        for url in urls:
            assert not urllib.parse.urlsplit(url).netloc, url  # this origin: 'self'
            assert "'self'" in directives[directive], (url, directive)
    assert "<script>" in page and "'unsafe-inline'" in directives["script-src"]
    assert directives["connect-src"] == ["'self'"]  # the document and "Try it out"
    assert directives["frame-ancestors"] == ["'none'"]


async def test_an_authenticated_answer_is_not_stored_and_hsts_is_opt_in(
    gateway: httpx.AsyncClient, registrar: Credentials
) -> None:
    token = await token_for(gateway, registrar)
    response = await gateway.get("/v1/institutions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.headers.get_list("cache-control") == ["no-store"]
    anonymous = await gateway.get("/v1/institutions")
    assert "no-store" not in anonymous.headers.get("cache-control", "")
    assert "strict-transport-security" not in anonymous.headers  # not configured here
    assert anonymous.headers["x-content-type-options"] == "nosniff"
