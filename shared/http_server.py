"""The HTTP/1.1 server protocol every edunode process serves with (uvicorn's httptools one,
with limits): a request head is bounded, and what the parser refuses is answered as a
problem, not as uvicorn's plain text.

- A request target (path and query) longer than `MAX_REQUEST_TARGET_BYTES` is a 414.
- A request head (request line and header fields) longer than `MAX_REQUEST_HEAD_BYTES` is a
  431, counted as the bytes arrive: a 10 MB header is refused after its first 32 KiB, never
  held whole.
- Anything else the parser cannot read is a 400.

Each answer is `application/problem+json` and ends the connection (what followed the head
cannot be told from a next request), with a lingering close so the client reads it. Values
as nginx's `large_client_header_buffers 4 8k` and Node's 16 KiB: enough for a bearer token
and the longest query a list route takes.

A response's head and body go out in one write when the app sends both in the same turn of
the event loop (`CoalescedWrites`), as every small JSON answer does: uvicorn writes each ASGI
message at once, so each response cost two TCP segments, two system calls and two wake-ups
of the client.
"""

from __future__ import annotations

import asyncio

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from shared.errors import PROBLEM_MEDIA_TYPE, Problem

MAX_REQUEST_TARGET_BYTES = 8 * 1024
MAX_REQUEST_HEAD_BYTES = 32 * 1024
# After a refusal the connection is half-closed and what the client still sends is read and
# dropped for this long (a "lingering close", as nginx does): closing at once with its bytes
# unread would reset the connection, and the client would lose the answer before reading it.
LINGER_SECONDS = 5.0

_REASONS = {400: b"Bad Request", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}
_SLUGS = {400: "bad-request", 414: "uri-too-long", 431: "request-header-fields-too-large"}
_TITLES = {400: "Bad request", 414: "URI too long", 431: "Request header fields too large"}


class _Refused(Exception):
    """Raised from a parser callback: the request is refused with `status`."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


# Written at once past this size rather than held until the end of the loop's turn.
COALESCE_BYTES = 64 * 1024


class CoalescedWrites:
    """What a request's response cycle writes through: the writes of one turn of the event
    loop, joined and sent at its end (or at once past `COALESCE_BYTES`), in their order.
    Only the cycle writes through it; the protocol flushes it before writing itself."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        self._pending.append(data)
        self._size += len(data)
        if self._size > COALESCE_BYTES:
            self.flush()
        elif len(self._pending) == 1:
            self._loop.call_soon(self.flush)

    def flush(self) -> None:
        """Write what is pending (dropped if the connection is gone or being closed)."""
        if not self._pending:
            return
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending = []
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def close(self) -> None:
        self.flush()
        self._transport.close()


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits of this module (pass it as uvicorn's
    `http`), writing each response's head and body together (`CoalescedWrites`). Its parser
    errors reach `send_400_response`, which answers the refusal."""

    _head_bytes = 0  # bytes received of a head not complete yet
    _field_bytes = 0  # bytes of the current message's header fields parsed so far
    _in_head = True  # from the end of one message until the next one's headers are complete
    _head_ended = False  # a head (or a whole message) ended in the data being parsed
    _refusal: _Refused | None = None
    _refused = False  # answered with a refusal: the rest of the connection is dropped
    _writes: CoalescedWrites | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._writes = CoalescedWrites(transport, self.loop)

    def _unsupported_upgrade_warning(self) -> None:
        """No service speaks WebSocket: the processes serve with `ws="none"` (its modules
        cost every process memory, bench.memory), so a request asking to upgrade is answered
        as plain HTTP. uvicorn would log two warnings for each, one of them advising to
        install a WebSocket library; a client could fill the log with them."""

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_REQUEST_TARGET_BYTES:
            # Kept, and raised: the parser stops, uvicorn calls send_400_response.
            self._refusal = _Refused(
                414, f"the request target is longer than {MAX_REQUEST_TARGET_BYTES} bytes"
            )
            raise self._refusal

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._field_bytes = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        # A head that arrived whole in one read is only seen here, field by field.
        self._field_bytes += len(name) + len(value) + 4  # ": " and CRLF
        if len(self.url) + self._field_bytes > MAX_REQUEST_HEAD_BYTES:
            raise self._too_large()
        super().on_header(name, value)

    def _too_large(self) -> _Refused:
        self._refusal = _Refused(
            431, f"the request's header fields are longer than {MAX_REQUEST_HEAD_BYTES} bytes"
        )
        return self._refusal

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_ended = True
        self._head_bytes = 0
        previous = self.cycle
        super().on_headers_complete()
        if self.cycle is not previous and self._writes is not None:  # a new request's cycle
            self.cycle.transport = self._writes  # type: ignore[assignment]

    def _flush(self) -> None:
        """Write the responses still pending, before the protocol writes or closes itself."""
        if self._writes is not None:
            self._writes.flush()

    def shutdown(self) -> None:
        self._flush()
        super().shutdown()

    def timeout_keep_alive_handler(self) -> None:
        self._flush()
        super().timeout_keep_alive_handler()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True
        self._head_ended = True

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # lingering: read and dropped
        self._head_ended = False
        super().data_received(data)
        if self._refused or not self._in_head or self.transport.is_closing():
            return
        if self._head_ended:
            # Only the tail of `data` can belong to the next head: count from the next read
            # (a head split so is still bounded, by one read more, and by `on_header`).
            self._head_bytes = 0
            return
        # All of `data` belongs to a head not complete yet (the parser would have said so).
        self._head_bytes += len(data)
        if self._head_bytes > MAX_REQUEST_HEAD_BYTES:
            self._too_large()
            self.send_400_response("")

    def send_400_response(self, msg: str) -> None:
        refusal = self._refusal or _Refused(400, "the request is not valid HTTP/1.1")
        self._refusal = None
        self.logger.info("request refused: %d %s", refusal.status, refusal.detail)
        problem = Problem(
            type=f"urn:edunode:problem:{_SLUGS[refusal.status]}",
            title=_TITLES[refusal.status],
            status=refusal.status,
            detail=refusal.detail,
        )
        body = orjson.dumps(problem.model_dump(exclude_none=True))
        head = [b"HTTP/1.1 %d %s\r\n" % (refusal.status, _REASONS[refusal.status])]
        head.extend(
            name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
        )
        head.append(b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n")
        head.append(b"x-content-type-options: nosniff\r\n")
        head.append(b"content-length: %d\r\n" % len(body))
        head.append(b"connection: close\r\n\r\n")
        self._refused = True
        self._flush()  # a response already given goes first
        self.transport.write(b"".join(head) + body)
        if self.transport.can_write_eof():
            self.transport.write_eof()  # the answer, then FIN; the client's bytes still drain
            self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()
