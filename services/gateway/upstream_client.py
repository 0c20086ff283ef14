"""The gateway's HTTP/1.1 client to the node's services: pooled keep-alive connections, bodies
streamed both ways with back-pressure, connect and read timeouts.

Why not aiohttp: every run of `bench/gateway.py` also runs this same gateway on a tuned
aiohttp session (`bench/_gateway_on_aiohttp.py`), and this client stays only while it beats
that on both throughput and p99 (issue 18). On the project's 2-core machine (shared, load
average 7 to 8, wrk with 64 connections, median of 2 rounds) it served 1.55 times aiohttp's
requests/s at 0.57 times its p99, for 0.55 of its CPU time per request (159 against 291 µs).
Over five runs that day: 1.55 to 2.19 times the requests/s, a lower p99 in four (the fifth,
one 4-second round, waited for a CPU longer than it ran). aiohttp's client does per request
what a proxy between a node's own services never needs (cookies, auth, proxies, redirects,
URL and header objects). The HTTP parsing is httptools' (llhttp, as in uvicorn); what
is here is the connection pool, flow control and timeouts, for the one kind of peer the
gateway talks to: the node's own services.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import cast

import httptools

# A pooled connection idle this long is dropped before the service (uvicorn: 5 s keep-alive)
# would close it, so that a request is never sent into a socket the service is closing.
KEEPALIVE_SECONDS = 4.0
# Response bytes buffered for a slow caller before the service's socket stops being read.
_HIGH_WATER = 256 * 1024
_LOW_WATER = 64 * 1024


class UpstreamError(Exception):
    """The service could not be reached, did not answer in time, or broke the protocol."""


class UpstreamUnavailable(UpstreamError):
    """Nothing accepts connections at the service's address (connection refused)."""


class UpstreamTimeout(UpstreamError, TimeoutError):
    """The service did not accept the connection, or stayed silent, for too long."""


class UpstreamBroken(UpstreamError):
    """The service closed the connection or sent something that is not HTTP/1.1."""


@dataclass(frozen=True)
class Origin:
    """Where a service listens."""

    host: str
    port: int
    host_header: bytes

    @classmethod
    def parse(cls, base_url: str) -> Origin:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"{base_url!r}: only http://host[:port] services are supported")
        port = parts.port or 80
        return cls(parts.hostname, port, parts.netloc.encode("ascii"))


RequestBody = bytes | AsyncIterator[bytes] | None


