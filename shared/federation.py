"""The federation's topology, and keeping a node's sourcing current.

The hub aggregates: its stream `FED_EVENTS` sources every node's own `EVT_<NODE>`, and
`FED_DIRECT` every node's `DIRECT_<NODE>` (shared/direct.py); a node's `REPLICA_<NODE>`
sources `FED_EVENTS` with its peers' subjects only, and its `INBOX_<NODE>` sources
`FED_DIRECT` with what is addressed to it only. So the hub holds N sources and each node two:
4N sourcing consumers in all, where each replica sourcing every peer would need 2N(N-1)
(docs/federation.md, "Fifty nodes and more"). The hub provisions its two streams and keeps
their sources current (edunode/hub.py); each node's services provision theirs
(`shared.runtime.node_streams`).

JetStream re-establishes a cross-domain source on its own, but after an outage it retries on a
backoff that can leave a node tens of seconds behind. The watchdog notices instead: it probes
the hub's JetStream API, and when the hub becomes reachable (or a source reports an error) it
removes and re-adds the sources from the hub, which makes the server resume them at once from
where they stopped (the stream remembers each source's last sequence, so nothing is stored
twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
import structlog
from nats.js.api import ExternalStream, StreamConfig, StreamSource, SubjectTransform
from nats.js.errors import NotFoundError
from pydantic import BaseModel, Field
from sqlalchemy import Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus import Bus, StreamSpec
from shared.direct import HUB_DIRECT_STREAM, direct_inbox_stream_name, hub_direct_stream
from shared.events import node_stream_name, node_subject_prefix, replica_stream_name
from shared.trust_governance import HUB_DOMAIN

log = structlog.get_logger("edunode.federation")

# On the hub: the stream aggregating every node's public events.
HUB_EVENTS_STREAM = "FED_EVENTS"


def reply_prefix(node: str) -> str:
    """Where answers to `node`'s requests across the hub come back (`<prefix>.<token>`). Only
    `node`'s link receives them (edunode/natsserver.py): the replies a node's services get
    from their own server (`_INBOX.<token>`, a pull consumer's messages among them, which
    may be a peer's direct messages) never cross the hub. The hub's own requests to the nodes
    (its watchdog's) are answered under `reply_prefix("hub")`."""
    return f"_INBOX.{node}"


@dataclass(frozen=True)
class PeersFromHubSpec(StreamSpec):
    """A node's replica: the hub's `FED_EVENTS`, its peers' subjects only (one source whose
    subject transforms name each peer; none while the node has no peer)."""

    peers: tuple[str, ...] = ()

    def to_config(self) -> StreamConfig:
        config = super().to_config()
        config.sources = (
            [
                StreamSource(
                    name=HUB_EVENTS_STREAM,
                    external=ExternalStream(api=f"$JS.{HUB_DOMAIN}.API"),
                    subject_transforms=[
                        SubjectTransform(
                            src=f"{node_subject_prefix(peer)}>",
                            dest=f"{node_subject_prefix(peer)}>",
                        )
                        for peer in self.peers
                    ],
                )
            ]
            if self.peers
            else None
        )
        return config


def hub_events_stream(nodes: Iterable[str]) -> StreamSpec:
    """The hub's stream of every node's public events: each node's own stream sourced."""
    return StreamSpec(
        name=HUB_EVENTS_STREAM,
        subjects=[],
        description="Every node's public events",
        sources=[(node_stream_name(node), node) for node in sorted(nodes)],
    )


def hub_streams(nodes: Iterable[str]) -> list[StreamSpec]:
    """The streams the hub keeps for the nodes it admits."""
    admitted = sorted(nodes)
    return [hub_events_stream(admitted), hub_direct_stream(admitted)]


def source_shape(config: StreamConfig) -> set[tuple[Any, ...]]:
    """What a stream sources, comparable between a declared and a stored configuration: each
    source's stream, filter and subject transforms (not its runtime state)."""
    return {
        (
            source.name,
            source.filter_subject or "",
            tuple(sorted((t.src or "", t.dest or "") for t in source.subject_transforms or [])),
        )
        for source in config.sources or []
    }


class KernelTablesLike(Protocol):
    @property
    def inbox(self) -> Table: ...

    @property
    def quarantine(self) -> Table: ...


REPLICA, INBOX = "replica", "inbox"
# What each sourcing stream takes from the hub: every node's events, every node's direct
# messages.
_HUB_SOURCE = {REPLICA: HUB_EVENTS_STREAM, INBOX: HUB_DIRECT_STREAM}


@dataclass
class PeerLink:
    """What the watchdog knows of the link to the hub."""

    peer: str
    reachable: bool = False
    last_change: float = field(default_factory=time.monotonic)
    last_kick: float = 0.0
    kicks: int = 0


@dataclass
class ReplicaWatchdog:
    """Resets the node's sources from the hub when the hub comes back. `peers` are the
    peers the replica sources (through the hub)."""

    bus: Bus
    node: str
    peers: list[str]
    interval: float = 1.0
    min_kick_interval: float = 5.0
    hub: PeerLink = field(default_factory=lambda: PeerLink(HUB_DOMAIN))
    _task: asyncio.Task[None] | None = None

    @property
    def links(self) -> dict[str, PeerLink]:
        """Each peer's link as this node sees it: the one link to the hub, through which it
        reaches every peer (the gateway's `/v1/federation/status`)."""
        return {peer: self.hub for peer in self.peers}

    def set_peers(self, peers: list[str]) -> None:
        """The peers of a governed trust list's new version (a node joined or left): the
        replica's source from the hub names them (the services provision it)."""
        self.peers = peers

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="replica-watchdog")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run(self) -> None:
        await self.bus.wait_ready()
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.debug("replica_watchdog_tick_failed", error=str(error))
            await asyncio.sleep(self.interval)

    async def hub_reachable(self) -> bool:
        """Whether the hub's events stream answers through its JetStream domain."""
        nc = self.bus.nc
        if nc is None or not nc.is_connected:
            return False
        subject = f"$JS.{HUB_DOMAIN}.API.STREAM.INFO.{HUB_EVENTS_STREAM}"
        # Not `nc.request`: its replies come under `_INBOX.<token>`, which no link passes.
        inbox = f"{reply_prefix(self.node)}.{secrets.token_hex(8)}"
        try:
            subscription = await nc.subscribe(inbox, max_msgs=1)
            try:
                await nc.publish(subject, b"", reply=inbox)
                reply = await subscription.next_msg(timeout=1.0)
            finally:
                with contextlib.suppress(Exception):
                    await subscription.unsubscribe()
            # No responders come back as an empty message with a status header.
            return "error" not in orjson.loads(reply.data)
        except Exception:
            return False

    async def tick(self) -> None:
        jsm = self.bus.nc.jsm(timeout=3) if self.bus.nc else None
        if jsm is None:
            return
        # The streams sourcing from the hub: the replica (the peers' events) and, where the
        # node has one, the inbox of direct messages (shared/direct.py); each kept alike.
        infos = {REPLICA: await jsm.stream_info(replica_stream_name(self.node))}
        with contextlib.suppress(NotFoundError):
            infos[INBOX] = await jsm.stream_info(direct_inbox_stream_name(self.node))
        errored = any(source.error for info in infos.values() for source in info.sources or [])
        now = time.monotonic()
        link = self.hub
        reachable = await self.hub_reachable()
        came_back = reachable and not link.reachable
        if reachable != link.reachable:
            link.reachable = reachable
            link.last_change = now
        retry_error = errored and now - link.last_kick >= self.min_kick_interval
        if reachable and (came_back or retry_error):
            for kind, info in infos.items():
                await self.reset_source(info.config, _HUB_SOURCE[kind])
            link.last_kick = now
            link.kicks += 1
            log.info("replica_source_reset", upstream=HUB_DOMAIN)

    async def reset_source(self, config: StreamConfig, stream: str) -> None:
        assert self.bus.nc is not None
        await reset_sources(self.bus.nc.jsm(timeout=5), config, {stream})


async def reset_sources(jsm: Any, config: StreamConfig, streams: set[str]) -> None:
    """Remove the sources of `streams` from the stream and add them again: the server resumes
    them at once, from where they stopped. The configuration is read again first: another
    process may have changed the sources since (a peer added by a new trust list), and
    writing back an older one would undo that."""
    assert config.name is not None
    config = (await jsm.stream_info(config.name)).config
    sources = list(config.sources or [])
    if not any(source.name in streams for source in sources):
        return
    without = [source for source in sources if source.name not in streams]
    config.sources = without or None
    await jsm.update_stream(config)
    config.sources = sources
    await jsm.update_stream(config)


class RecordDigest(BaseModel):
    """Count and order-independent checksum of one record type, so two nodes can compare."""

    count: int
    checksum: str


class PeerDigest(BaseModel):
    last_event_at: datetime | None = None
    quarantined: int = 0


class ServiceDigest(BaseModel):
    """What one service reports for `/v1/federation/status`."""

    records: dict[str, RecordDigest]
    peers: dict[str, PeerDigest]
    pending: dict[str, int]
    own_stream_refused: int = 0


# A service that keeps its own copy of another service's records names its digest
# `<record type>@<service>`: at rest it must equal the owner service's `<record type>` digest.
COPY_SEPARATOR = "@"


def copy_name(record_type: str, service: str) -> str:
    """The digest name of `service`'s copy of `record_type` (e.g. `institution@quality`)."""
    return f"{record_type}{COPY_SEPARATOR}{service}"


class Divergence(BaseModel):
    """A service's copy of a record type that does not match the record type itself: some
    record is missing, extra or at another version in the copy."""

    record_type: str
    copy_name: str = Field(alias="copy")
    expected: RecordDigest
    found: RecordDigest

    model_config = {"populate_by_name": True}


def divergences(records: dict[str, RecordDigest]) -> list[Divergence]:
    """Every copy whose digest differs from its record type's (both must be reported)."""
    found: list[Divergence] = []
    for name, digest in sorted(records.items()):
        record_type, separator, _service = name.partition(COPY_SEPARATOR)
        expected = records.get(record_type)
        if separator and expected is not None and expected != digest:
            found.append(
                Divergence(record_type=record_type, copy_name=name, expected=expected, found=digest)
            )
    return found


def record_checksum(pairs: Iterable[tuple[object, int]]) -> RecordDigest:
    """Sum modulo 2^64 of a hash of each (id, version): the same set of records gives the same
    checksum in any order, and any record at another version changes it."""
    total = 0
    count = 0
    for record_id, version in pairs:
        digest = hashlib.sha256(f"{record_id}:{version}".encode()).digest()
        total = (total + int.from_bytes(digest[:8], "big")) % (1 << 64)
        count += 1
    return RecordDigest(count=count, checksum=f"{total:016x}")


async def service_digest(
    session: AsyncSession,
    records: dict[str, Select[Any, int]],
    tables: KernelTablesLike,
    pending: dict[str, int],
    *,
    node: str,
) -> ServiceDigest:
    """Counts and checksums of the service's public records and copies, what it knows of each
    peer (the time of the last event applied from it, how many of its events were quarantined)
    and how many events in the node's own stream it refused (counted apart: whatever origin
    they claim, the peer did not put them there)."""
    digests: dict[str, RecordDigest] = {}
    for name, statement in records.items():
        rows = await session.execute(statement)
        digests[name] = record_checksum((str(row[0]), int(row[1])) for row in rows)
    peers: dict[str, PeerDigest] = {}
    inbox = tables.inbox
    for origin, last in await session.execute(
        select(inbox.c.origin_node, func.max(inbox.c.event_time)).group_by(inbox.c.origin_node)
    ):
        if origin:
            peers.setdefault(origin, PeerDigest()).last_event_at = _as_utc(last)
    quarantine = tables.quarantine
    in_own_stream = quarantine.c.subject.startswith(node_subject_prefix(node))
    for origin, count in await session.execute(
        select(quarantine.c.origin_node, func.count())
        .where(~in_own_stream)
        .group_by(quarantine.c.origin_node)
    ):
        peers.setdefault(origin or "unknown", PeerDigest()).quarantined = int(count)
    own_stream_refused = await session.scalar(
        select(func.count()).select_from(quarantine).where(in_own_stream)
    )
    return ServiceDigest(
        records=digests,
        peers=peers,
        pending=pending,
        own_stream_refused=int(own_stream_refused or 0),
    )


def _as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
