"""The running parts of a service, built in its lifespan: the database, the bus, the outbox
and its relay, the event consumers and the token verifier. One shape for every service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import MetaData, Table

from shared.auth import TokenVerifier
from shared.bus import Bus, StreamSpec
from shared.db import Database
from shared.events import node_stream_name, node_subjects
from shared.inbox import EventConsumer, EventHandler, dead_letter_table, inbox_table
from shared.outbox import HeaderSigner, Outbox, OutboxRelay, outbox_table
from shared.settings import ServiceSettings


@dataclass(frozen=True)
class KernelTables:
    """The kernel's tables inside a service's own database."""

    outbox: Table
    inbox: Table
    dead_letter: Table

    @classmethod
    def define(cls, metadata: MetaData) -> KernelTables:
        return cls(
            outbox=outbox_table(metadata),
            inbox=inbox_table(metadata),
            dead_letter=dead_letter_table(metadata),
        )


@dataclass(frozen=True)
class Subscription:
    """A consumer a service declares: which events it applies and how."""

    name: str
    subjects: list[str]
    handler: EventHandler
    stream: str | None = None  # defaults to this node's own stream


def node_streams(node: str) -> list[StreamSpec]:
    """The streams a node's services provision (idempotently) at start."""
    return [
        StreamSpec(
            name=node_stream_name(node),
            subjects=[node_subjects(node)],
            description=f"Events originated by node {node}",
        )
    ]


@dataclass
class ServiceRuntime:
    """Everything a service process runs besides its HTTP routes."""

    service: str
    settings: ServiceSettings
    tables: KernelTables
    subscriptions: list[Subscription] = field(default_factory=list)
    signer: HeaderSigner | None = None
    streams: Callable[[str], list[StreamSpec]] = node_streams
    database: Database = field(init=False)
    bus: Bus = field(init=False)
    outbox: Outbox = field(init=False)
    relay: OutboxRelay = field(init=False)
    consumers: list[EventConsumer] = field(init=False, default_factory=list)
    verifier: TokenVerifier | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        settings = self.settings
        self.database = Database(settings.database_url)
        self.bus = Bus(
            url=settings.nats_url,
            name=f"{settings.node_id}-{self.service}",
            streams=self.streams(settings.node_id),
        )
        self.relay = OutboxRelay(self.database, self.tables.outbox, self.bus, signer=self.signer)
        self.outbox = Outbox(self.tables.outbox, on_added=self.relay.notify)
        if settings.token_public_key_file is not None:
            self.verifier = TokenVerifier.from_file(
                settings.token_public_key_file, issuer=settings.token_issuer
            )
        self.consumers = [
            EventConsumer(
                database=self.database,
                bus=self.bus,
                inbox=self.tables.inbox,
                dead_letters=self.tables.dead_letter,
                name=f"{settings.node_id}_{self.service}_{sub.name}",
                stream=sub.stream or node_stream_name(settings.node_id),
                filter_subjects=sub.subjects,
                handler=sub.handler,
            )
            for sub in self.subscriptions
        ]

    async def start(self) -> None:
        self.bus.start()
        self.relay.start()
        for consumer in self.consumers:
            consumer.start()

    async def stop(self) -> None:
        for consumer in self.consumers:
            await consumer.stop()
        await self.relay.stop()
        await self.bus.close()
        await self.database.dispose()

    async def check_nats(self) -> None:
        if not self.bus.connected:
            raise RuntimeError("not connected")