class _Connection(asyncio.Protocol):
    """One keep-alive connection; at most one exchange at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, read_timeout: float) -> None:
        self._loop = loop
        self._read_timeout = read_timeout
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.exchanges = 0
        self.idle_since = 0.0
        self._parser: httptools.HttpResponseParser | None = None
        self._head_only = False
        self._interim = False
        self._head: asyncio.Future[None] | None = None
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self._chunks: collections.deque[bytes] = collections.deque()
        self._buffered = 0
        self._waiter: asyncio.Future[None] | None = None
        self.complete = False
        self.keep_alive = False
        self._until_eof = False
        self._error: UpstreamError | None = None
        self._reading_paused = False
        self._body_unsent = False
        self._drain: asyncio.Future[None] | None = None
        self._last_activity = 0.0

    # -- asyncio.Protocol ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A TCP transport (uvloop's is not a subclass of asyncio.Transport, hence the cast).
        self.transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._parser is not None and not self.complete:
            if self._head is not None and self._head.done() and self._until_eof:
                self._finish()  # a body delimited by the end of the connection
            else:
                self._fail(UpstreamBroken("the service closed the connection"))
        self.resume_writing()  # a sender waiting to write sees `closed` and stops

    def data_received(self, data: bytes) -> None:
        parser = self._parser
        if parser is None or self.complete:  # nothing was asked: not a peer to keep
            self._close()
            return
        self._last_activity = self._loop.time()
        try:
            parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(UpstreamBroken(f"the service sent invalid HTTP: {error}"))
            self._close()

    def pause_writing(self) -> None:
        self._drain = self._loop.create_future()

    def resume_writing(self) -> None:
        drain, self._drain = self._drain, None
        if drain is not None and not drain.done():
            drain.set_result(None)

    # -- httptools callbacks -------------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes | None) -> None:
        self.headers.append((name, value or b""))

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        status = self._parser.get_status_code()
        if status < 200:  # an interim answer (103 Early Hints): the real one follows
            self._interim = True
            self.headers = []
            return
        self.status = status
        if self._head_only:
            self._finish()
        elif status not in (204, 304):
            self._until_eof = not any(
                name.lower() in (b"content-length", b"transfer-encoding")
                for name, _value in self.headers
            )
        head = self._head
        if head is not None and not head.done():
            head.set_result(None)

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > _HIGH_WATER and not self._reading_paused and self.transport:
            self._reading_paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        self._finish()

    # -- the exchange --------------------------------------------------------------------------

    async def exchange(
        self, head: bytes, body: RequestBody, *, head_only: bool, chunked: bool
    ) -> None:
        """Send a request and wait for the response's head."""
        self.exchanges += 1
        self._parser = httptools.HttpResponseParser(self)
        self._head_only = head_only
        self._interim = False
        self._head = self._loop.create_future()
        self.status, self.headers = 0, []
        self._chunks.clear()
        self._buffered = 0
        self.complete = self.keep_alive = self._until_eof = self._body_unsent = False
        self._error = None
        self._last_activity = self._loop.time()
        transport = self.transport
        assert transport is not None
        if body is None:
            transport.write(head)
        elif isinstance(body, bytes):
            transport.write(head + body)
        else:
            transport.write(head)
            await self._stream(body, chunked=chunked)
        await self._head  # at once if it came (or failed) while the body was being sent

    async def _stream(self, body: AsyncIterator[bytes], *, chunked: bool) -> None:
        transport = self.transport
        assert transport is not None
        async for chunk in body:
            if self.closed or (self._head is not None and self._head.done()):
                # The service answered (or went) before reading everything: stop sending; the
                # connection, left mid-request, is not reused.
                self._body_unsent = True
                break
            # The caller's pace is not the service's silence.
            self._last_activity = self._loop.time()
            transport.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
            if self._drain is not None:
                await self._drain
        else:
            if chunked and not self.closed:
                transport.write(b"0\r\n\r\n")
        self._last_activity = self._loop.time()

    async def read_chunk(self) -> bytes:
        """The next piece of the response body; b"" once it is complete."""
        while not self._chunks:
            if self.complete:
                return b""
            if self._error is not None:
                raise self._error
            self._waiter = self._loop.create_future()
            await self._waiter
        chunk = self._chunks.popleft()
        self._buffered -= len(chunk)
        if self._reading_paused and self._buffered < _LOW_WATER and self.transport:
            self._reading_paused = False
            self._last_activity = self._loop.time()
            self.transport.resume_reading()
        return chunk

    # The connection's own loop, not `asyncio.get_running_loop()`: Python 3.11 asks the
    # kernel for the process id on each call of that, twice per proxied request here.
    def mark_idle(self) -> None:
        """Back in the pool from now."""
        self.idle_since = self._loop.time()

    def idle_for(self) -> float:
        """Seconds since it went back to the pool."""
        return self._loop.time() - self.idle_since

    @property
    def drained(self) -> bool:
        """The whole response has arrived and has been read."""
        return self.complete and not self._chunks

    def reusable(self) -> bool:
        return (
            self.complete
            and self.keep_alive
            and not self.closed
            and not self._chunks
            and not self._body_unsent
        )

    def _finish(self) -> None:
        if self.complete:
            return
        self.complete = True
        parser = self._parser
        self.keep_alive = parser is not None and parser.should_keep_alive() and not self._until_eof
        self._parser = None
        self._wake()

    def _fail(self, error: UpstreamError) -> None:
        if self.complete or self._error is not None:
            return
        self._error = error
        self._parser = None
        head = self._head
        if head is not None and not head.done():
            head.set_exception(error)
            head.exception()  # raised to whoever awaits it; not logged as unretrieved
        self._wake()

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def check_silence(self, now: float) -> None:
        """Fail the exchange if the service has sent nothing for `read_timeout` seconds while
        the gateway was waiting for it (not while a slow caller held the reading back)."""
        if self.complete or self._error is not None or self._parser is None:
            return
        if self._reading_paused:
            self._last_activity = now
        elif now - self._last_activity >= self._read_timeout:
            self._fail(UpstreamTimeout("the service did not answer in time"))
            self._close()


class UpstreamResponse:
    """A service's response: status and headers at once, the body as it arrives."""

    __slots__ = ("_client", "_connection", "_origin", "headers", "status")

    def __init__(self, client: UpstreamClient, origin: Origin, connection: _Connection) -> None:
        self._client = client
        self._origin = origin
        self._connection = connection
        self.status = connection.status
        self.headers = connection.headers

    async def read_chunk(self) -> bytes:
        """The next piece of the body as it arrived; b"" at the end. Raises UpstreamError."""
        return await self._connection.read_chunk()

    @property
    def at_end(self) -> bool:
        """Everything has been read: the next `read_chunk` would return b""."""
        return self._connection.drained

    async def read(self) -> bytes:
        """The whole body (for small documents: the proxy streams instead)."""
        chunks = []
        while chunk := await self.read_chunk():
            chunks.append(chunk)
        return b"".join(chunks)

    def release(self) -> None:
        """Done with the response: the connection goes back to the pool, or is closed if the
        body was not read to the end or the service wants it closed."""
        self._client._release(self._origin, self._connection)


