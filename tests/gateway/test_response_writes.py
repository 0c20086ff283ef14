"""How the server protocol every process serves with (`shared.http_server`) writes responses:
a small answer's head and body in one segment, a head the app sends alone not held back for
a body that comes later, pipelined answers in their order, a large body whole. Raw sockets
against a served app: the writes happen below ASGI."""

from __future__ import annotations

import asyncio
import contextlib
import urllib.parse
from collections.abc import AsyncIterator

from starlette.types import Receive, Scope, Send

from tests.gateway.conftest import serve

SMALL = b'{"status":"ok"}'
LARGE = bytes(range(256)) * 1024  # 256 KiB: past what is held back for one write


class App:
    """`/small`, `/large`, and `/late`: a head at once, the body once `release` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = LARGE if scope["path"] == "/large" else SMALL
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        if scope["path"] == "/late":
            await self.release.wait()
        await send({"type": "http.response.body", "body": body})


@contextlib.asynccontextmanager
async def connection(
    app: App,
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    async with serve(app) as url:
        parts = urllib.parse.urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            yield reader, writer
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def request(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nhost: test\r\n\r\n".encode()


async def read_response(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    return head, await asyncio.wait_for(reader.readexactly(length), 10)


async def test_a_small_answer_arrives_head_and_body_in_one_segment() -> None:
    async with connection(App()) as (reader, writer):
        for _ in range(3):  # on a kept-alive connection too
            writer.write(request("/small"))
            # The first read returns what the first segment carried: the whole answer.
            received = await asyncio.wait_for(reader.read(65536), 10)
            assert received.startswith(b"HTTP/1.1 200 OK\r\n")
            assert received.endswith(b"\r\n\r\n" + SMALL)


async def test_a_head_sent_alone_is_written_before_the_body_exists() -> None:
    app = App()
    async with connection(app) as (reader, writer):
        writer.write(request("/late"))
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        app.release.set()
        assert await asyncio.wait_for(reader.readexactly(len(SMALL)), 10) == SMALL


async def test_pipelined_requests_are_answered_whole_and_in_order() -> None:
    async with connection(App()) as (reader, writer):
        writer.write(request("/small") + request("/large") + request("/small"))
        bodies = [(await read_response(reader))[1] for _ in range(3)]
        assert bodies == [SMALL, LARGE, SMALL]


async def test_an_answer_that_ends_the_connection_is_written_before_it_closes() -> None:
    async with connection(App()) as (reader, writer):
        writer.write(b"GET /small HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n")
        received = await asyncio.wait_for(reader.read(), 10)  # up to the server's close
        assert received.startswith(b"HTTP/1.1 200 OK\r\n")
        assert received.endswith(b"\r\n\r\n" + SMALL)
