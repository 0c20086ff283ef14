"""Following the governed trust list while a service runs.

Each service process of a node with a governed list (one that names secretariat keys) runs a
`TrustFollower`: it keeps the node's copy `TRUST_<NODE>` of the hub's bucket stream (a stream in
the node's own domain sourcing it, so the last list stays at hand while the hub is away), reads
every version that arrives there in order, and takes each one `accept_update` allows
(shared/trust_governance). When the copy's source stalls (after the hub restarted, JetStream
retries on a backoff of tens of seconds), the follower re-adds it, as the replica watchdog does
for the peers' sources (shared/federation.py), and it resumes at once where it stopped.
The list is adopted in place, so every check holding it uses the new version from its next
event; `on_change` then lets the runtime source a peer that joined. A refused version is logged
(`trust_list_refused`, with its reason) and counted (`edunode_trust_list_refused_total`), and
the list held is kept.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import structlog
from nats.js.api import ExternalStream, StorageType, StreamConfig, StreamSource
from nats.js.errors import NotFoundError
from nats.js.manager import JetStreamManager

from shared.bus import Bus, cancel_and_wait
from shared.metrics import TRUST_LIST_APPLIED, TRUST_LIST_REFUSED, TRUST_LIST_VERSION
from shared.trust import TrustList
from shared.trust_governance import (
    HUB_DOMAIN,
    TrustListRefused,
    accept_update,
    trust_bucket_stream,
    trust_stream_name,
    trust_subject,
)

log = structlog.get_logger("edunode.trust")


# A healthy source hears from the hub every fraction of a second (idle heartbeats); silent
# longer than this, it is stalled.
STALLED_NS = 3_000_000_000
KICK_INTERVAL = 5.0


def _bucket_source() -> StreamSource:
    return StreamSource(
        name=trust_bucket_stream(), external=ExternalStream(api=f"$JS.{HUB_DOMAIN}.API")
    )


def trust_stream_config(node: str, replicas: int = 1) -> StreamConfig:
    """The node's copy of the hub's trust bucket: a stream sourcing it across the hub's
    JetStream domain, with no subjects of its own."""
    return StreamConfig(
        name=trust_stream_name(node),
        sources=[_bucket_source()],
        storage=StorageType.FILE,
        num_replicas=replicas,
        description=f"The community's signed trust lists, copied to node {node}",
    )


@dataclass
class TrustFollower:
    """Takes the newer signed trust lists that reach the node (a `Work` of every process)."""

    bus: Bus
    node: str
    trust: TrustList
    service: str
    on_change: Callable[[], Awaitable[None]] | None = None
    replicas: int = 1
    interval: float = 0.5
    # The copy's last sequence read; versions older than the list held are expected while
    # catching up after a start (the history holds every version), and refused loudly after.
    seen: int = 0
    caught_up: bool = False
    # Set once the copy, level with the hub, has been read through (the consumers wait for
    # it at start, at most 30 s).
    current: asyncio.Event = field(default_factory=asyncio.Event)
    last_kick: float = 0.0
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def in_every_process(self) -> bool:
        return True  # every process checks events or messages against the list

    def start(self) -> None:
        TRUST_LIST_VERSION.labels(self.service).set(self.trust.version)
        self._task = asyncio.create_task(self.run(), name="trust-follower")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)

    async def run(self) -> None:
        await self.bus.wait_ready()
        while True:
            try:
                await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the broker away: the list held stays
                log.debug("trust_follow_failed", error=str(error))
            await asyncio.sleep(self.interval)

    async def poll(self) -> None:
        """Read what arrived in the copy since the last poll, oldest first."""
        nc = self.bus.nc
        if nc is None or not nc.is_connected:
            return
        jsm = nc.jsm(timeout=3)
        name = trust_stream_name(self.node)
        try:
            info = await jsm.stream_info(name)
        except NotFoundError:
            await jsm.add_stream(trust_stream_config(self.node, self.replicas))
            log.info("trust_copy_created", stream=name)
            info = await jsm.stream_info(name)
        state = info.state
        if state.last_seq < self.seen:  # the copy was made anew
            self.seen = 0
        for sequence in range(max(self.seen + 1, state.first_seq), state.last_seq + 1):
            try:
                message = await jsm.get_msg(name, sequence)
            except NotFoundError:
                continue
            self.seen = sequence
            deleted = (message.headers or {}).get("KV-Operation") in ("DEL", "PURGE")
            if message.subject != trust_subject() or deleted or not message.data:
                continue
            await self.offer(message.data.decode("utf-8", errors="replace"), sequence)
        # Read through what the copy had, and the copy level with the hub's bucket (a copy
        # just made is empty until its first delivery): from now on an older version is a
        # replay, not history.
        source = info.sources[0] if info.sources else None
        if state.last_seq > 0 and source is not None and not source.lag and not source.error:
            self.caught_up = True
            self.current.set()
        stalled = source is None or source.error or (source.active or 0) > STALLED_NS
        if stalled and time.monotonic() - self.last_kick > KICK_INTERVAL:
            await self.kick(jsm, info.config)

    async def kick(self, jsm: JetStreamManager, config: StreamConfig) -> None:
        """Remove and re-add the copy's source: the server resumes it at once from where it
        stopped (the stream remembers the source's last sequence), instead of after its
        backoff."""
        self.last_kick = time.monotonic()
        config.sources = []
        await jsm.update_stream(config)
        config.sources = [_bucket_source()]
        await jsm.update_stream(config)
        log.debug("trust_copy_source_reset", stream=config.name)

    async def offer(self, token: str, sequence: int | None = None) -> bool:
        """Take the signed list `token` if it may replace the one held; whether it was taken."""
        try:
            newer = accept_update(self.trust, token)
        except TrustListRefused as refusal:
            if refusal.code == "replayed" and not self.caught_up:
                log.debug("trust_list_already_held", detail=refusal.reason, sequence=sequence)
                return False
            log.warning(
                "trust_list_refused",
                reason=refusal.code,
                detail=refusal.reason,
                version_held=self.trust.version,
                sequence=sequence,
                service=self.service,
            )
            TRUST_LIST_REFUSED.labels(self.service, refusal.code).inc()
            return False
        before = {node.id for node in self.trust.nodes}
        after = {node.id for node in newer.nodes}
        previous = self.trust.version
        self.trust.adopt(newer)
        TRUST_LIST_VERSION.labels(self.service).set(newer.version)
        TRUST_LIST_APPLIED.labels(self.service).inc()
        log.info(
            "trust_list_applied",
            version=newer.version,
            previous_version=previous,
            added=sorted(after - before),
            removed=sorted(before - after),
            service=self.service,
        )
        if self.on_change is not None:
            await self.on_change()
        return True
