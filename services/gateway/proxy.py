"""The front door: pure ASGI that forwards `/v1/<service path>` to the service that owns it,
in front of FastAPI.

`FrontDoor` sends a proxied request through the kernel's `RequestContextMiddleware` (request
id, child `traceparent`, echo of the id, request metrics) to `Proxy`, which does the rest of
the gateway's work on every request: the bearer-token check, the upstream call on the one
pooled upstream client with bodies streamed both ways, header hygiene and the upstream
metrics. Plain ASGI keeps per-request work to what a proxy needs: no FastAPI middleware stack,
no Request object, no dependency resolution, no body re-parsing (`bench/gateway.py` measures
what that buys).
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

import orjson
import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from services.gateway.upstream_client import (
    UpstreamError,
    UpstreamResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from services.gateway.upstreams import ProxyRoute, Upstream
from shared.errors import PROBLEM_MEDIA_TYPE, ProblemError, ServiceUnavailable, Unauthorized

if TYPE_CHECKING:
    from services.gateway.runtime import GatewayRuntime

log = structlog.get_logger("edunode.gateway.proxy")

# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded (either way).
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Request headers the proxy sets itself (or the caller's server already handled: `expect`).
_REQUEST_OWN = frozenset(
    {
        b"host",
        b"x-request-id",
        b"traceparent",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
        b"expect",
    }
)
# Response headers the gateway's own server writes (or the request context echoes).
_RESPONSE_OWN = frozenset({b"x-request-id", b"date", b"server"})
_SKIP_REQUEST = HOP_BY_HOP | _REQUEST_OWN
_SKIP_RESPONSE = HOP_BY_HOP | _RESPONSE_OWN
_CONNECTION_TOKENS_KEPT = frozenset({"keep-alive", "close", ""})


class BadGateway(ProblemError):
    status, slug = 502, "bad-gateway"


class GatewayTimeout(ProblemError):
    status, slug = 504, "gateway-timeout"


class InternalError(ProblemError):
    status, slug = 500, "internal"


class _CallerGone(Exception):
    """The caller disconnected while its request body was being forwarded."""


def _connection_tokens(value: bytes) -> frozenset[bytes]:
    return frozenset(
        token.strip().lower().encode("latin-1")
        for token in value.decode("latin-1").split(",")
        if token.strip().lower() not in _CONNECTION_TOKENS_KEPT
    )


def response_headers(raw: Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """A service's response headers as the caller may see them: hop-by-hop ones (and those
    its `Connection` header names) dropped, names lowercased as ASGI wants them."""
    headers: list[tuple[bytes, bytes]] = []
    named: frozenset[bytes] = frozenset()
    for name, value in raw:
        lower = name.lower()
        if lower in _SKIP_RESPONSE or lower.startswith(b"proxy-"):
            if lower == b"connection":
                named = _connection_tokens(value)
            continue
        headers.append((lower, value))
    if named:
        headers = [item for item in headers if item[0] not in named]
    return headers


def public_location(
    headers: list[tuple[bytes, bytes]], internal: bytes, public: bytes
) -> list[tuple[bytes, bytes]]:
    """`headers` with a `Location` that points at the service's own address (`internal`,
    e.g. `http://127.0.0.1:9101`: services build it from the address the gateway called them
    at) pointing at the gateway's instead (`public`: its scheme and host, or empty for a
    path-only Location), so the caller follows it through the front door and its limits.
    Other Locations (another site) are left as they are."""
    for index, (name, value) in enumerate(headers):
        if name == b"location" and value.startswith(internal):
            rest = value[len(internal) :]
            if not rest or rest[:1] in (b"/", b"?", b"#"):
                headers[index] = (name, public + (rest or b"/"))
    return headers


class FrontDoor:
    """The gateway's outermost ASGI layer: a request for a service goes straight to the proxy
    (through the kernel's request context); anything else to FastAPI's full stack."""

    def __init__(self, app: ASGIApp, *, proxy: ASGIApp, upstreams: list[Upstream]) -> None:
        self.app = app
        self.proxy = proxy
        self.routes: dict[str, ProxyRoute] = {
            segment: upstream.route for upstream in upstreams for segment in upstream.segments
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] == "http" and path.startswith("/v1/"):
            slash = path.find("/", 4)
            route = self.routes.get(path[4:] if slash < 0 else path[4:slash])
            if route is not None:
                scope["route"] = route  # what the request metrics are labelled with
                await self.proxy(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Proxy:
    """Forwards a request to the service its `scope["route"]` names, streaming both ways."""

    def __init__(self, runtime: GatewayRuntime) -> None:
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        upstream = scope["route"].upstream
        try:
            await self._forward(upstream, scope, receive, send)
        except ProblemError as problem:  # raised before the response started
            await send_problem(scope, send, problem)
        except (UpstreamError, _CallerGone):
            raise  # mid-response: all that is left is to cut the caller's connection
        except Exception as error:  # a bug; FastAPI's error handler is not in this path
            log.exception("proxy_failed", service=upstream.name, exc_info=error)
            await send_problem(scope, send, InternalError("an unexpected error occurred"))

    async def _forward(
        self, upstream: Upstream, scope: Scope, receive: Receive, send: Send
    ) -> None:
        runtime = self.runtime
        client = runtime.http
        if client is None:
            raise ServiceUnavailable("the gateway is starting or stopping")
        headers: list[tuple[bytes, bytes]] = []
        connection: bytes | None = None
        forwarded_for: bytes | None = None
        host: bytes | None = None
        has_body = False
        for name, value in scope["headers"]:  # ASGI: names already lowercase
            if name in _SKIP_REQUEST or name.startswith(b"proxy-"):
                if name == b"host":
                    host = value
                elif name == b"connection":
                    connection = value
                elif name == b"x-forwarded-for":
                    forwarded_for = value
                elif name == b"transfer-encoding":
                    has_body = True
                continue
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                verifier = runtime.verifier
                if verifier is None:
                    raise Unauthorized("this node has no token key configured")
                verifier.verify(value[7:].strip().decode("latin-1"))  # cached; may raise 401
            elif name == b"content-length" and value != b"0":
                has_body = True
            headers.append((name, value))
        if connection is not None:
            named = _connection_tokens(connection)
            if named:
                headers = [item for item in headers if item[0] not in named]
        state = scope["state"]
        headers.append((b"x-request-id", state["request_id"].encode("latin-1")))
        headers.append((b"traceparent", state["traceparent"].encode("latin-1")))
        caller = scope.get("client")
        if caller:
            address = caller[0].encode("latin-1")
            forwarded_for = forwarded_for + b", " + address if forwarded_for else address
        if forwarded_for:
            headers.append((b"x-forwarded-for", forwarded_for))
        headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode("latin-1")))
        if host:
            headers.append((b"x-forwarded-host", host))

        target: bytes = scope.get("raw_path") or path_of(scope)  # as received, not re-encoded
        if scope["query_string"]:
            target += b"?" + scope["query_string"]

        body: bytes | AsyncIterator[bytes] | None = None
        if has_body:
            first = await receive()
            if first["type"] == "http.disconnect":
                return
            if first.get("more_body", False):
                body = _request_body(first.get("body", b""), receive)
            else:  # the whole body came in one message: send it as bytes (replayable on retry)
                body = first.get("body", b"")

        started = time.perf_counter()
        try:
            response = await client.request(upstream.origin, scope["method"], target, headers, body)
        except _CallerGone:
            return
        except UpstreamTimeout as error:
            upstream.count("timeout")
            log.warning("upstream_timeout", service=upstream.name, error=str(error))
            raise GatewayTimeout(f"the {upstream.name} service did not answer in time") from None
        except UpstreamUnavailable as error:
            upstream.count("connect_error")
            log.warning("upstream_unavailable", service=upstream.name, error=str(error))
            raise ServiceUnavailable(f"the {upstream.name} service is unavailable") from None
        except UpstreamError as error:
            upstream.count("error")
            log.warning("upstream_failed", service=upstream.name, error=str(error))
            raise BadGateway(f"the {upstream.name} service failed to answer: {error}") from None
        upstream.latency.observe(time.perf_counter() - started)
        upstream.count(response.status)
        await self._relay(upstream, response, send)

    async def _relay(self, upstream: Upstream, response: UpstreamResponse, send: Send) -> None:
        """Stream the service's response to the caller as it arrives."""
        headers = response_headers(response.headers)
        if any(name == b"location" for name, _value in headers):
            # Path-only (RFC 9110 §10.2.2): the caller resolves it against the URL it called,
            # with the scheme and host it used, even through a TLS-terminating proxy that the
            # gateway cannot see past.
            headers = public_location(headers, upstream.internal_url, b"")
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status,
                    "headers": headers,
                }
            )
            while True:
                chunk = await response.read_chunk()
                if not chunk:
                    await send({"type": "http.response.body", "body": b""})
                    break
                done = response.at_end  # the last chunk ends the response: one message less
                await send({"type": "http.response.body", "body": chunk, "more_body": not done})
                if done:
                    break
        except UpstreamError as error:
            log.warning("upstream_broke_off", service=upstream.name, error=str(error))
            raise
        finally:
            response.release()  # back to the pool if read to the end, else closed


async def _request_body(first: bytes, receive: Receive) -> AsyncIterator[bytes]:
    """The caller's body, chunk by chunk as it arrives."""
    if first:
        yield first
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _CallerGone()
        body = message.get("body", b"")
        if body:
            yield body
        if not message.get("more_body", False):
            return


def path_of(scope: Scope) -> bytes:
    """The request path, percent-encoded again (for servers that give no `raw_path`)."""
    return urllib.parse.quote(scope["path"]).encode("ascii")


async def send_problem(scope: Scope, send: Send, error: ProblemError) -> None:
    """Answer with problem+json straight from ASGI (the proxy runs outside FastAPI's handlers)."""
    problem = error.to_problem()
    problem.instance = scope.get("path")
    problem.request_id = scope.get("state", {}).get("request_id")
    body = orjson.dumps(problem.model_dump(exclude_none=True))
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in error.headers.items()),
    ]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
