"""The gateway's own Prometheus metrics (the kernel's HTTP metrics cover every request too)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

UPSTREAM_REQUESTS = Counter(
    "edunode_gateway_upstream_requests_total",
    "Requests proxied to a service, by the service's status code or the failure "
    "(connect_error, timeout, error).",
    ["service", "status"],
)
UPSTREAM_LATENCY = Histogram(
    "edunode_gateway_upstream_duration_seconds",
    "Time until a service's response headers arrived.",
    ["service"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RATE_LIMITED = Counter(
    "edunode_gateway_rate_limited_total",
    "Requests refused with 429 by the rate limiter, by policy (a role, or anonymous).",
    ["policy"],
)
BODY_TOO_LARGE = Counter(
    "edunode_gateway_body_too_large_total",
    "Requests refused with 413: the body was larger than the route's limit.",
)
