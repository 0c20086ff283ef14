"""What every service's FastAPI app has in common: request context (request id, trace id,
logs, metrics), problem+json errors, `/healthz`, `/readyz` and `/metrics`."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any, NamedTuple, TypedDict

import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.api_docs import DOCS_PAGES, serve_api_docs
from shared.audit_routes import audit_router
from shared.auth import declare_optional_auth
from shared.control_characters import ControlCharacterGuard
from shared.db import Database
from shared.dependencies import runtime_of
from shared.errors import (
    ServiceUnavailable,
    document_problems,
    install_problem_handlers,
    problem_responses,
)
from shared.federation import ServiceDigest, service_digest
from shared.health import ServiceHealth
from shared.idempotency import IdempotencyMiddleware, document_idempotency_key
from shared.logging import configure_logging, logs_at
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS
from shared.metrics import render as metrics_page
from shared.openapi_examples import add_missing_examples
from shared.runtime import ServiceRuntime
from shared.tracing import OFF, SpanKind, Tracing, child_span, enter, leave, random_hex

log = structlog.get_logger("edunode.http")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_from(scope: Scope) -> str:
    """The caller's `X-Request-ID` when it is safe to log and echo, else a fresh one."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            request_id: str = value.decode("latin-1")
            if _SAFE_REQUEST_ID.match(request_id):
                return request_id
            break
    return random_hex(32)


def tracing_of(app: Any) -> Tracing:
    """The spans of the service `app` serves: what its lifespan configured, else ids only."""
    tracing: Tracing = getattr(app.state, "tracing", OFF)
    return tracing


