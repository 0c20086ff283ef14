"""W3C Trace Context as edunode carries it, OpenTelemetry-compatible without an SDK.

A request arriving with a `traceparent` header continues that trace; one arriving without
starts a new one. Each hop is a span of its own: the gateway's, then the service's (whose
`traceparent` goes to the proxied request and into the CloudEvents it writes, the
`traceparent` extension attribute of the CloudEvents distributed-tracing extension), then each
consumer's that applies such an event. Log lines carry `trace_id`, `span_id` and
`parent_span_id`, as the OpenTelemetry log data model names them, so a log search by trace id
follows one change across services and NATS hops.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import structlog

TRACEPARENT_HEADER = "traceparent"

# version-traceid-parentid-flags; a later version may append fields after a dash (W3C §3.2.4).
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[^\s]*)?$")
_ZERO_TRACE = "0" * 32
_ZERO_SPAN = "0" * 16

# The span the running task works in, when it applies an event (see `within`).
_current: ContextVar[Span | None] = ContextVar("edunode_span", default=None)


@dataclass(frozen=True)
class Span:
    """One hop of a trace: its trace id, its own span id and the span it continues."""

    trace_id: str
    span_id: str
    parent_span_id: str | None = None
    flags: str = "01"

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


def child_span(traceparent: str | None) -> Span:
    """A new span continuing the trace `traceparent` names (a new trace if it names none)."""
    parent = parse_traceparent(traceparent)
    if parent is None:
        return Span(trace_id=secrets.token_hex(16), span_id=secrets.token_hex(8))
    return Span(
        trace_id=parent.trace_id,
        span_id=secrets.token_hex(8),
        parent_span_id=parent.span_id,
        flags=parent.flags,
    )


@contextmanager
def within(span: Span) -> Iterator[None]:
    """Work inside `span`: log lines carry it, and events written meanwhile continue it
    (`current_traceparent`). A consumer applies each event within the event's span, so an
    event a handler writes in turn stays in the trace of the change that caused it."""
    token = _current.set(span)
    try:
        with structlog.contextvars.bound_contextvars(**span.log_fields()):
            yield
    finally:
        _current.reset(token)


def current_traceparent() -> str | None:
    """The `traceparent` of the span `within` entered in this task, if any."""
    span = _current.get()
    return None if span is None else span.traceparent
