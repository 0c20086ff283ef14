"""The gateway's HTTP/1.1 client, against a scripted server on a real socket: keep-alive,
streaming both ways, the ways a response can end, and the ways a service can fail."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest
import uvloop

from services.gateway.upstream_client import (
    Origin,
    UpstreamBroken,
    UpstreamClient,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from tests.gateway.conftest import unused_url


@dataclass
class Received:
    """A request as the scripted server read it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int  # 1 for the server's first connection, 2 for its second...
    exchange: int  # 1 for the connection's first request...


Script = Callable[[Received, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class ScriptedServer:
    origin: Origin
    received: list[Received] = field(default_factory=list)
    connections: int = 0


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str], bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    request_line, *lines = head.split("\r\n")
    method, target, _version = request_line.split(" ")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            body += await reader.readexactly(size)
            await reader.readexactly(2)
        await reader.readexactly(2)
    return method, target, headers, body


@contextlib.asynccontextmanager
async def scripted_server(script: Script) -> AsyncIterator[ScriptedServer]:
    server_state: ScriptedServer

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server_state.connections += 1
        number, exchange = server_state.connections, 0
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while not writer.is_closing():
                method, target, headers, body = await _read_request(reader)
                exchange += 1
                received = Received(method, target, headers, body, number, exchange)
                server_state.received.append(received)
                await script(received, writer)
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server_state = ScriptedServer(Origin.parse(f"http://127.0.0.1:{port}"))
    async with server:
        yield server_state
        server.close()


def _ok(body: bytes = b"hello", *extra: str) -> bytes:
    head = ["HTTP/1.1 200 OK", f"content-length: {len(body)}", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _answer_ok(request: Received, writer: asyncio.StreamWriter) -> None:
    writer.write(_ok(request.body or b"hello"))


@pytest.fixture
async def client() -> AsyncIterator[UpstreamClient]:
    upstream_client = UpstreamClient(connect_timeout=1.0, read_timeout=0.3)
    yield upstream_client
    await upstream_client.close()


async def _get(client: UpstreamClient, origin: Origin, method: str = "GET") -> tuple[int, bytes]:
    response = await client.request(origin, method, b"/x", [(b"accept", b"*/*")])
    try:
        return response.status, await response.read()
    finally:
        response.release()


async def test_connections_are_kept_alive_and_reused(client: UpstreamClient) -> None:
    async with scripted_server(_answer_ok) as server:
        for _ in range(5):
            assert await _get(client, server.origin) == (200, b"hello")
    assert server.connections == 1
    assert server.received[0].headers["host"] == f"127.0.0.1:{server.origin.port}"


async def test_a_chunked_response_streams_as_it_arrives(client: UpstreamClient) -> None:
    release = asyncio.Event()

    async def chunked(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n6\r\nfirst\n\r\n")
        await writer.drain()
        await release.wait()
        writer.write(b"7\r\nsecond\n\r\n0\r\n\r\n")

    async with scripted_server(chunked) as server:
        response = await client.request(server.origin, "GET", b"/x", [])
        assert await asyncio.wait_for(response.read_chunk(), 1) == b"first\n"
        assert not response.at_end
        release.set()
        assert await response.read() == b"second\n"
        response.release()
        release.clear()
        # Read to the end: the connection is kept.
        task = asyncio.create_task(_get(client, server.origin))
        await asyncio.sleep(0.05)
        release.set()
        assert await task == (200, b"first\nsecond\n")
    assert server.connections == 1


async def test_a_body_ended_by_closing_the_connection_is_read_whole(
    client: UpstreamClient,
) -> None:
    async def until_close(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nall of it")
        await writer.drain()
        writer.close()

    async with scripted_server(until_close) as server:
        assert await _get(client, server.origin) == (200, b"all of it")
        assert await _get(client, server.origin) == (200, b"all of it")
    assert server.connections == 2


async def test_a_head_response_has_no_body_and_keeps_the_connection(
    client: UpstreamClient,
) -> None:
    async def head_then_get(request: Received, writer: asyncio.StreamWriter) -> None:
        if request.method == "HEAD":
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")
        else:
            writer.write(_ok())

    async with scripted_server(head_then_get) as server:
        assert await _get(client, server.origin, "HEAD") == (200, b"")
        assert await _get(client, server.origin) == (200, b"hello")
    assert server.connections == 1


async def test_a_kept_alive_connection_the_service_dropped_is_retried_once(
    client: UpstreamClient,
) -> None:
    async def drop_second_request(request: Received, writer: asyncio.StreamWriter) -> None:
        if request.connection == 1 and request.exchange == 2:
            writer.close()  # as a service closing an idle connection at the wrong moment
            return
        writer.write(_ok())

    async with scripted_server(drop_second_request) as server:
        assert await _get(client, server.origin) == (200, b"hello")
        assert await _get(client, server.origin) == (200, b"hello")
    assert server.connections == 2


async def test_a_streamed_request_body_goes_chunked(client: UpstreamClient) -> None:
    async def parts() -> AsyncIterator[bytes]:
        for part in (b"one ", b"two ", b"three"):
            yield part

    async with scripted_server(_answer_ok) as server:
        response = await client.request(server.origin, "POST", b"/upload", [], parts())
        assert await response.read() == b"one two three"
        response.release()
        # With a content-length the body goes as it is.
        headers = [(b"content-length", b"13")]
        response = await client.request(server.origin, "PUT", b"/upload", headers, parts())
        assert await response.read() == b"one two three"
        response.release()
    first, second = server.received
    assert first.headers["transfer-encoding"] == "chunked"
    assert "transfer-encoding" not in second.headers
    assert server.connections == 1


async def test_nothing_listening_is_unavailable(client: UpstreamClient) -> None:
    with pytest.raises(UpstreamUnavailable):
        await client.request(Origin.parse(unused_url()), "GET", b"/", [])


async def test_a_silent_service_is_a_timeout(client: UpstreamClient) -> None:
    async def never(request: Received, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(2)

    async with scripted_server(never) as server:
        started = time.monotonic()
        with pytest.raises(UpstreamTimeout):
            await client.request(server.origin, "GET", b"/", [])
        assert 0.29 < time.monotonic() - started < 1.0


async def test_something_that_is_not_http_is_broken(client: UpstreamClient) -> None:
    async def garbage(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")

    async with scripted_server(garbage) as server:
        with pytest.raises(UpstreamBroken):
            await client.request(server.origin, "GET", b"/", [])


def test_the_client_runs_on_uvloop_as_in_production() -> None:
    async def scenario() -> tuple[int, bytes]:
        upstream_client = UpstreamClient(connect_timeout=1.0, read_timeout=1.0)
        async with scripted_server(_answer_ok) as server:
            try:
                return await _get(upstream_client, server.origin)
            finally:
                await upstream_client.close()

    assert uvloop.run(scenario()) == (200, b"hello")


async def test_a_service_breaking_off_mid_body_is_broken(client: UpstreamClient) -> None:
    async def half(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part")
        await writer.drain()
        writer.close()

    async with scripted_server(half) as server:
        response = await client.request(server.origin, "GET", b"/", [])
        assert response.status == 200
        with pytest.raises(UpstreamBroken):
            await response.read()
        response.release()