class RequestContextMiddleware:
    """Pure ASGI middleware: request id, trace context (a server span of its own continuing
    the caller's `traceparent`, exported by `tracing()` when it records), one structured log
    line and the metrics of each request."""

    def __init__(
        self, app: ASGIApp, *, service: str, tracing: Callable[[], Tracing] = lambda: OFF
    ) -> None:
        self.app = app
        self.service = service
        self.tracing = tracing
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        method = scope["method"]
        tracing = self.tracing()
        parent = ""
        for name, value in scope["headers"]:
            if name == b"traceparent":
                parent = value.decode("latin-1")  # the last one, if several
        if tracing.recording:
            span = tracing.start(
                method,  # named once the route is known: "GET /v1/institutions/{institution_id}"
                parent=parent,
                kind=SpanKind.SERVER,
                attributes={"http.request.method": method, "url.scheme": scope.get("scheme", "")},
            )
        else:  # only ids: nothing is built for a span nobody reads
            span = child_span(parent)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["traceparent"] = span.traceparent  # to the proxied request and into events
        status = 500
        started = time.perf_counter()

        async def send_with_context(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        entered = enter(span, request_id=request_id)
        try:
            await self.app(scope, receive, send_with_context)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            self._measure(method, route, status, elapsed)
            if span.otel is not None:
                span.finish(
                    name=f"{method} {route}",
                    attributes={"http.route": route, "http.response.status_code": status},
                    error=status >= 500,
                )
            # No path or query in the line: they can carry what a log must not.
            if status >= 500:
                log.warning("request", method=method, route=route, status=status, ms=elapsed * 1e3)
            elif logs_at(logging.INFO):  # a line dropped costs a logger bound for nothing
                log.info("request", method=method, route=route, status=status, ms=elapsed * 1e3)
            leave(entered)

    def _measure(self, method: str, route: str, status: int, elapsed: float) -> None:
        """Count the request and observe its latency. The metrics' children of each (method,
        route, status) are kept: looking a labelled child up costs more than counting, and
        their number is bounded as the labels are (methods the server parses, templates)."""
        children = self._children.get((method, route, status))
        if children is None:
            children = self._children[method, route, status] = (
                HTTP_REQUESTS.labels(self.service, method, route, str(status)),
                HTTP_LATENCY.labels(self.service, method, route),
            )
        requests, latency = children
        requests.inc()
        latency.observe(elapsed)


def route_template(scope: Scope) -> str:
    """The template of the route that served the request (`/v1/institutions/{institution_id}`),
    never the raw path: one metric series per route, however many ids are requested;
    `unmatched` when no route matched."""
    path = getattr(scope.get("route"), "path", None)
    if path:
        return str(path)
    # FastAPI records only its own routes in the scope; plain Starlette routes (`/openapi.json`,
    # `/docs`) leave just their endpoint.
    endpoint = scope.get("endpoint")
    if endpoint is not None:
        for route in getattr(scope.get("app"), "routes", ()):
            if getattr(route, "endpoint", None) is endpoint:
                return str(route.path)
    return "unmatched"


# Every response is JSON (or a stream of it) except the docs pages: nothing may be loaded,
# framed or submitted. The docs pages run Swagger UI and ReDoc (`shared.api_docs`), which load
# their script, styles and icon from this origin, start with an inline script, style with
# inline attributes, draw with data: images, run ReDoc's search in a blob: worker and fetch
# `/openapi.json` (and, on "Try it out", the API) from this origin: nothing from elsewhere.
JSON_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DOCS_CSP = (
    "default-src 'none'; "
    "script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

# The gateway's console (`/console`, docs/console.md): server-rendered pages whose stylesheet
# and forms are its own; no script, nothing from elsewhere, never framed.
CONSOLE_PREFIX = "/console"
CONSOLE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


Headers = tuple[tuple[bytes, bytes], ...]


class AddedHeaders(NamedTuple):
    """Headers added to a response in place of its own of the same names."""

    headers: Headers
    replaced: frozenset[bytes]


class SecurityHeaders:
    """The browser-facing security headers every response gets (`nosniff`, no referrer, no
    framing, a Content-Security-Policy for what the path serves), `Cache-Control: no-store`
    on answers to requests that carried credentials, and HSTS when `hsts_max_age` is given.
    `page_policies` gives particular paths a policy of their own (the gateway's verifier
    page). Each combination is built once: a request only picks one."""

    def __init__(
        self, *, hsts_max_age: int | None = None, page_policies: Mapping[str, str] = {}
    ) -> None:
        common: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]
        if hsts_max_age is not None:
            common.append(
                (b"strict-transport-security", b"max-age=%d; includeSubDomains" % hsts_max_age)
            )
        no_store = ((b"cache-control", b"no-store"),)

        def variants(policy: str) -> tuple[AddedHeaders, AddedHeaders]:
            """Without and with credentials."""
            plain = (*common, (b"content-security-policy", policy.encode()))
            return _replacing(plain), _replacing(plain + no_store)

        self._json = variants(JSON_CSP)
        self._console = variants(CONSOLE_CSP)
        self._pages = {path: variants(DOCS_CSP) for path in DOCS_PAGES} | {
            path: variants(policy) for path, policy in page_policies.items()
        }

    def for_request(self, scope: Scope) -> AddedHeaders:
        """The headers every response to this request gets, and the names they replace."""
        path: str = scope["path"]
        page = self._pages.get(path)
        if page is not None:
            plain, credentialed = page
        elif path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/"):
            plain, credentialed = self._console
        else:
            plain, credentialed = self._json
        for name, _value in scope["headers"]:
            if name == b"authorization":
                return credentialed
        return plain


def _replacing(headers: Headers) -> AddedHeaders:
    return AddedHeaders(headers, frozenset(name for name, _value in headers))


def replacing_headers(send: Send, added: Headers, replaced: frozenset[bytes]) -> Send:
    """`send`, with the response's headers named in `replaced` dropped and `added` appended."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [
                *(
                    (name, value)
                    for name, value in message.get("headers", ())
                    if name.lower() not in replaced
                ),
                *added,
            ]
        await send(message)

    return send_with_headers


class SecurityHeadersMiddleware:
    """Pure ASGI: the `SecurityHeaders` on every response, errors included. Headers of the
    same names set further in are replaced, so a proxied service's own copies never double
    up."""

    def __init__(self, app: ASGIApp, *, hsts_max_age: int | None = None) -> None:
        self.app = app
        self.headers = SecurityHeaders(hsts_max_age=hsts_max_age)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added, replaced = self.headers.for_request(scope)
        await self.app(scope, receive, replacing_headers(send, added, replaced))


class ServiceApp(FastAPI):
    """FastAPI whose OpenAPI document shows an example for every JSON body (see
    `shared.openapi_examples`), so developers integrate from the docs page, and says which
    operations take a token only optionally (`shared.auth.declare_optional_auth`). With
    `idempotent_posts`, every POST documents the `Idempotency-Key` it honours."""

    idempotent_posts = False

    def openapi(self) -> dict[str, Any]:
        document = declare_optional_auth(super().openapi())
        if self.idempotent_posts:
            document_idempotency_key(document)
        return add_missing_examples(document_problems(document))


def operation_id(route: APIRoute) -> str:
    """A short, stable operation id: the route's function name (`get_institution`), unique in
    the node's document (the gateway's merge prefixes a repeat with its service's name).
    Generated clients name their functions after it, in a module per tag
    (`api.institutions.get_institution`); FastAPI's default repeats the path and the method
    (`get_institution_v1_institutions__institution_id__get`)."""
    return route.name


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


ReadinessCheck = Callable[[], Awaitable[None]]


async def run_checks(checks: dict[str, ReadinessCheck]) -> dict[str, str]:
    """Run readiness checks in turn: each one's `ok`, or `failing: <why>`."""
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            await check()
            results[name] = "ok"
        except Exception as error:
            results[name] = f"failing: {error}"
    return results


def create_service_app(
    *,
    service: str,
    title: str,
    description: str,
    version: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]] | None,
    readiness: Callable[[FastAPI], dict[str, ReadinessCheck]],
    openapi_tags: list[dict[str, Any]] | None = None,
    app_class: type[FastAPI] | None = None,
    before_scrape: Callable[[FastAPI], Awaitable[None]] | None = None,
    idempotent_posts: bool = False,
) -> FastAPI:
    """A FastAPI app with the kernel's middleware, error handling and operational routes.
    `readiness(app)` returns the named checks `/readyz` runs (e.g. database, nats);
    `before_scrape(app)` brings gauges up to date before `/metrics` renders them. With
    `idempotent_posts`, POSTs honour `Idempotency-Key` (`shared.idempotency`; the app's state
    must hold a `ServiceRuntime` as `runtime`)."""
    app = (app_class or ServiceApp)(
        # Metrics are Prometheus's (shared.metrics); FastAPI's own OpenTelemetry hooks would
        # cost every request ~20 µs for nothing.
        telemetry={"tracing": False, "metrics": False},
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        openapi_tags=openapi_tags,
        # Every operation may meet a request it cannot read (a body that is not JSON, a cursor
        # it never issued) or one that breaks its schema, and the unexpected.
        responses=problem_responses(400, 422, 500),
        generate_unique_id_function=operation_id,
        # FastAPI's own pages load their code from a CDN; the kernel's are served whole.
        docs_url=None,
        redoc_url=None,
    )
    serve_api_docs(app)
    install_problem_handlers(app)
    if idempotent_posts:
        # Inside the request context (added after, so outside it): its problems carry the
        # request id, and its replays are counted and logged like any response.
        app.add_middleware(IdempotencyMiddleware)
        if isinstance(app, ServiceApp):
            app.idempotent_posts = True
    # Outside idempotency (a refused body claims no key), inside the request context.
    app.add_middleware(ControlCharacterGuard)
    app.add_middleware(RequestContextMiddleware, service=service, tracing=partial(tracing_of, app))
    app.add_middleware(SecurityHeadersMiddleware)

    @app.get("/healthz", tags=["operations"], summary="Liveness", response_model=Health)
    async def healthz() -> Health:
        """The process is alive. Says nothing about its dependencies (see `/readyz`)."""
        return Health(status="ok")

    @app.get(
        "/readyz",
        tags=["operations"],
        summary="Readiness",
        response_model=Health,
        responses=problem_responses(503),
    )
    async def readyz(request: Request) -> Health:
        """Ready to serve: the database answers, the broker is connected, and what the
        service needs in memory is loaded (the directory's search index)."""
        results = await run_checks(readiness(request.app))
        if any(state != "ok" for state in results.values()):
            raise ServiceUnavailable(
                "not ready: " + ", ".join(f"{k} {v}" for k, v in results.items() if v != "ok")
            )
        return Health(status="ok", checks=results)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        if before_scrape is not None:
            await before_scrape(request.app)
        return Response(metrics_page(), media_type=CONTENT_TYPE_LATEST)

    return app


