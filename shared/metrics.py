"""Prometheus metrics every service exposes at `/metrics` (documented in docs/observability.md).

Declared once per process. Each service runs in its own single-worker uvicorn process
(`edunode.serve`), so the default registry is the whole truth for that process; the `service`
label (or the consumer name, which starts with `<node>_<service>_`) keeps services apart where
several apps share a process, as in tests. Labels take bounded values only: route templates,
status codes, reason codes, consumer names, never a raw path or an id.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "edunode_http_requests_total",
    "HTTP requests served, by route template and status code (errors: status 4xx and 5xx).",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "edunode_http_request_duration_seconds",
    "HTTP request latency, by route template.",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
OUTBOX_PUBLISHED = Counter(
    "edunode_outbox_published_total", "Outbox events acknowledged by JetStream.", ["service"]
)
OUTBOX_BACKLOG = Gauge(
    "edunode_outbox_backlog", "Outbox events not yet acknowledged by JetStream.", ["service"]
)
OUTBOX_OLDEST_AGE = Gauge(
    "edunode_outbox_oldest_age_seconds",
    "Age of the oldest outbox event not yet acknowledged (0 when there is none).",
    ["service"],
)
EVENTS_CONSUMED = Counter(
    "edunode_events_consumed_total",
    "Events handled by a consumer, by outcome "
    "(applied, duplicate, retried, quarantined, dead_lettered).",
    ["consumer", "outcome"],
)
CONSUMER_PENDING = Gauge(
    "edunode_consumer_pending",
    "Consumer lag: messages in the stream not yet delivered to the consumer.",
    ["stream", "consumer"],
)
CONSUMER_ACK_PENDING = Gauge(
    "edunode_consumer_ack_pending",
    "Messages delivered to the consumer and not yet acknowledged.",
    ["stream", "consumer"],
)
EVENTS_QUARANTINED = Counter(
    "edunode_events_quarantined_total",
    "Replicated events refused before application, by reason code (unsigned, bad_signature, "
    "unknown_signer, unknown_key, key_not_valid, origin_mismatch, no_authority, no_country, "
    "replayed, malformed_signature).",
    ["consumer", "reason"],
)
