"""The front door's limits (docs/limits.md): rate limiting per client and per address, the
request body limit, and the security headers, on every request the gateway serves.

Rate limiting is GCRA (the generic cell rate algorithm: a token bucket kept as one timestamp
per key), in this process's memory: with several gateway replicas each enforces the limits on
its own (Kong's "local" policy). A client with a valid token is limited by its role's policy,
anything else by its address's anonymous policy.
"""

from __future__ import annotations

import functools
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import TYPE_CHECKING, NamedTuple

import orjson
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.console.live import LIVE_SESSIONS
from services.gateway.metrics import BODY_TOO_LARGE, RATE_LIMITED
from services.gateway.settings import RatePolicy
from services.gateway.verifier.page import PAGE_POLICIES
from shared.api_docs import is_docs_path
from shared.errors import PROBLEM_MEDIA_TYPE, ProblemError, Unauthorized
from shared.web import SecurityHeaders, replacing_headers, request_id_from

if TYPE_CHECKING:
    from services.gateway.runtime import GatewayRuntime

# Operations and documentation are never limited: probes and scrapers poll them.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/openapi.json"})
ANONYMOUS = "anonymous"
CONSOLE = "console"
Network = IPv4Network | IPv6Network


class TooManyRequests(ProblemError):
    status, slug = 429, "too-many-requests"


class ContentTooLarge(ProblemError, HTTPException):
    """Raised into whoever reads a body that grows past its limit. Also an `HTTPException`,
    because FastAPI turns any other error raised while it reads a body into a 400; the
    problem handler still renders it (`ProblemError` comes first in the MRO)."""

    status, slug = 413, "content-too-large"
    headers: dict[str, str]

    def __init__(self, detail: str) -> None:
        ProblemError.__init__(self, detail)
        self.status_code = self.status


class Verdict(NamedTuple):
    """What the limiter decided about one request (a tuple: one is made per request)."""

    allowed: bool
    remaining: int  # requests that may follow at once
    reset_after: float  # seconds until the bucket is full again
    retry_after: float  # seconds until the next request is allowed (0 when this one was)


class RateLimiter:
    """GCRA per key. A key's whole state is its theoretical arrival time (TAT): the moment its
    bucket would be full again. One that lies in the past means a full bucket, so idle keys are
    dropped without changing any outcome; beyond `max_keys`, the least recently allowed go
    first (they start again with a full bucket)."""

    def __init__(self, *, max_keys: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_keys = max_keys
        self._clock = clock
        self._arrivals: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._arrivals)

    def hit(self, key: str, policy: RatePolicy) -> Verdict:
        """Count one request of `key` under `policy`, if it is allowed."""
        now = self._clock()
        interval = 1.0 / policy.per_second
        capacity = policy.burst * interval
        arrival = max(self._arrivals.get(key, now), now)
        due = arrival + interval
        # A hair of tolerance, so that float rounding never refuses the last of a burst.
        if due - now > capacity + 1e-9:
            return Verdict(False, 0, arrival - now, due - now - capacity)
        self._arrivals[key] = due
        self._arrivals.move_to_end(key)
        self._forget_idle(now)
        remaining = int((capacity - (due - now)) / interval + 1e-9)
        return Verdict(True, remaining, due - now, 0.0)

    def _forget_idle(self, now: float) -> None:
        arrivals = self._arrivals
        for _ in range(2):  # a little per call: the table never needs a sweep of its own
            oldest = next(iter(arrivals))
            if arrivals[oldest] > now:
                break
            del arrivals[oldest]
        while len(arrivals) > self.max_keys:
            arrivals.popitem(last=False)


