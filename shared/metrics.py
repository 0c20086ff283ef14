"""Prometheus metrics every service exposes at `/metrics` (documented in docs/observability.md).

Declared once per process. A service run as one uvicorn process (`edunode.serve`, the
default) keeps them in the default registry, the whole truth for that process. A service run
with several worker processes on one port shares them through files in
`PROMETHEUS_MULTIPROC_DIR` (`edunode.serve` sets it): whichever worker answers a scrape renders
every worker's counts (`render`). The `service` label (or the consumer name, which starts with
`<node>_<service>_`) keeps services apart where several apps share a process, as in tests.
Labels take bounded values only: route templates, status codes, reason codes, consumer names,
never a raw path or an id.
"""

from __future__ import annotations

import os
from typing import Final

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
# A gauge is a measurement (of the database, of the broker) that any worker may take: with
# several workers, the latest one taken by a live worker is the value.
GAUGE_MODE: Final = "livemostrecent"

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
    "edunode_outbox_backlog",
    "Outbox events not yet acknowledged by JetStream.",
    ["service"],
    multiprocess_mode=GAUGE_MODE,
)
OUTBOX_OLDEST_AGE = Gauge(
    "edunode_outbox_oldest_age_seconds",
    "Age of the oldest outbox event not yet acknowledged (0 when there is none).",
    ["service"],
    multiprocess_mode=GAUGE_MODE,
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
    multiprocess_mode=GAUGE_MODE,
)
CONSUMER_ACK_PENDING = Gauge(
    "edunode_consumer_ack_pending",
    "Messages delivered to the consumer and not yet acknowledged.",
    ["stream", "consumer"],
    multiprocess_mode=GAUGE_MODE,
)
EVENTS_QUARANTINED = Counter(
    "edunode_events_quarantined_total",
    "Replicated events refused before application, by reason code (unsigned, bad_signature, "
    "unknown_signer, unknown_key, key_not_valid, origin_mismatch, no_authority, no_country, "
    "replayed, malformed_signature, foreign_signer, own_event_from_peer).",
    ["consumer", "reason"],
)
OWN_STREAM_REFUSED = Counter(
    "edunode_own_stream_events_refused_total",
    "Events in the node's own stream that failed their checks (most often: not signed by the "
    "node): someone else wrote into the stream. Quarantined, never applied; the node's health "
    "is degraded until a person looks.",
    ["consumer", "reason"],
)
TRUST_LIST_VERSION = Gauge(
    "edunode_trust_list_version",
    "The version of the governed trust list the service checks events against.",
    ["service"],
    multiprocess_mode=GAUGE_MODE,
)
TRUST_LIST_APPLIED = Counter(
    "edunode_trust_list_applied_total",
    "Signed trust-list versions taken while running (shared/trust_follow.py).",
    ["service"],
)
TRUST_LIST_REFUSED = Counter(
    "edunode_trust_list_refused_total",
    "Signed trust-list versions refused, the list held kept, by reason code (malformed, "
    "unknown_signer, bad_signature, invalid, malformed_key, replayed, removes_signer).",
    ["service", "reason"],
)


def render() -> bytes:
    """The `/metrics` page: this process's metrics, or every worker's when the service runs
    several (`PROMETHEUS_MULTIPROC_DIR` is set). Counters and histograms are summed over the
    workers, those that have exited included; a gauge is the latest value a live one set."""
    if not os.environ.get(MULTIPROCESS_DIRECTORY):
        return generate_latest()
    registry = CollectorRegistry()
    # prometheus_client leaves this constructor unannotated (its other APIs are typed)
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry)