class UpstreamClient:
    """Pooled connections to the node's services (one pool per origin)."""

    def __init__(
        self,
        *,
        connect_timeout: float,
        read_timeout: float,
        keepalive_seconds: float = KEEPALIVE_SECONDS,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.keepalive_seconds = keepalive_seconds
        self._idle: dict[Origin, collections.deque[_Connection]] = {}
        self._open: set[_Connection] = set()
        self._busy: set[_Connection] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._closed = False

    async def request(
        self,
        origin: Origin,
        method: str,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        body: RequestBody = None,
    ) -> UpstreamResponse:
        """Send a request (headers as they go on the wire, without `host`) and return the
        response once its head has arrived. A streamed body without `content-length` goes
        chunked. A request without a streamed body is retried once on a fresh connection when
        a kept-alive one turns out to have been closed by the service."""
        if self._closed:
            raise UpstreamUnavailable("the gateway is stopping")
        head_parts = [method.encode("ascii"), b" ", target, b" HTTP/1.1\r\nhost: "]
        head_parts.append(origin.host_header)
        for name, value in headers:
            head_parts += (b"\r\n", name, b": ", value)
        chunked = (
            body is not None
            and not isinstance(body, bytes)
            and not any(name.lower() == b"content-length" for name, _ in headers)
        )
        if chunked:
            head_parts.append(b"\r\ntransfer-encoding: chunked")
        head_parts.append(b"\r\n\r\n")
        head = b"".join(head_parts)
        replayable = body is None or isinstance(body, bytes)
        head_only = method == "HEAD"
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(
                self._sweep(), name="upstream-read-timeouts"
            )
        while True:
            connection = await self._acquire(origin)
            self._busy.add(connection)
            try:
                await connection.exchange(head, body, head_only=head_only, chunked=chunked)
            except UpstreamBroken:
                self._forget(connection)
                if replayable and connection.exchanges > 1:
                    replayable = False  # a kept-alive connection went stale: once more
                    continue
                raise
            except BaseException:
                self._forget(connection)
                raise
            return UpstreamResponse(self, origin, connection)

    async def get(self, url: str, *, timeout: float) -> tuple[int, bytes]:
        """A small GET (documents, readiness): status and body, within `timeout` seconds."""
        parts = urllib.parse.urlsplit(url)
        origin = Origin.parse(f"{parts.scheme}://{parts.netloc}")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        async with asyncio.timeout(timeout):
            response = await self.request(origin, "GET", target.encode(), [(b"accept", b"*/*")])
            try:
                body = await response.read()
            finally:
                response.release()
        return response.status, body

    async def close(self) -> None:
        """Close every connection, idle or not."""
        self._closed = True
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        for connection in list(self._open):
            connection._close()
        self._open.clear()
        self._busy.clear()
        self._idle.clear()

    async def _sweep(self) -> None:
        # One sweep over the exchanges in flight instead of a timer per request: read
        # timeouts fire up to a quarter of the timeout late, and cost nothing per request.
        loop = asyncio.get_running_loop()
        interval = min(1.0, self.read_timeout / 4)
        while True:
            await asyncio.sleep(interval)
            now = loop.time()
            for connection in list(self._busy):
                connection.check_silence(now)

    async def _acquire(self, origin: Origin) -> _Connection:
        idle = self._idle.get(origin)
        if idle:
            while idle:
                connection = idle.pop()  # the most recently used: the least likely stale
                if not connection.closed and connection.idle_for() < self.keepalive_seconds:
                    return connection
                self._forget(connection)
        return await self._connect(origin)

    async def _connect(self, origin: Origin) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.connect_timeout):
                _transport, connection = await loop.create_connection(
                    lambda: _Connection(loop, self.read_timeout), origin.host, origin.port
                )
        except TimeoutError:
            raise UpstreamTimeout(
                f"no connection to {origin.host}:{origin.port} within {self.connect_timeout} s"
            ) from None
        except OSError as error:
            raise UpstreamUnavailable(
                f"cannot connect to {origin.host}:{origin.port}: {error.strerror or error}"
            ) from None
        self._open.add(connection)
        return connection

    def _release(self, origin: Origin, connection: _Connection) -> None:
        self._busy.discard(connection)
        if connection.reusable() and not self._closed:
            connection.mark_idle()
            self._idle.setdefault(origin, collections.deque()).append(connection)
        else:
            self._forget(connection)

    def _forget(self, connection: _Connection) -> None:
        connection._close()
        self._open.discard(connection)
        self._busy.discard(connection)
