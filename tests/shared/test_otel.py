"""OpenTelemetry in the kernel (`shared.tracing`, docs/observability.md): off unless an OTLP
endpoint is configured, as OpenTelemetry's environment variable specification names them; when
on, spans continue W3C `traceparent`s, requests are server spans named by their route
template, and the database's statements are children of the span they run in."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from sqlalchemy import text

from services.gateway.settings import GatewaySettings
from services.recognition.settings import RecognitionSettings
from shared.db import Database
from shared.tracing import (
    OFF,
    Tracing,
    child_span,
    current_traceparent,
    otlp_endpoint,
    parse_traceparent,
    random_hex,
)
from shared.web import RequestContextMiddleware
from tests.gateway.conftest import serve
from tests.support.otlp import otlp_receiver

CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"  # W3C's own example


@pytest.fixture
def exported() -> Iterator[tuple[Tracing, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    tracing = Tracing.exporting(service="institutions", node="cn", exporter=exporter)
    yield tracing, exporter
    tracing.shutdown()


def finished(tracing: Tracing, exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    assert tracing.provider is not None
    tracing.provider.force_flush()
    return list(exporter.get_finished_spans())


def test_nothing_is_exported_unless_an_endpoint_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(variable, raising=False)
    assert otlp_endpoint(None, {}) is None
    assert Tracing.configured(service="quality", node="cn", endpoint=None) is OFF
    # OTLP/HTTP: the signal's path is appended to the base endpoint, never to the
    # signal-specific one (OpenTelemetry's OTLP exporter specification).
    assert otlp_endpoint("http://collector:4318", {}) == "http://collector:4318/v1/traces"
    base = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"}
    assert otlp_endpoint(None, base) == "http://collector:4318/v1/traces"
    traces = {**base, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://tempo:4318/custom"}
    assert otlp_endpoint(None, traces) == "http://tempo:4318/custom"
    assert otlp_endpoint("http://collector:4318", {"OTEL_SDK_DISABLED": "true"}) is None


def test_off_a_span_is_only_ids_continuing_the_trace() -> None:
    with OFF.span("work", parent=CALLER) as span:
        assert span.otel is None
        assert current_traceparent() == span.traceparent
    assert span.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert span.parent_span_id == "00f067aa0ba902b7"
    assert current_traceparent() is None


def test_new_ids_are_random_hex_never_repeated() -> None:
    # W3C Trace Context: 32 and 16 lowercase hex digits; enough of them to draw the kernel's
    # randomness several times over.
    spans = [child_span(None) for _ in range(5000)]
    assert all(re.fullmatch("[0-9a-f]{32}", span.trace_id) for span in spans)
    assert all(re.fullmatch("[0-9a-f]{16}", span.span_id) for span in spans)
    ids = [span.trace_id for span in spans] + [span.span_id for span in spans]
    assert len(set(ids)) == len(ids)


def test_a_forked_process_draws_ids_of_its_own() -> None:
    random_hex(32)  # the parent has drawn: what follows is in its memory
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent, then gone
        os.write(writing, random_hex(32).encode())
        os._exit(0)
    os.close(writing)
    os.waitpid(pid, 0)
    with os.fdopen(reading, "rb") as pipe:
        childs = pipe.read().decode()
    assert re.fullmatch("[0-9a-f]{32}", childs)
    assert childs != random_hex(32)


def test_on_a_span_continues_the_callers_trace_and_records_errors(
    exported: tuple[Tracing, InMemorySpanExporter],
) -> None:
    tracing, exporter = exported
    with pytest.raises(ValueError), tracing.span("failing", parent=CALLER) as span:
        assert current_traceparent() == span.traceparent
        raise ValueError("broken")
    with tracing.span("root", parent=None) as root:
        pass
    failing, new = finished(tracing, exporter)
    caller = parse_traceparent(CALLER)
    assert caller is not None
    assert f"{failing.context.trace_id:032x}" == caller.trace_id == span.trace_id
    assert failing.parent is not None and f"{failing.parent.span_id:016x}" == caller.span_id
    assert failing.status.status_code is StatusCode.ERROR
    assert failing.resource.attributes["service.name"] == "institutions"
    assert failing.resource.attributes["edunode.node"] == "cn"
    assert new.parent is None and root.trace_id != caller.trace_id


async def test_a_request_is_a_server_span_named_by_its_route(
    exported: tuple[Tracing, InMemorySpanExporter],
) -> None:
    tracing, exporter = exported
    app = FastAPI()

    @app.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str | None]:
        return {"traceparent": current_traceparent()}

    @app.get("/v1/broken")
    async def broken() -> None:
        raise RuntimeError("broken")

    wrapped = RequestContextMiddleware(app, service="test", tracing=lambda: tracing)
    async with serve(wrapped) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/v1/things/42", headers={"traceparent": CALLER})
        assert (await client.get("/v1/broken")).status_code == 500
    ok, failed = finished(tracing, exporter)
    assert ok.kind is SpanKind.SERVER
    assert ok.name == "GET /v1/things/{thing_id}"  # the template: one name per route
    assert ok.attributes is not None and ok.attributes["http.response.status_code"] == 200
    assert ok.attributes["http.route"] == "/v1/things/{thing_id}"
    # The endpoint works within the server span: what it writes continues it.
    inside = parse_traceparent(response.json()["traceparent"])
    assert inside is not None
    assert (inside.trace_id, inside.span_id) == (
        f"{ok.context.trace_id:032x}",
        f"{ok.context.span_id:016x}",
    )
    assert ok.parent is not None and f"{ok.parent.span_id:016x}" == "00f067aa0ba902b7"
    assert failed.name == "GET /v1/broken" and failed.status.status_code is StatusCode.ERROR


async def test_the_databases_statements_are_children_of_the_current_span_only(
    exported: tuple[Tracing, InMemorySpanExporter], tmp_path: Path
) -> None:
    tracing, exporter = exported
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'traced.db'}")
    tracing.instrument(database.engine)
    try:
        async with database.session() as session:  # outside any span (a relay's poll)
            await session.execute(text("SELECT 1"))
        with tracing.span("apply", parent=CALLER) as span:
            async with database.session() as session:
                assert (await session.execute(text("SELECT 41 + 1"))).scalar() == 42
    finally:
        await database.dispose()
    spans = finished(tracing, exporter)
    statements = [s for s in spans if s.kind is SpanKind.CLIENT]
    assert statements, spans
    # Only the statement inside the span: one run outside any would be a trace of its own.
    (select,) = [s for s in statements if "SELECT" in s.name]
    assert select.parent is not None and f"{select.parent.span_id:016x}" == span.span_id
    assert select.attributes is not None and select.attributes.get("db.system") == "sqlite"


def test_the_exporter_posts_otlp_http_protobuf_to_the_configured_endpoint() -> None:
    with otlp_receiver() as receiver:
        tracing = Tracing.configured(service="gateway", node="my", endpoint=receiver.url)
        with tracing.span("exported", parent=CALLER):
            pass
        tracing.shutdown()  # flushes the batch
        (span,) = receiver.trace("4bf92f3577b34da6a3ce929d0e0e4736")
    assert (span.name, span.parent_span_id) == ("exported", "00f067aa0ba902b7")
    assert span.resource["service.name"] == "gateway"
    assert span.resource["service.namespace"] == "edunode"


def test_one_variable_configures_the_endpoint_of_every_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDUNODE_OTLP_ENDPOINT", "http://collector:4318")
    database = "sqlite+aiosqlite:///unused.db"
    for settings in (GatewaySettings, RecognitionSettings):
        assert settings(node_id="cn", database_url=database).otlp_endpoint == (
            "http://collector:4318"
        )
