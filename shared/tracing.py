"""W3C Trace Context as edunode carries it, and OpenTelemetry spans exported over OTLP when
configured (docs/observability.md).

A request arriving with a `traceparent` header continues that trace; one arriving without
starts a new one. Each hop is a span of its own: the gateway's, then the service's (whose
`traceparent` goes to the proxied request and into the CloudEvents it writes, the
`traceparent` extension attribute of the CloudEvents distributed-tracing extension), the
outbox relay's publication of each event, then each consumer's that applies such an event.
Log lines carry `trace_id`, `span_id` and `parent_span_id`, as the OpenTelemetry log data model
names them, so a log search by trace id follows one change across services and NATS hops.

The spans are OpenTelemetry's. A service's `Tracing` exports them over OTLP/HTTP when an
endpoint is configured (`EDUNODE_OTLP_ENDPOINT` or the SDK's own `OTEL_EXPORTER_OTLP_*`
variables), with the database's statements as child spans (SQLAlchemy's instrumentation).
Without an endpoint nothing is recorded: a span is only its ids (`child_span`), made current
in OpenTelemetry's context so that the logs and the events written meanwhile carry them.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

import structlog
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import (
    NonRecordingSpan,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
)
from sqlalchemy.ext.asyncio import AsyncEngine

TRACEPARENT_HEADER = "traceparent"

__all__ = [
    "OFF",
    "TRACEPARENT_HEADER",
    "Span",
    "SpanKind",
    "Tracing",
    "child_span",
    "current_traceparent",
    "enter",
    "leave",
    "otlp_endpoint",
    "parse_traceparent",
    "random_hex",
    "running",
    "within",
]

# version-traceid-parentid-flags; a later version may append fields after a dash (W3C §3.2.4).
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[^\s]*)?$")
_ZERO_TRACE = "0" * 32
_ZERO_SPAN = "0" * 16

# The SDK's switch and endpoint variables (OpenTelemetry's environment variable specification).
_OTEL_ENDPOINTS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")

# The span the running task works in (see `within`). OpenTelemetry's own context holds it
# too when it records; without a recording span, this is all there is, and costs next to nothing.
_current: ContextVar[Span | None] = ContextVar("edunode_span", default=None)


@dataclass(frozen=True)
class Span:
    """One hop of a trace: its trace id, its own span id and the span it continues; `otel`
    is the OpenTelemetry span recording it when the service exports traces."""

    trace_id: str
    span_id: str
    parent_span_id: str | None = None
    flags: str = "01"
    otel: trace.Span | None = field(default=None, compare=False, repr=False)

    @property
    def traceparent(self) -> str:
        """This span as a `traceparent` value, to hand to the next hop."""
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"

    def log_fields(self) -> dict[str, str]:
        """The fields every log line written inside this span carries."""
        fields = {"trace_id": self.trace_id, "span_id": self.span_id}
        if self.parent_span_id is not None:
            fields["parent_span_id"] = self.parent_span_id
        return fields

    def finish(
        self, *, name: str | None = None, attributes: Mapping[str, Any] = {}, error: bool = False
    ) -> None:
        """End the span (a no-op unless it records), renamed, with its last attributes."""
        if self.otel is None:
            return
        if name is not None:
            self.otel.update_name(name)
        self.otel.set_attributes(dict(attributes))
        if error:
            self.otel.set_status(Status(StatusCode.ERROR))
        self.otel.end()


def parse_traceparent(value: str | None) -> Span | None:
    """The span a `traceparent` value names, or None if it is absent or invalid (W3C §3.2:
    version ff, an all-zero id or extra fields in version 00 make it invalid)."""
    match = _TRACEPARENT.match(value or "")
    if match is None:
        return None
    version, trace_id, span_id, flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest):
        return None
    if trace_id == _ZERO_TRACE or span_id == _ZERO_SPAN:
        return None
    return Span(trace_id=trace_id, span_id=span_id, flags=flags)


class _RandomHex:
    """Random hex digits from the kernel's CSPRNG (`os.urandom`, as `secrets` uses), drawn
    4 KiB at a time and each handed out once: the ids of a request (its request id, trace id
    and span id) then cost no system call each. A forked child draws its own (the parent's
    would repeat the parent's ids)."""

    def __init__(self) -> None:
        self._drawn = ""
        self._at = 0
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._forget)

    def __call__(self, digits: int) -> str:
        with self._lock:
            end = self._at + digits
            if end > len(self._drawn):
                self._drawn, self._at, end = os.urandom(4096).hex(), 0, digits
            hexed = self._drawn[self._at : end]
            self._at = end
        return hexed

    def _forget(self) -> None:
        self._drawn, self._at = "", 0
        self._lock = threading.Lock()  # another thread may have held it at the fork


