"""The gateway: one front door per node (BRIEF §5).

`/v1/<service>/...` is forwarded to the service that owns it by the proxy, a pure ASGI layer
in front of FastAPI (`FrontDoor`). FastAPI serves the gateway's own routes: tokens
(`/v1/auth`), the merged `/openapi.json` and `/docs`, `/healthz`, `/readyz` (the gateway's
database and every service) and `/metrics`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from services.gateway.audit import gateway_audit_router
from services.gateway.audit import index_router as audit_index_router
from services.gateway.clients.router import router as clients_router
from services.gateway.console.router import mount_console
from services.gateway.federation.router import router as federation_router
from services.gateway.limits import FrontDoorLimits
from services.gateway.node.router import router as node_router
from services.gateway.proxy import FrontDoor, Proxy
from services.gateway.runtime import GatewayRuntime
from services.gateway.settings import GatewaySettings
from services.gateway.verifier.page import router as verifier_router
from shared.auth import declare_optional_auth
from shared.errors import document_problems
from shared.logging import configure_logging
from shared.openapi_examples import add_missing_examples
from shared.settings import load_settings
from shared.tracing import Tracing
from shared.web import RequestContextMiddleware, ServiceApp, create_service_app, tracing_of

SERVICE = "gateway"
VERSION = "0.1.0"

DESCRIPTION = """\
The public API of one edunode node: its directory of institutions and programmes, quality
assurance results, recognition of foreign qualifications and the reference frameworks behind
them. Every service of the node is reached through this gateway.

**Reading** public records (institutions, programmes, QA results and status, frameworks,
agreements, published decisions) needs no token. **Writing**, and everything about
recognition cases, needs an access token: get one from `POST /v1/auth/token` with your
client id and secret, and send it as `Authorization: Bearer <token>`.

Every error is an RFC 9457 `application/problem+json` document carrying the request id
(`X-Request-ID`) to quote when reporting it.
"""

READYZ_DESCRIPTION = (
    "Ready to serve: the gateway's database answers, every service of the node answers "
    "its own `/readyz`, and the merged `/openapi.json` holds every service's routes. A 503 "
    "problem names what is failing."
)

TAGS: list[dict[str, Any]] = [
    {"name": "auth", "description": "Access tokens for API clients (OAuth2 client credentials)."},
    {"name": "operations", "description": "Liveness, readiness and metrics of the node."},
    {"name": "audit", "description": "The append-only, hash-chained logs of every write."},
    {"name": "federation", "description": "The nodes this node federates with, and their sync."},
]


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """The gateway's ASGI app; reads `EDUNODE_GATEWAY_*` when no settings are given."""
    settings = settings or load_settings(GatewaySettings)

    def own_document() -> dict[str, Any]:  # called once the app below exists
        document: dict[str, Any] = add_missing_examples(  # own routes, as a service has them
            document_problems(declare_optional_auth(FastAPI.openapi(app)))
        )
        readyz = document["paths"]["/readyz"]["get"]
        readyz["description"] = READYZ_DESCRIPTION  # the kernel's text is a service's
        return document

    runtime = GatewayRuntime(settings, own_document)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        configure_logging(
            service=SERVICE, node=settings.node_id, level=settings.log_level, json=settings.log_json
        )
        _app.state.tracing = Tracing.configured(
            service=SERVICE, node=settings.node_id, endpoint=settings.otlp_endpoint
        )
        await runtime.start()
        _app.state.tracing.instrument(runtime.database.engine)
        _app.state.token_verifier = runtime.verifier  # the gateway's own routes' principals
        try:
            yield
        finally:
            await runtime.stop()
            await asyncio.to_thread(_app.state.tracing.shutdown)  # a flush may wait

    app = create_service_app(
        service=SERVICE,
        title=f"edunode {settings.node_id} API",
        description=DESCRIPTION,
        version=VERSION,
        lifespan=lifespan,
        readiness=lambda _app: runtime.readiness(),
        openapi_tags=TAGS,
        app_class=_GatewayApp,
    )
    app.state.gateway = runtime
    app.include_router(clients_router)
    app.include_router(gateway_audit_router)
    app.include_router(audit_index_router)
    app.include_router(federation_router)
    app.include_router(node_router)
    app.include_router(verifier_router)  # `/verify`: the verifier page
    mount_console(app)  # `/console`: the web application for the node's people
    _serve_merged_openapi(app, runtime)
    _open_front_door(app, runtime)
    return app


class _GatewayApp(ServiceApp):
    """FastAPI whose every call enters through the gateway's front door first."""

    front_door: ASGIApp
    merged_openapi: Callable[[], dict[str, Any]] | None = None

    def openapi(self) -> dict[str, Any]:
        """The node's merged document once the gateway has one, else its own routes'."""
        return self.merged_openapi() if self.merged_openapi is not None else super().openapi()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.front_door(scope, receive, send)


def _open_front_door(app: FastAPI, runtime: GatewayRuntime) -> None:
    """Put the proxy in front of FastAPI.

    A request for a service goes through the kernel's request context (request id,
    traceparent, metrics) straight to the proxy; FastAPI's own per-request work (its
    OpenTelemetry check, about 20 µs a request, then its error, telemetry and body-limit
    middleware and its routing) is for the gateway's own routes only. In front of it all, the
    limits (`services.gateway.limits`): rate, body size and security headers. This is where most of
    the gateway's savings over a FastAPI route come from (`bench/gateway.py`).
    """
    assert isinstance(app, _GatewayApp)
    front_door = FrontDoor(
        partial(FastAPI.__call__, app),
        proxy=RequestContextMiddleware(
            Proxy(runtime), service=SERVICE, tracing=partial(tracing_of, app)
        ),
        upstreams=runtime.upstreams,
    )
    # Limits and security headers come first, for the proxied and the own routes alike.
    app.front_door = FrontDoorLimits(front_door, runtime)


def _serve_merged_openapi(app: FastAPI, runtime: GatewayRuntime) -> None:
    """Replace FastAPI's `/openapi.json` with the node's merged document (FastAPI's `/docs`
    and `/redoc` read it from the same URL)."""
    app.router.routes[:] = [r for r in app.router.routes if not _is_openapi_route(r)]

    async def openapi_document(request: Request) -> Response:
        document = await runtime.openapi.document(runtime.client)
        return Response(orjson.dumps(document), media_type="application/json")

    app.router.routes.insert(0, Route("/openapi.json", openapi_document, include_in_schema=False))
    assert isinstance(app, _GatewayApp)
    app.merged_openapi = runtime.openapi.cached


def _is_openapi_route(route: BaseRoute) -> bool:
    return isinstance(route, Route) and route.path == "/openapi.json"