def rate_limit_headers(
    name: str, policy: RatePolicy, verdict: Verdict
) -> list[tuple[bytes, bytes]]:
    """The IETF draft's `RateLimit-Policy` and `RateLimit` fields, and the older
    `RateLimit-Limit` / `-Remaining` / `-Reset` trio many clients still read."""
    quoted, policy_field, limit = _policy_fields(name, policy.per_second, policy.burst)
    reset = max(0, math.ceil(verdict.reset_after))
    remaining = b"%d" % verdict.remaining
    return [
        (b"ratelimit-policy", policy_field),
        (b"ratelimit", b"%s;r=%s;t=%d" % (quoted, remaining, reset)),
        (b"ratelimit-limit", limit),
        (b"ratelimit-remaining", remaining),
        (b"ratelimit-reset", b"%d" % reset),
    ]


@functools.lru_cache(maxsize=64)
def _policy_fields(name: str, per_second: float, burst: int) -> tuple[bytes, bytes, bytes]:
    """What a policy's headers say whatever the verdict: computed once per policy (keyed by
    its numbers: hashing the policy model itself costs more than the headers)."""
    quoted = b'"%s"' % name.encode()
    window = max(1, math.ceil(burst / per_second))
    return quoted, b"%s;q=%d;w=%d" % (quoted, burst, window), b"%d" % burst


def client_address(scope: Scope, trusted: Sequence[Network]) -> str:
    """The caller's address: the socket peer, or, when the peer is a trusted proxy, the
    right-most address of `X-Forwarded-For` that is not one (the left-most entries are
    whatever the client claimed and prove nothing)."""
    peer = scope.get("client")
    address = peer[0] if peer else "unknown"
    if not trusted or not _is_trusted(address, trusted):
        return address
    hops: list[str] = []
    for name, value in scope["headers"]:
        if name == b"x-forwarded-for":
            hops += [hop.strip() for hop in value.decode("latin-1").split(",")]
    for hop in reversed(hops):
        if _parse(hop) is None:
            break  # not an address: the chain is not to be believed past this point
        address = hop
        if not _is_trusted(hop, trusted):
            break
    return address


def _parse(address: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(address)
    except ValueError:
        return None


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in trusted)


