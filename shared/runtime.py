"""The running parts of a service, built in its lifespan: the database, the bus, the outbox
and its relay, the event consumers and the token verifier. One shape for every service."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

import structlog
from nats.js.errors import NotFoundError
from sqlalchemy import MetaData, Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.audit import audit_table
from shared.auth import TokenVerifier
from shared.bus import Bus, StreamSpec, cancel_and_wait
from shared.db import Database
from shared.direct import DirectSubscription, direct_streams
from shared.event_routes import EventRoutes, Subscription
from shared.events import (
    CloudEvent,
    node_stream_name,
    node_subject_prefix,
    node_subjects,
    replica_stream_name,
)
from shared.federation import PeersFromHubSpec, ReplicaWatchdog, source_shape
from shared.health import ConsumerHealth, OutboxHealth, ServiceHealth
from shared.idempotency import IdempotencyStore, idempotency_table
from shared.inbox import (
    BatchEventHandler,
    EventConsumer,
    EventGuard,
    EventHandler,
    dead_letter_table,
    inbox_table,
    quarantine_table,
)
from shared.outbox import HeaderSigner, Outbox, OutboxRelay, outbox_table
from shared.publisher import Publisher
from shared.settings import ServiceSettings
from shared.signing import load_node_signer
from shared.trust import TrustList, Verdict
from shared.trust_follow import TrustFollower


@dataclass(frozen=True)
class KernelTables:
    """The kernel's tables inside a service's own database."""

    outbox: Table
    inbox: Table
    dead_letter: Table
    quarantine: Table
    audit: Table
    idempotency: Table

    @classmethod
    def define(cls, metadata: MetaData) -> KernelTables:
        return cls(
            outbox=outbox_table(metadata),
            inbox=inbox_table(metadata),
            dead_letter=dead_letter_table(metadata),
            quarantine=quarantine_table(metadata),
            audit=audit_table(metadata),
            idempotency=idempotency_table(metadata),
        )


def subscription_guard(trust: TrustList, node: str, subscription: Subscription) -> EventGuard:
    """The check an event passes before `subscription` applies it at `node`: its signature
    and authority against the trust list, and its signer's place — in the node's own stream
    only the node's events, in the replica stream only the peers'."""
    authority = subscription.authority
    own_stream = not subscription.peers

    def guard(event: CloudEvent, payload: bytes, signature: str | None) -> Verdict:
        try:
            country = authority(event) if authority is not None else None
        except (KeyError, TypeError, ValueError):
            return Verdict(
                False,
                "the event does not say which country its record falls under",
                code="no_country",
            )
        verdict = trust.check(event, payload, signature, authority_country=country)
        if not verdict.accepted:
            return verdict
        if own_stream and verdict.signer != node:
            return Verdict(
                False,
                f"signed by {verdict.signer!r} in the own stream of node {node!r}",
                verdict.signer,
                "foreign_signer",
            )
        if not own_stream and verdict.signer == node:
            return Verdict(
                False,
                f"an event of node {node!r} arrived through a peer's stream",
                verdict.signer,
                "own_event_from_peer",
            )
        return verdict

    return guard


def node_streams(
    node: str, trust: TrustList | None = None, *, replicas: int = 1
) -> list[StreamSpec]:
    """The streams a node's services provision (idempotently) at start: its own events, and,
    in a federation, a replica stream sourcing its peers' events from the hub's `FED_EVENTS`
    (which sources every node's own stream: shared/federation.py; never a replica, so there
    are no cycles and no event is stored twice), and the direct-message streams. `replicas`
    is how many servers of a clustered JetStream keep each stream."""
    streams = [
        StreamSpec(
            name=node_stream_name(node),
            subjects=[node_subjects(node)],
            description=f"Events originated by node {node}",
            replicas=replicas,
        )
    ]
    if trust is not None:
        streams.append(
            PeersFromHubSpec(
                name=replica_stream_name(node),
                subjects=[],
                description=f"Peers' events replicated to node {node}",
                replicas=replicas,
                peers=tuple(peer.id for peer in trust.peers_of(node)),
            )
        )
        streams += direct_streams(node, trust, replicas=replicas)  # shared/direct.py
    return streams


SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


class Work(Protocol):
    """A service's own background work beside the kernel's (e.g. a scheduled pass, an
    in-memory index following the database). `in_every_process` work starts in every process
    of the service (what each process holds in memory); other work only in the process that
    runs the background workers, as the relay and the consumers."""

    @property
    def in_every_process(self) -> bool: ...

    def start(self) -> None: ...

    async def stop(self) -> None: ...


@runtime_checkable
class ReadyWhen(Protocol):
    """Work a process must have done before it serves (e.g. its search index loaded): `/readyz`
    reports it as `readiness_name`, failing (503) until `check_ready` passes."""

    readiness_name: str

    async def check_ready(self) -> None: ...


WorkT = TypeVar("WorkT")


def freeze_heap() -> None:
    """Take what is alive now (modules, the app, settings: over 100,000 objects) out of the
    cyclic garbage collector's sight until the runtime's stop gives them back.

    Requests in flight keep promoting a few objects to the oldest generation, so under load
    the collector runs a full collection every second or so, and a full collection walks
    every object of the process: 80 ms with the gateway's heap, most of its p99
    (`bench/gateway.py`, issue 18); a service's case queue showed the same spikes
    (`bench/console.py`). Frozen objects are still freed by reference counting. No
    `gc.collect()` first: it would cost a test process that starts many services a full
    collection each time, and the little start-up garbage is given back at stop too."""
    gc.freeze()


@dataclass
class ServiceRuntime(Generic[SettingsT]):
    """Everything a service process runs besides its HTTP routes.

    A service declares what is its own: its settings type, its kernel tables, the event
    routes and subscriptions of its `events.py` (and the `context` its handlers need), the
    federated records it compares, and its extra `work` (built from the runtime once the
    database and publisher exist)."""

    service: str
    settings: SettingsT
    tables: KernelTables
    routes: EventRoutes[SettingsT, Any] | None = None
    subscriptions: Sequence[Subscription] = ()
    # What the routes' handlers need of this process besides the session, settings and
    # publisher (`Applying.context`).
    context: Any = None
    work: Callable[[ServiceRuntime[SettingsT]], Sequence[Work]] | None = None
    # The direct messages addressed to this node's service (shared/direct.py): consumed in a
    # federation alongside the subscriptions.
    direct: Sequence[DirectSubscription] = ()
    signer: HeaderSigner | None = None
    # One process per node keeps the replica stream's sources current (see shared/federation).
    watch_replica: bool = False
    # The federated records compared across nodes: per type, a query of (id, version).
    records: dict[str, Select[Any, int]] = field(default_factory=dict)
    database: Database = field(init=False)
    bus: Bus = field(init=False)
    outbox: Outbox = field(init=False)
    publisher: Publisher = field(init=False)
    # The routes bound to this runtime: what the consumers apply each event with, after their
    # checks (bulk loads and tests call them directly).
    apply_event: EventHandler = field(init=False)
    apply_events: BatchEventHandler | None = field(init=False, default=None)
    relay: OutboxRelay = field(init=False)
    extra_work: list[Work] = field(init=False, default_factory=list)
    consumers: list[EventConsumer] = field(init=False, default_factory=list)
    verifier: TokenVerifier | None = field(init=False, default=None)
    trust: TrustList | None = field(init=False, default=None)
    watchdog: ReplicaWatchdog | None = field(init=False, default=None)
    idempotency: IdempotencyStore = field(init=False)
    _pruner: asyncio.Task[None] | None = field(init=False, default=None)
    _consumers_gate: asyncio.Task[None] | None = field(init=False, default=None)
    _stopping: asyncio.Future[None] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        settings = self.settings
        self.database = Database(settings.database_url)
        self.idempotency = IdempotencyStore(
            self.database,
            ttl=timedelta(seconds=settings.idempotency_ttl_seconds),
            lease=timedelta(seconds=settings.idempotency_lease_seconds),
        )
        if settings.trust_file is not None:
            self.trust = TrustList.load(settings.trust_file)
        if self.signer is None and settings.federation_keys_dir is not None:
            node_signer = load_node_signer(settings.federation_keys_dir, settings.node_id)
            if node_signer is not None:
                self.signer = node_signer.headers
        self.bus = Bus(
            url=settings.nats_url,
            name=f"{settings.node_id}-{self.service}",
            streams=node_streams(settings.node_id, self.trust, replicas=settings.stream_replicas),
        )
        self.relay = OutboxRelay(
            self.database, self.tables.outbox, self.bus, signer=self.signer, service=self.service
        )
        self.outbox = Outbox(self.tables.outbox, on_added=self.relay.notify)
        self.publisher = Publisher(node=settings.node_id, service=self.service, outbox=self.outbox)
        routes = self.routes if self.routes is not None else EventRoutes[SettingsT, Any]()
        self.apply_event = routes.handler(settings, self.publisher, self.context)
        self.apply_events = routes.batch_handler(settings, self.publisher, self.context)
        if self.watch_replica and self.trust is not None:
            peers = [peer.id for peer in self.trust.peers_of(settings.node_id)]
            self.watchdog = ReplicaWatchdog(self.bus, settings.node_id, peers)
        if settings.token_public_key_file is not None:
            self.verifier = TokenVerifier.from_file(
                settings.token_public_key_file, issuer=settings.token_issuer
            )
        self.consumers = [
            self._consumer(subscription.for_node(settings.node_id))
            for subscription in self.subscriptions
            if self.trust is not None or not subscription.peers
        ]
        if self.direct and self.trust is not None:
            if settings.federation_keys_dir is None:
                # Messages wait in the node's inbox stream until the node has keys to open them.
                structlog.get_logger("edunode.runtime").warning(
                    "direct_messages_not_consumed", reason="no federation keys"
                )
            else:
                self.consumers += [subscription.consumer(self) for subscription in self.direct]
        if self.work is not None:
            self.extra_work = list(self.work(self))
        if self.trust is not None and self.trust.governed:
            self.extra_work.append(
                TrustFollower(
                    self.bus,
                    settings.node_id,
                    self.trust,
                    self.service,
                    on_change=self._trust_changed,
                    reconcile=self._reconcile_sources,
                    replicas=settings.stream_replicas,
                )
            )

    async def _trust_changed(self) -> None:
        """A newer trust list was adopted (shared/trust_follow.py): the checks already use it;
        the replica and inbox streams now source the peers it names (a node that joined), and
        the watchdog minds them."""
        assert self.trust is not None
        node = self.settings.node_id
        self.bus.streams = node_streams(node, self.trust, replicas=self.settings.stream_replicas)
        if self.watchdog is not None:
            self.watchdog.set_peers([peer.id for peer in self.trust.peers_of(node)])
        if self.workers_running:
            await self.bus.provision(self.bus.streams)

    async def _reconcile_sources(self) -> None:
        """With a governed list, now and then: the streams sourcing the peers source those of
        the list held. Sources are changed by several processes (each service's worker on a
        new version, the replica watchdog's reset); one that undid another's change is
        redone here."""
        nc = self.bus.nc
        if not self.workers_running or nc is None or not nc.is_connected:
            return
        jsm = nc.jsm(timeout=3)
        for spec in self.bus.streams:
            declared = source_shape(spec.to_config())
            if not declared:
                continue
            try:
                info = await jsm.stream_info(spec.name)
            except NotFoundError:
                continue
            if source_shape(info.config) != declared:
                await self.bus.provision([spec])
                structlog.get_logger("edunode.runtime").info(
                    "stream_sources_reconciled", stream=spec.name
                )

    def work_of(self, kind: type[WorkT]) -> WorkT:
        """The service's own `Work` of type `kind` (e.g. a client its routes use)."""
        for work in self.extra_work:
            if isinstance(work, kind):
                return work
        raise LookupError(f"{self.service} runs no {kind.__name__}")

    def readiness_checks(self) -> dict[str, Callable[[], Awaitable[None]]]:
        """The checks `/readyz` runs besides the database and the broker: the service's own
        work that must be done before this process serves (`ReadyWhen`)."""
        return {
            work.readiness_name: work.check_ready
            for work in self.extra_work
            if isinstance(work, ReadyWhen)
        }

    async def apply(self, session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        """Apply `events` in `session` through the routes, as the consumers do once the events
        passed their checks: through the batch routes where there are, else one by one. Bulk
        loads and tests use it."""
        if self.apply_events is not None:
            await self.apply_events(session, events)
            return
        for event in events:
            await self.apply_event(session, event)

    def _consumer(self, subscription: Subscription) -> EventConsumer:
        if self.routes is None:
            raise ValueError(f"{self.service} subscribes to events without routes to apply them")
        settings = self.settings
        return EventConsumer(
            database=self.database,
            bus=self.bus,
            inbox=self.tables.inbox,
            dead_letters=self.tables.dead_letter,
            quarantine=self.tables.quarantine,
            name=f"{settings.node_id}_{self.service}_{subscription.name}",
            stream=(replica_stream_name if subscription.peers else node_stream_name)(
                settings.node_id
            ),
            filter_subjects=subscription.subjects,
            handler=self.apply_event,
            batch_handler=self.apply_events,
            guard=(
                subscription_guard(self.trust, settings.node_id, subscription)
                if self.trust is not None
                else None
            ),
            own_stream=not subscription.peers,
        )

    async def start(self) -> None:
        """Connect to the broker and, unless `background_workers` is off, start the relay,
        the consumers and the watchdog. A process without workers still writes events to the
        outbox; the node's worker process relays them on its next poll. Then what lives for
        the service's life is left out of the collector's full passes (`freeze_heap`)."""
        self.bus.start()
        for work in self.extra_work:
            if work.in_every_process:
                work.start()
        if self.settings.background_workers:
            self._start_workers()
        freeze_heap()

    def _start_workers(self) -> None:
        self.relay.start()
        follower = next((w for w in self.extra_work if isinstance(w, TrustFollower)), None)
        if follower is None:
            self._start_consumers()
        else:
            self._consumers_gate = asyncio.create_task(
                self._start_consumers_when_trust_current(follower), name="consumers-gate"
            )
        if self.watchdog is not None:
            self.watchdog.start()
        self._pruner = asyncio.create_task(
            self._prune_idempotency_keys(), name="idempotency-pruner"
        )
        for work in self.extra_work:
            if not work.in_every_process:
                work.start()

    def _start_consumers(self) -> None:
        for consumer in self.consumers:
            consumer.start()

    async def _start_consumers_when_trust_current(self, follower: TrustFollower) -> None:
        """Start the consumers once the node's copy of the governed trust list has been read
        (a node started with an older list file must not apply, in between, the events of a
        node a newer version removed); after 30 s without the broker, they start anyway
        on the list held."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(follower.current.wait(), 30.0)
        self._start_consumers()

    async def _prune_idempotency_keys(self, every: float = 600.0) -> None:
        """Forget expired idempotency keys now and then (a failed pass is tried again later)."""
        while True:
            try:
                await self.idempotency.prune()
            except Exception as error:
                structlog.get_logger("edunode.runtime").warning(
                    "idempotency_prune_failed", error=str(error)
                )
            await asyncio.sleep(every)

    @property
    def workers_running(self) -> bool:
        """Whether this process runs the background workers."""
        return self.settings.background_workers

    async def stop(self) -> None:
        """Stop the workers, then the broker connection and the database. Each step is bounded:
        a worker stuck in I/O must not keep the process (or a test) from ending. The stop runs
        to its end even when whoever awaits it is cancelled (the cancellation is passed on
        after): a worker left running would outlive its service, still logging and publishing.
        Stopping again waits for the first stop."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        cancelled = False
        while True:
            try:
                await asyncio.shield(self._stopping)
                break
            except asyncio.CancelledError:
                if self._stopping.done():
                    raise  # the stop itself was cancelled, not only this wait
                cancelled = True
        if cancelled:
            raise asyncio.CancelledError

    async def _stop(self) -> None:
        # Each step's coroutine is made only when it runs: none is left never awaited.
        steps: list[Callable[[], Awaitable[None]]] = [work.stop for work in self.extra_work]
        steps.append(lambda: cancel_and_wait(self._pruner))
        steps.append(lambda: cancel_and_wait(self._consumers_gate))
        if self.watchdog is not None:
            steps.append(self.watchdog.stop)
        steps.extend(consumer.stop for consumer in self.consumers)
        steps += [self.relay.stop, self.bus.close, self.database.dispose]
        for step in steps:
            await _bounded(step())
        gc.unfreeze()  # collectable again: in a test process, this service is garbage now

    async def check_nats(self) -> None:
        if not self.bus.connected:
            raise RuntimeError("not connected")

    async def consumer_pending(self) -> dict[str, int]:
        """Messages not yet delivered to each consumer (0 where the broker is unreachable)."""
        return {
            consumer.name: (await consumer.measure()).pending or 0 for consumer in self.consumers
        }

    async def measure(self) -> tuple[OutboxHealth, list[ConsumerHealth]]:
        """The outbox backlog and each consumer's lag, now; sets their gauges on the way (so
        `/metrics` shows them as of the scrape, even while the relay waits for the broker)."""
        outbox = await self.relay.measure()
        return outbox, [await consumer.measure() for consumer in self.consumers]

    async def health(self, checks: dict[str, str]) -> ServiceHealth:
        """This service's report for the node's health, given its readiness checks' results."""
        outbox, consumers = await self.measure()
        tables = self.tables
        async with self.database.session() as session:
            quarantined = await session.scalar(select(func.count()).select_from(tables.quarantine))
            own_stream_refused = await session.scalar(
                select(func.count())
                .select_from(tables.quarantine)
                .where(
                    tables.quarantine.c.subject.startswith(
                        node_subject_prefix(self.settings.node_id)
                    )
                )
            )
            dead_letters = await session.scalar(
                select(func.count()).select_from(tables.dead_letter)
            )
        return ServiceHealth(
            service=self.service,
            ready=all(state == "ok" for state in checks.values()),
            checks=checks,
            outbox=outbox,
            consumers=consumers,
            quarantined=int(quarantined or 0),
            own_stream_refused=int(own_stream_refused or 0),
            dead_letters=int(dead_letters or 0),
        )


async def _bounded(step: Awaitable[None], seconds: float = 10.0) -> None:
    """Run one step of a stop, giving up after `seconds`; its failure is logged, so the steps
    after it still run."""
    try:
        await asyncio.wait_for(step, seconds)
    except TimeoutError:
        structlog.get_logger("edunode.runtime").warning("stop_step_timed_out", seconds=seconds)
    except Exception as error:
        structlog.get_logger("edunode.runtime").error(
            "stop_step_failed", error=str(error), exc_info=error
        )
