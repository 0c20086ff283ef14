"""Prometheus metrics every service exposes at `/metrics`.

Declared once per process (each service runs in its own process); the `service` label keeps
them apart where several apps share a process, as in tests.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "edunode_http_requests_total",
    "HTTP requests served, by route template and status.",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "edunode_http_request_duration_seconds",
    "HTTP request latency, by route template.",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
OUTBOX_PUBLISHED = Counter(
    "edunode_outbox_published_total", "Outbox events acknowledged by JetStream."
)
OUTBOX_BACKLOG = Gauge("edunode_outbox_backlog", "Outbox events not yet acknowledged.")
OUTBOX_OLDEST_AGE = Gauge(
    "edunode_outbox_oldest_age_seconds", "Age of the oldest unacknowledged outbox event."
)
EVENTS_CONSUMED = Counter(
    "edunode_events_consumed_total",
    "Events handled by a consumer, by outcome (applied, duplicate, retried, dead_lettered).",
    ["consumer", "outcome"],
)
CONSUMER_PENDING = Gauge(
    "edunode_consumer_pending", "Messages not yet delivered to a consumer.", ["consumer"]
)
EVENTS_QUARANTINED = Counter(
    "edunode_events_quarantined_total",
    "Replicated events refused (bad signature, no authority, replay), by claimed origin.",
    ["consumer", "origin"],
)