class FrontDoorLimits:
    """Pure ASGI, outermost: security headers on every response; then, for all but the
    operational and documentation routes, the rate limit (429 with `Retry-After`) and the
    body limit (413, from `Content-Length` at once or while a body streams in)."""

    def __init__(self, app: ASGIApp, runtime: GatewayRuntime) -> None:
        settings = runtime.settings
        self.app = app
        self.runtime = runtime
        self.settings = settings
        self.limiter = RateLimiter(max_keys=settings.rate_limit_max_keys)
        self.security = SecurityHeaders(
            hsts_max_age=settings.hsts_max_age_seconds, page_policies=PAGE_POLICIES
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        security, replaced = self.security.for_request(scope)
        path: str = scope["path"]
        if path in EXEMPT_PATHS or is_docs_path(path):
            await self.app(scope, receive, replacing_headers(send, security, replaced))
            return
        added: list[tuple[bytes, bytes]] = []
        if self.settings.rate_limit_enabled:
            name, key, policy = self._policy_of(scope)
            verdict = self.limiter.hit(key, policy)
            added = rate_limit_headers(name, policy, verdict)
            if not verdict.allowed:
                RATE_LIMITED.labels(name).inc()
                retry = max(1, math.ceil(verdict.retry_after))
                refusal = TooManyRequests(
                    f"too many requests: the {name} limit is {policy.burst} at once and "
                    f"{policy.per_second:g} a second; retry in {retry} s"
                )
                retry_after = (b"retry-after", b"%d" % retry)
                secured = replacing_headers(send, security, replaced)
                await send_refusal(scope, secured, refusal, [*added, retry_after])
                return

        limit = self.settings.body_limit_for(path)
        declared, streamed = _declared_body(scope)
        if declared is not None and declared > limit:
            BODY_TOO_LARGE.inc()
            secured = replacing_headers(send, security, replaced)
            await send_refusal(scope, secured, _too_large(limit), added)
            return
        if not declared and not streamed:  # no body (RFC 9112 §6.3): nothing to count
            # The rate limit's headers, then the security headers: one wrapper for both.
            await self.app(scope, receive, replacing_headers(send, (*added, *security), replaced))
            return
        await self._within_body_limit(
            scope, receive, replacing_headers(send, security, replaced), limit, added
        )

    async def _within_body_limit(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        limit: int,
        added: list[tuple[bytes, bytes]],
    ) -> None:
        """Pass a request with a body on, refused with 413 once more than `limit` bytes of
        it have arrived (while the response has not started)."""
        received = 0
        started = False

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    BODY_TOO_LARGE.inc()
                    # Raised into whoever reads the body: the proxy then abandons the
                    # service's half-sent request (its connection is closed, never reused)
                    # and answers 413 itself, as FastAPI's handlers do for the own routes.
                    raise _too_large(limit)
            return message

        async def send_with_limits(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if added:
                    message["headers"] = [*message.get("headers", ()), *added]
            await send(message)

        try:
            await self.app(scope, receive_within_limit, send_with_limits)
        except ContentTooLarge as refusal:
            if started:
                raise
            await send_refusal(scope, send, refusal, added)

    def _policy_of(self, scope: Scope) -> tuple[str, str, RatePolicy]:
        """(policy name, bucket key, policy): the client's role with a valid token, else the
        caller's address. An invalid token counts against the address; the 401 itself is
        left to the route (or the proxy), which verifies the token again (a valid one from
        the verifier's cache). A console page of a signed-in person counts in that person's
        bucket under their API role's policy (`console.live`)."""
        if scope["path"].startswith("/console"):
            person = LIVE_SESSIONS.person_of_headers(scope["headers"])
            if person is not None:
                username, role = person
                policy = (
                    self.settings.role_rate_limits[role]
                    if role is not None
                    else self.settings.anonymous_rate_limit
                )
                return CONSOLE, f"user:{username}", policy
        verifier = self.runtime.verifier
        for name, value in scope["headers"]:
            if name == b"authorization" and value[:7].lower() == b"bearer " and verifier:
                try:
                    principal = verifier.verify(value[7:].strip().decode("latin-1"))
                except Unauthorized:
                    break
                role = principal.role
                return (
                    role.value,
                    f"client:{principal.client_id}",
                    self.settings.role_rate_limits[role],
                )
        address = client_address(scope, self.settings.trusted_proxies)
        return ANONYMOUS, f"ip:{address}", self.settings.anonymous_rate_limit


def _too_large(limit: int) -> ContentTooLarge:
    return ContentTooLarge(f"the request body is larger than this route's limit of {limit} bytes")


def _declared_body(scope: Scope) -> tuple[int | None, bool]:
    """The request's `Content-Length` (None if absent or not a number), and whether its body
    comes in chunks (`Transfer-Encoding`), of a length nothing declares."""
    length: int | None = None
    streamed = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = int(value) if value.isdigit() else None
        elif name == b"transfer-encoding":
            streamed = True
    return length, streamed


async def send_refusal(
    scope: Scope, send: Send, error: ProblemError, headers: list[tuple[bytes, bytes]]
) -> None:
    """Answer with problem+json before the request went any further in (so with its own
    request id: the request context has not run)."""
    request_id = request_id_from(scope)
    problem = error.to_problem()
    problem.instance = scope["path"]
    problem.request_id = request_id
    body = orjson.dumps(problem.model_dump(exclude_none=True))
    start: list[tuple[bytes, bytes]] = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", b"%d" % len(body)),
        (b"x-request-id", request_id.encode("latin-1")),
        *headers,
    ]
    if error.status == 413:
        start.append((b"connection", b"close"))  # the rest of the body is not read
    await send({"type": "http.response.start", "status": problem.status, "headers": start})
    await send({"type": "http.response.body", "body": body})
