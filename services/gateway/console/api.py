"""The console's one way to the node's records: the services' HTTP API, called as the signed-in
user, on the gateway's pooled upstream client (the proxy's, `services.gateway.proxy`).

Each call carries a fresh, short-lived token of the user's principal (`roles.principal_of`), so
the service checks it as it checks any client's, applies the same authority rules and writes the
same audit entries, naming `user:<username>`. A read-only user calls without a token.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import orjson

from services.gateway.runtime import GatewayRuntime
from services.gateway.upstream_client import UpstreamError, UpstreamTimeout
from services.gateway.upstreams import Upstream
from shared.auth import Principal

Query = dict[str, str | int | bool | None]


@dataclass(frozen=True)
class Answer:
    """A service's answer: its status and JSON body (a problem's members on an error)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def detail(self) -> str:
        """What went wrong, in the service's words."""
        if isinstance(self.body, dict):
            return str(self.body.get("detail") or self.body.get("title") or self.status)
        return str(self.status)

    @property
    def field_errors(self) -> list[dict[str, str]]:
        """A refused payload's reasons, each with the field it points at."""
        errors = self.body.get("errors") if isinstance(self.body, dict) else None
        return [e for e in errors or [] if isinstance(e, dict)]


class ServiceCalls:
    """Calls to the node's services for one request of one user (or of nobody)."""

    def __init__(
        self, runtime: GatewayRuntime, principal: Principal | None, request_id: str
    ) -> None:
        self.runtime = runtime
        self.principal = principal
        self.request_id = request_id

    def _upstream(self, path: str) -> Upstream:
        segment = path.removeprefix("/v1/").split("/", 1)[0]
        for upstream in self.runtime.upstreams:
            if segment in upstream.segments:
                return upstream
        raise ValueError(f"no service serves {path!r}")

    async def get(self, path: str, query: Query | None = None) -> Answer:
        return await self.call("GET", path, query=query)

    async def post(self, path: str, body: Any = None, *, content_type: str | None = None) -> Answer:
        return await self.call("POST", path, body=body, content_type=content_type)

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: Query | None = None,
        body: Any = None,
        content_type: str | None = None,
    ) -> Answer:
        """One exchange; a service that cannot be reached is a 503 answer, not an exception."""
        upstream = self._upstream(path)
        target = urllib.parse.quote(path)
        if query:
            pairs = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in query.items()}
            target += "?" + urllib.parse.urlencode(
                {k: v for k, v in pairs.items() if v not in ("", "None")}
            )
        headers = [
            (b"accept", b"application/json"),
            (b"x-request-id", self.request_id.encode("latin-1")),
        ]
        if self.principal is not None:
            issuer = self.runtime.issuer
            if issuer is None:
                return Answer(503, {"detail": "this node issues no tokens"})
            token = issuer.issue(self.principal)
            headers.append((b"authorization", b"Bearer " + token.encode("ascii")))
        payload: bytes | None = None
        if body is not None:
            payload = body if isinstance(body, bytes) else orjson.dumps(body)
            kind = content_type or "application/json"
            headers.append((b"content-type", kind.encode("latin-1")))
            headers.append((b"content-length", str(len(payload)).encode()))
        try:
            async with asyncio.timeout(self.runtime.settings.upstream_timeout_seconds):
                response = await self.runtime.client.request(
                    upstream.origin, method, target.encode("ascii"), headers, payload
                )
                try:
                    raw = await response.read()
                finally:
                    response.release()
        except (UpstreamTimeout, TimeoutError):
            return Answer(504, {"detail": f"the {upstream.name} service did not answer in time"})
        except UpstreamError:
            return Answer(503, {"detail": f"the {upstream.name} service is unavailable"})
        answer_headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in response.headers
        }
        try:
            parsed = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            parsed = None
        return Answer(response.status, parsed, answer_headers)