def trace_runtime(runtime: ServiceRuntime[Any]) -> Tracing:
    """The service's spans as its settings configure them (`otlp_endpoint`), given to what
    runs in its runtime: the database's statements, the outbox relay, the consumers."""
    settings = runtime.settings
    tracing = Tracing.configured(
        service=runtime.service, node=settings.node_id, endpoint=settings.otlp_endpoint
    )
    tracing.instrument(runtime.database.engine)
    runtime.relay.tracing = tracing
    for consumer in runtime.consumers:
        consumer.tracing = tracing
    return tracing


class RuntimeState(TypedDict):
    """The lifespan state of a node service: what every request finds in `request.state`
    (Starlette hands each request a copy of what the lifespan yields)."""

    runtime: ServiceRuntime[Any]


def create_runtime_app(
    *,
    service: str,
    runtime_factory: Callable[[], ServiceRuntime[Any]],
    title: str,
    description: str,
    version: str = "0.1.0",
    routers: Sequence[APIRouter] = (),
    openapi_tags: list[dict[str, Any]] | None = None,
) -> FastAPI:
    """A node service's app: its lifespan starts a `ServiceRuntime` (database, bus, outbox
    relay, consumers, token verifier, the service's own work), yields it as the requests'
    state (`RuntimeState`) and stops it; `/readyz` checks the database and the broker. The
    runtime is also `app.state.runtime`, for what runs outside a request (readiness, scrapes,
    tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[RuntimeState]:
        runtime = runtime_factory()
        settings = runtime.settings
        configure_logging(
            service=runtime.service,
            node=settings.node_id,
            level=settings.log_level,
            json=settings.log_json,
        )
        app.state.runtime = runtime
        app.state.token_verifier = runtime.verifier
        app.state.tracing = trace_runtime(runtime)
        await runtime.start()
        try:
            yield {"runtime": runtime}
        finally:
            await runtime.stop()
            await asyncio.to_thread(app.state.tracing.shutdown)  # a flush may wait for a receiver

    def readiness(app: FastAPI) -> dict[str, ReadinessCheck]:
        runtime: ServiceRuntime[Any] = app.state.runtime
        return {
            "database": runtime.database.ping,
            "nats": runtime.check_nats,
            **runtime.readiness_checks(),
        }

    async def before_scrape(app: FastAPI) -> None:
        runtime: ServiceRuntime[Any] = app.state.runtime
        await runtime.measure()

    app = create_service_app(
        service=service,
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        readiness=readiness,
        openapi_tags=openapi_tags,
        before_scrape=before_scrape,
        idempotent_posts=True,
    )

    def locate(request: Request) -> tuple[Database, str]:
        runtime = runtime_of(request)
        return runtime.database, runtime.settings.node_id

    # First, so that `/v1/<service>/audit` is never taken for a record id.
    app.include_router(audit_router(service, locate=locate))
    for router in routers:
        app.include_router(router)

    @app.get("/internal/federation/digest", include_in_schema=False)
    async def federation_digest(request: Request) -> ServiceDigest:
        """Counts, checksums and peer state for the gateway's `/v1/federation/status`."""
        runtime = runtime_of(request)
        pending = await runtime.consumer_pending()
        async with runtime.database.session() as session:
            return await service_digest(
                session, runtime.records, runtime.tables, pending, node=runtime.settings.node_id
            )

    @app.get("/internal/health", include_in_schema=False)
    async def service_health(request: Request) -> ServiceHealth:
        """Readiness, outbox backlog, consumer lag, quarantined events and dead letters, for
        the gateway's `/v1/node/health` (and so `edunode status`)."""
        runtime = runtime_of(request)
        return await runtime.health(await run_checks(readiness(request.app)))

    return app
