"""Request heads are bounded on the wire (`shared.http_server`): a long request target is a
414, long header fields a 431 (refused as they arrive, not after 10 MB), unreadable HTTP a
400, each as problem+json; ordinary requests, keep-alive and large bodies are untouched.
Raw sockets against a served gateway: the limits live below ASGI."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import urllib.parse

import orjson
import pytest

from shared.http_server import MAX_REQUEST_HEAD_BYTES, MAX_REQUEST_TARGET_BYTES

PROBLEM = b"application/problem+json"
CHUNK = 16 * 1024
PATIENCE = 0.2  # seconds to wait for an answer between chunks


async def exchange(
    url: str, *messages: bytes
) -> tuple[list[tuple[int, dict[bytes, bytes], bytes]], int]:
    """Send `messages` on one connection, in chunks, each followed by reading its answer;
    stop sending once the server answers early. Returns the answers and the bytes sent."""
    parts = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    answers: list[tuple[int, dict[bytes, bytes], bytes]] = []
    sent = 0
    try:
        for message in messages:
            head = b""
            for start in range(0, len(message), CHUNK):
                try:
                    writer.write(message[start : start + CHUNK])
                    await writer.drain()
                except ConnectionError:
                    break
                sent += min(CHUNK, len(message) - start)
                with contextlib.suppress(TimeoutError):
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), PATIENCE)
                    break
            if not head:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            status_line, *lines = head.decode("latin-1").split("\r\n")
            headers = {
                name.strip().lower().encode(): value.strip().encode()
                for name, value in (line.split(":", 1) for line in lines if ":" in line)
            }
            body = await asyncio.wait_for(
                reader.readexactly(int(headers.get(b"content-length", b"0"))), 10
            )
            answers.append((int(status_line.split()[1]), headers, body))
            if headers.get(b"connection") == b"close":
                break
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    return answers, sent


def get(target: str, *headers: bytes) -> bytes:
    return b"GET " + target.encode() + b" HTTP/1.1\r\nhost: gw\r\n" + b"".join(headers) + b"\r\n"


def assert_problem(answer: tuple[int, dict[bytes, bytes], bytes], status: int) -> None:
    got, headers, body = answer
    assert got == status, (got, body[:200])
    assert headers[b"content-type"] == PROBLEM
    assert headers[b"connection"] == b"close"
    assert orjson.loads(body)["status"] == status


async def test_a_ten_megabyte_header_is_a_431_before_it_has_all_arrived(gateway_url: str) -> None:
    huge = b"x-big: " + b"a" * 10_000_000 + b"\r\n"
    answers, sent = await exchange(gateway_url, get("/healthz", huge))
    assert_problem(answers[0], 431)
    assert sent < 1_000_000  # refused early, not read whole


async def test_many_header_fields_past_the_limit_are_a_431(gateway_url: str) -> None:
    fields = b"".join(b"x-f%d: %s\r\n" % (n, b"v" * 100) for n in range(400))  # ~44 KB
    answers, _sent = await exchange(gateway_url, get("/healthz", fields))
    assert_problem(answers[0], 431)


async def test_a_long_query_is_a_414_problem(gateway_url: str) -> None:
    for length in (MAX_REQUEST_TARGET_BYTES, 100_000):
        answers, _sent = await exchange(gateway_url, get("/v1/institutions?q=" + "a" * length))
        assert_problem(answers[0], 414)


async def test_unreadable_http_is_a_400_problem(gateway_url: str) -> None:
    answers, _sent = await exchange(gateway_url, b"GET /healthz HTTP/1.1\r\nbad header\r\n\r\n")
    assert_problem(answers[0], 400)


async def test_ordinary_requests_large_bodies_and_keep_alive_pass(gateway_url: str) -> None:
    under_the_limit = b"x-fields: " + b"a" * (MAX_REQUEST_HEAD_BYTES // 2) + b"\r\n"
    query = "/healthz?q=" + "a" * (MAX_REQUEST_TARGET_BYTES // 2)
    body = b"{" + b" " * 500_000 + b"}"  # a body is not a head, even in the head's packets
    post = (
        b"POST /v1/institutions/echo HTTP/1.1\r\nhost: gw\r\ncontent-type: application/json\r\n"
        + b"content-length: %d\r\n\r\n" % len(body)
        + body
    )
    big_after = get("/healthz", b"x-big: " + b"a" * (2 * MAX_REQUEST_HEAD_BYTES) + b"\r\n")
    answers, _sent = await exchange(gateway_url, get(query, under_the_limit), post, big_after)
    assert [status for status, _headers, _body in answers] == [200, 200, 431]
    assert orjson.loads(answers[1][2])["body_length"] == len(body)


async def test_a_client_that_sends_everything_before_reading_still_gets_its_431(
    gateway_url: str,
) -> None:
    """The refusal is followed by a lingering close: closing at once with the client's bytes
    unread would reset the connection and throw the answer away."""
    parts = urllib.parse.urlsplit(gateway_url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        writer.write(get("/healthz", b"x-big: " + b"a" * 20_000_000 + b"\r\n"))
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    assert head.startswith(b"HTTP/1.1 431 ")


async def test_a_request_to_upgrade_to_websocket_is_answered_as_plain_http(
    gateway_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """No service speaks WebSocket (`ws="none"`): the request is served as any other, and
    nothing is logged for it (uvicorn would warn twice per request)."""
    upgrade = (
        b"connection: Upgrade\r\n",
        b"upgrade: websocket\r\n",
        b"sec-websocket-version: 13\r\n",
        b"sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
    )
    with caplog.at_level(logging.WARNING):
        answers, _ = await exchange(gateway_url, get("/healthz", *upgrade))
    status, _, body = answers[0]
    assert (status, orjson.loads(body)) == (200, {"status": "ok", "checks": {}})
    assert [r.getMessage() for r in caplog.records if r.name.startswith("uvicorn")] == []