random_hex = _RandomHex()
"""`random_hex(n)`: n random hex digits, as unpredictable as `secrets.token_hex(n // 2)`."""


def child_span(traceparent: str | None) -> Span:
    """A new span continuing the trace `traceparent` names (a new trace if it names none),
    recording nothing: only its ids."""
    parent = parse_traceparent(traceparent)
    if parent is None:
        return Span(trace_id=random_hex(32), span_id=random_hex(16))
    return Span(
        trace_id=parent.trace_id,
        span_id=random_hex(16),
        parent_span_id=parent.span_id,
        flags=parent.flags,
    )


@dataclass(frozen=True)
class Entered:
    """What `enter` changed, for `leave` to undo."""

    span: Token[Span | None]
    logs: Mapping[str, Token[Any]]
    otel: object | None


def enter(span: Span, **log_fields: str) -> Entered:
    """Start working inside `span` (see `within`) until `leave`: the request middleware's
    form, without a context manager's cost on every request."""
    attached = None
    if span.otel is not None:
        attached = otel_context.attach(trace.set_span_in_context(span.otel))
    logs = structlog.contextvars.bind_contextvars(**span.log_fields(), **log_fields)
    return Entered(_current.set(span), logs, attached)


def leave(entered: Entered) -> None:
    structlog.contextvars.reset_contextvars(**entered.logs)
    _current.reset(entered.span)
    if entered.otel is not None:
        otel_context.detach(entered.otel)  # type: ignore[arg-type]


@contextmanager
def within(span: Span, **log_fields: str) -> Iterator[None]:
    """Work inside `span`: log lines carry it (and `log_fields`), events written meanwhile
    continue it (`current_traceparent`), and, when it records, it is OpenTelemetry's current
    span (the database's spans are its children). A consumer applies each event within a span
    of the event's trace, so an event a handler writes in turn stays in the trace of the change
    that caused it."""
    entered = enter(span, **log_fields)
    try:
        yield
    finally:
        leave(entered)


@contextmanager
def running(span: Span) -> Iterator[None]:
    """Work `within` a started span and end it, in error if an exception escapes."""
    error = False
    try:
        with within(span):
            yield
    except BaseException as escaped:
        error = not isinstance(escaped, GeneratorExit)
        if span.otel is not None and error:
            span.otel.record_exception(escaped)
        raise
    finally:
        span.finish(error=error)


def current_traceparent() -> str | None:
    """The `traceparent` of the span `within` entered in this task, if any."""
    span = _current.get()
    return None if span is None else span.traceparent


