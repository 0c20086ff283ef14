"""The services behind the gateway, which paths go to which, and the one pooled HTTP client
that talks to all of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client.metrics import Counter, Histogram

from services.gateway.metrics import UPSTREAM_LATENCY, UPSTREAM_REQUESTS
from services.gateway.settings import GatewaySettings
from services.gateway.upstream_client import Origin, UpstreamClient

# First path segment after `/v1/` → the service that owns it (BRIEF §5).
ROUTED_SEGMENTS: dict[str, tuple[str, ...]] = {
    "institutions": ("institutions", "programmes"),
    "quality": ("quality",),
    "recognition": ("recognition", "frameworks"),
    "credentials": ("credentials",),
    "mobility": ("mobility",),
}


@dataclass(frozen=True, eq=False)
class ProxyRoute:
    """`scope["route"]` of a proxied request: the kernel's request metrics label it with
    `path`; the proxy forwards it to `upstream`."""

    path: str
    upstream: Upstream


@dataclass(eq=False)
class Upstream:
    """One service: its name, base URL and the path segments it serves."""

    name: str
    base_url: str
    segments: tuple[str, ...]
    origin: Origin = field(init=False)
    # What the service's own URLs start with: it sees the gateway's calls addressed to it.
    internal_url: bytes = field(init=False)
    route: ProxyRoute = field(init=False)
    latency: Histogram = field(init=False)
    _counters: dict[int | str, Counter] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.origin = Origin.parse(self.base_url)
        self.internal_url = b"http://" + self.origin.host_header
        self.route = ProxyRoute(f"proxy:{self.name}", self)
        self.latency = UPSTREAM_LATENCY.labels(self.name)

    def count(self, status: int | str) -> None:
        """Count one proxied exchange (label children are cached: this runs per request)."""
        counter = self._counters.get(status)
        if counter is None:
            counter = self._counters[status] = UPSTREAM_REQUESTS.labels(self.name, str(status))
        counter.inc()


def upstreams_from(settings: GatewaySettings) -> list[Upstream]:
    """The node's services, as configured."""
    urls = settings.upstream_urls()
    return [Upstream(name, urls[name], segments) for name, segments in ROUTED_SEGMENTS.items()]


def new_upstream_client(settings: GatewaySettings) -> UpstreamClient:
    """The one pooled client of the gateway (call inside the running loop)."""
    return UpstreamClient(
        connect_timeout=settings.upstream_connect_timeout_seconds,
        read_timeout=settings.upstream_timeout_seconds,
    )
