"""What the gateway runs besides its routes, built in its lifespan: its database, the pooled
client to the services, the token issuer and verifier, and the merged OpenAPI."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable
from typing import Any

from joserfc.jwk import OKPKey

from services.gateway.clients.schemas import Jwk, JwkSet
from services.gateway.openapi import OpenApiAggregator
from services.gateway.settings import GatewaySettings
from services.gateway.upstream_client import UpstreamClient, UpstreamUnavailable
from services.gateway.upstreams import Upstream, new_upstream_client, upstreams_from
from shared.auth import TokenIssuer, TokenVerifier
from shared.bus import Bus
from shared.db import Database
from shared.federation import ReplicaWatchdog
from shared.runtime import freeze_heap
from shared.trust import TrustList
from shared.trust_follow import TrustFollower
from shared.web import ReadinessCheck

READINESS_TIMEOUT = 2.0


class GatewayRuntime:
    """Built by `create_app` without I/O; `start()` and `stop()` run in the lifespan."""

    def __init__(
        self, settings: GatewaySettings, own_document: Callable[[], dict[str, Any]]
    ) -> None:
        self.settings = settings
        self.upstreams: list[Upstream] = upstreams_from(settings)
        self.openapi = OpenApiAggregator(
            self.upstreams, own_document, ttl=settings.openapi_cache_seconds
        )
        self.token_key_id = f"{settings.node_id}:token:1"
        self.http: UpstreamClient | None = None
        self.issuer: TokenIssuer | None = None
        self.verifier: TokenVerifier | None = None
        self.jwks: JwkSet | None = None
        self._database: Database | None = None
        self._warm_up: asyncio.Task[None] | None = None
        self.trust: TrustList | None = (
            TrustList.load(settings.trust_file) if settings.trust_file is not None else None
        )
        self.bus: Bus | None = None
        self.watchdog: ReplicaWatchdog | None = None
        self.follower: TrustFollower | None = None

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("the gateway is not started")
        return self._database

    @property
    def client(self) -> UpstreamClient:
        if self.http is None:
            raise RuntimeError("the gateway is not started")
        return self.http

    async def start(self) -> None:
        settings = self.settings
        self._load_keys()
        self._database = Database(settings.database_url)
        self.http = new_upstream_client(settings)
        self._warm_up = asyncio.create_task(self._warm_up_openapi(), name="gateway-openapi-warm-up")
        if self.trust is not None and settings.background_workers:
            # The gateway is the node's one process that keeps the replica stream's sources
            # current; the services provision the stream and consume it.
            self.bus = Bus(url=settings.nats_url, name=f"{settings.node_id}-gateway")
            self.bus.start()
            peers = [peer.id for peer in self.trust.peers_of(settings.node_id)]
            self.watchdog = ReplicaWatchdog(self.bus, settings.node_id, peers)
            self.watchdog.start()
        if self.trust is not None and self.trust.governed:
            # A governed trust list: its newer versions (shared/trust_follow.py) show in
            # `/v1/federation/…` and the watchdog minds the peers they name.
            if self.bus is None:
                self.bus = Bus(url=settings.nats_url, name=f"{settings.node_id}-gateway")
                self.bus.start()
            self.follower = TrustFollower(
                self.bus, settings.node_id, self.trust, "gateway", on_change=self._trust_changed
            )
            self.follower.start()
        freeze_heap()

    async def _trust_changed(self) -> None:
        if self.watchdog is not None and self.trust is not None:
            self.watchdog.set_peers([p.id for p in self.trust.peers_of(self.settings.node_id)])

    async def _warm_up_openapi(self) -> None:
        await self.openapi.warm_up(self.client)
        freeze_heap()  # the services' documents are as long-lived as the rest

    async def stop(self) -> None:
        if self.follower is not None:
            await self.follower.stop()
        if self.watchdog is not None:
            await self.watchdog.stop()
        if self.bus is not None:
            await self.bus.close()
        if self._warm_up is not None:
            self._warm_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._warm_up
        if self.http is not None:
            await self.http.close()
            self.http = None
        if self._database is not None:
            await self._database.dispose()
        gc.unfreeze()  # collectable again: in a test process, this gateway is garbage now

    def _load_keys(self) -> None:
        settings = self.settings
        public_pem: bytes | None = None
        if settings.token_private_key_file is not None:
            private_pem = settings.token_private_key_file.read_bytes()
            self.issuer = TokenIssuer(
                private_pem,
                issuer=settings.token_issuer,
                key_id=self.token_key_id,
                ttl_seconds=settings.token_ttl_seconds,
            )
            public_pem = OKPKey.import_key(private_pem).as_pem(private=False)
        if settings.token_public_key_file is not None:
            public_pem = settings.token_public_key_file.read_bytes()
        if public_pem is not None:
            self.verifier = TokenVerifier(public_pem, issuer=settings.token_issuer)
            key = OKPKey.import_key(public_pem).as_dict(private=False)
            self.jwks = JwkSet(
                keys=[Jwk(kty=key["kty"], crv=key["crv"], x=key["x"], kid=self.token_key_id)]
            )

    def readiness(self) -> dict[str, ReadinessCheck]:
        """The gateway's database, each service's own `/readyz`, then the merged OpenAPI
        document holding every service's routes."""
        checks: dict[str, ReadinessCheck] = {"database": self.database.ping}
        for upstream in self.upstreams:
            checks[upstream.name] = self._upstream_ready(upstream)
        checks["openapi"] = self._openapi_complete
        return checks

    async def _openapi_complete(self) -> None:
        await self.openapi.ensure_complete(self.client)

    def _upstream_ready(self, upstream: Upstream) -> ReadinessCheck:
        async def check() -> None:
            url = f"{upstream.base_url}/readyz"
            try:
                status, _body = await self.client.get(url, timeout=READINESS_TIMEOUT)
            except UpstreamUnavailable:
                raise RuntimeError("unreachable") from None
            except TimeoutError:
                raise RuntimeError("no answer in time") from None
            if status != 200:
                raise RuntimeError(f"/readyz answered {status}")

        return check