def otlp_endpoint(configured: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """Where traces go: `configured` (a base URL, `EDUNODE_OTLP_ENDPOINT`) or the SDK's own
    variables; None when none is set or `OTEL_SDK_DISABLED` is true."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    if configured:
        return configured.rstrip("/") + "/v1/traces"
    if environ.get(_OTEL_ENDPOINTS[0]):
        return environ[_OTEL_ENDPOINTS[0]]
    if environ.get(_OTEL_ENDPOINTS[1]):
        return environ[_OTEL_ENDPOINTS[1]].rstrip("/") + "/v1/traces"
    return None


class Tracing:
    """A service's spans: recorded and exported by an OpenTelemetry SDK provider of its own
    (resource `service.name` = the service, `service.namespace` = edunode, `edunode.node`),
    or, without one, only ids (`OFF`)."""

    def __init__(self, provider: TracerProvider | None = None) -> None:
        self.provider = provider
        self._tracer = provider.get_tracer("edunode") if provider is not None else None

    @classmethod
    def exporting(cls, *, service: str, node: str, exporter: SpanExporter) -> Tracing:
        """Spans of `service` at `node`, exported in batches by `exporter`. The sampler is
        the SDK's (`OTEL_TRACES_SAMPLER`; by default every span whose parent is sampled)."""
        resource = Resource.create(
            {"service.name": service, "service.namespace": "edunode", "edunode.node": node}
        )
        provider = TracerProvider(resource=resource)
        provider.add_span_processor(BatchSpanProcessor(exporter))
        return cls(provider)

    @classmethod
    def configured(cls, *, service: str, node: str, endpoint: str | None) -> Tracing:
        """OTLP/HTTP export to `otlp_endpoint(endpoint)`, or `OFF` when there is none."""
        url = otlp_endpoint(endpoint)
        if url is None:
            return OFF
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return cls.exporting(service=service, node=node, exporter=OTLPSpanExporter(endpoint=url))

    @property
    def recording(self) -> bool:
        return self._tracer is not None

    def start(
        self,
        name: str,
        *,
        parent: str | None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Mapping[str, Any] = {},
    ) -> Span:
        """A span continuing the trace `parent` (a `traceparent`) names, or a new trace;
        started, to be ended by `Span.finish`."""
        if self._tracer is None:
            return child_span(parent)
        caller = parse_traceparent(parent)
        context = None
        if caller is not None:
            remote = SpanContext(
                trace_id=int(caller.trace_id, 16),
                span_id=int(caller.span_id, 16),
                is_remote=True,
                trace_flags=TraceFlags(int(caller.flags, 16)),
            )
            context = trace.set_span_in_context(NonRecordingSpan(remote), otel_context.Context())
        otel = self._tracer.start_span(name, context, kind, dict(attributes))
        own = otel.get_span_context()
        return Span(
            trace_id=f"{own.trace_id:032x}",
            span_id=f"{own.span_id:016x}",
            parent_span_id=None if caller is None else caller.span_id,
            flags=f"{own.trace_flags:02x}",
            otel=otel,
        )

    @contextmanager
    def span(
        self,
        name: str,
        *,
        parent: str | None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Mapping[str, Any] = {},
    ) -> Iterator[Span]:
        """`start` a span and run in it (`running`)."""
        span = self.start(name, parent=parent, kind=kind, attributes=attributes)
        with running(span):
            yield span

    def instrument(self, engine: AsyncEngine) -> None:
        """Record the statements `engine` runs as spans (SQLAlchemy's instrumentation),
        children of the current span; nothing when not recording."""
        if self.provider is None:
            return
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import NoOpMeter

        usage = NoOpMeter("edunode").create_up_down_counter("db.client.connections.usage")
        tracer = _WithinSpans(self.provider.get_tracer("edunode.db"))
        EngineTracer(tracer, engine.sync_engine, usage)  # type: ignore[no-untyped-call]

    def shutdown(self) -> None:
        """Export what is left and stop exporting."""
        if self.provider is not None:
            self.provider.shutdown()


class _WithinSpans(trace.Tracer):
    """A tracer whose spans only continue a current span: the statements the outbox relay's
    polls and the consumers' bookkeeping run outside any request or apply would otherwise be a
    trace each, every second, in every service."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self.tracer = tracer

    def start_span(self, name: str, context: Any = None, *args: Any, **kwargs: Any) -> trace.Span:
        if not trace.get_current_span(context).get_span_context().is_valid:
            return trace.INVALID_SPAN
        return self.tracer.start_span(name, context, *args, **kwargs)

    def start_as_current_span(self, *args: Any, **kwargs: Any) -> Any:
        return self.tracer.start_as_current_span(*args, **kwargs)


OFF = Tracing()
