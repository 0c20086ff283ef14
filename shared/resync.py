"""Rebuilding a node's copies of one peer's records from that peer's signed events.

The owner's events reach every node through its replica stream, which sources the owner's own
stream: each message still carries the owner's signature. A resync reads them all, keeps those
that pass the very checks the consumers make (`subscription_guard`: signature, signer,
authority), and rebuilds each copy in one transaction: every row of a record the owner signed
is set to the newest signed state, whatever version it held (a forged version 99 included),
and rows that claim to be the owner's, or fall under its countries, without any signed state
are removed. `edunode federation resync --from NODE` runs it for each service.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client as NatsClient
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import ColumnElement, Row, Table, delete, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.audit import act_as
from shared.db import Database
from shared.event_routes import Subscription
from shared.events import CloudEvent
from shared.inbox import EventHandler, PermanentEventError, event_actor
from shared.runtime import subscription_guard
from shared.signing import SIGNATURE_HEADER
from shared.trust import TrustedNode, TrustList

# Rows looked up or changed per statement (bound parameters stay well under every limit).
_CHUNK = 500


@dataclass(frozen=True)
class SignedMessage:
    """One message as the stream holds it: the exact payload bytes and their signature."""

    subject: str
    payload: bytes
    signature: str | None


@dataclass(frozen=True)
class ReplicaTable:
    """A table (of an ORM model) holding copies of other nodes' records: which events write
    it, and how its rows name their record, origin and (for country-bound records) country."""

    name: str
    model: type[Any]
    event_types: tuple[str, ...]
    id_column: str = "id"
    country_column: str | None = None
    # The table also holds this node's own records, written by the service itself (its
    # agencies, decisions, ...): a resync from the node's own stream leaves it alone.
    holds_own_records: bool = False
    # None: every row is a copy of what this node derives (e.g. the QA status quality
    # publishes), rebuilt only from the node's own stream.
    origin_column: str | None = "origin_node"

    @property
    def table(self) -> Table:
        table = self.model.__table__
        assert isinstance(table, Table)
        return table


# What a service does once rows were removed (with the rows as they were), e.g. recompute
# what it derived from them.
AfterRemove = Callable[[AsyncSession, "ReplicaTable", Sequence[Row[Any]]], Awaitable[None]]


@dataclass
class TableReport:
    rebuilt: int = 0
    removed: int = 0


@dataclass
class ResyncReport:
    """What a resync read and did, per table."""

    owner: str
    read: int = 0
    verified: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    failed: int = 0
    tables: dict[str, TableReport] = field(default_factory=dict)


def subject_matches(pattern: str, subject: str) -> bool:
    """Whether a NATS subject matches a filter with `*` (one token) and `>` (the rest)."""
    wanted = pattern.split(".")
    tokens = subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(tokens) > index
        if index >= len(tokens) or (token != "*" and token != tokens[index]):
            return False
    return len(tokens) == len(wanted)


async def read_stream(
    nc: NatsClient, stream: str, subject: str, *, batch: int = 500, timeout: float = 5.0
) -> list[SignedMessage]:
    """Every message of `stream` under `subject`, in stream order, through an ephemeral
    consumer that acknowledges nothing (reading changes no durable consumer's position)."""
    js = nc.jetstream()
    subscription = await js.pull_subscribe(
        subject,
        stream=stream,
        config=ConsumerConfig(
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.ALL,
            inactive_threshold=60.0,
        ),
    )
    messages: list[SignedMessage] = []
    try:
        while True:
            try:
                fetched = await subscription.fetch(batch, timeout=timeout)
            except NatsTimeoutError:
                break
            for message in fetched:
                messages.append(
                    SignedMessage(
                        message.subject,
                        message.data,
                        (message.headers or {}).get(SIGNATURE_HEADER),
                    )
                )
            last = fetched[-1].metadata if fetched else None
            if last is None or not last.num_pending:
                break
    finally:
        await subscription.unsubscribe()
    return messages


def _record_key(table: Table, id_column: str, value: str) -> Any:
    """The event's subject as the table's key (a UUID column wants a UUID)."""
    try:
        python_type = table.c[id_column].type.python_type
    except NotImplementedError:
        return value
    return uuid.UUID(value) if python_type is uuid.UUID else value


async def rebuild_replicas(
    database: Database,
    *,
    node: str,
    owner: TrustedNode,
    trust: TrustList,
    subscriptions: Sequence[Subscription],
    handler: EventHandler,
    tables: Sequence[ReplicaTable],
    messages: Sequence[SignedMessage],
    after_remove: AfterRemove | None = None,
) -> ResyncReport:
    """Rebuild `tables` (one service's copies) from the owner's `messages`, in one
    transaction, applying each record's newest signed state through the service's own
    `handler` (its routes) if one of its subscriptions reads it: the peers' subscriptions for a
    peer's records; for the node's own (`messages` from its own stream), the subscriptions of
    its own stream, and only the tables that hold copies, never those where the service
    writes the node's records itself."""
    report = ResyncReport(owner=owner.id, read=len(messages))
    own = owner.id == node
    subscriptions = [sub.for_node(node) for sub in subscriptions if sub.peers != own]
    tables = [
        spec
        for spec in tables
        if not (own and spec.holds_own_records) and (own or spec.origin_column is not None)
    ]
    guards = {sub.name: subscription_guard(trust, node, sub) for sub in subscriptions}
    newest: dict[tuple[str, str], CloudEvent] = {}
    for message in messages:
        for sub in subscriptions:
            if not any(subject_matches(pattern, message.subject) for pattern in sub.subjects):
                continue
            try:
                event = CloudEvent.from_bytes(message.payload)
            except ValueError:
                report.refused["malformed"] += 1
                continue
            verdict = guards[sub.name](event, message.payload, message.signature)
            if not verdict.accepted or verdict.signer != owner.id:
                report.refused[verdict.code or "refused"] += 1
                continue
            report.verified += 1
            key = (event.type.rsplit(".", 2)[0], event.subject)
            known = newest.get(key)
            if known is None or event.aggregateversion >= known.aggregateversion:
                newest[key] = event
    async with database.session() as session:
        for spec in tables:
            signed = [
                _record_key(spec.table, spec.id_column, event.subject)
                for event in newest.values()
                if event.type.startswith(spec.event_types)
            ]
            report.tables[spec.name] = await _reset_table(
                session, spec, signed, node=node, owner=owner, after_remove=after_remove
            )
        for event in newest.values():
            rebuilt = [spec for spec in tables if event.type.startswith(spec.event_types)]
            if not rebuilt:  # an event of records this service keeps no copy of to rebuild
                continue
            act_as(session, event_actor(event), request_id=event.id)
            try:
                await handler(session, event)
            except PermanentEventError:  # refused before it wrote anything
                report.failed += 1
                continue
            for spec in rebuilt:
                report.tables[spec.name].rebuilt += 1
    return report


async def _reset_table(
    session: AsyncSession,
    spec: ReplicaTable,
    signed: list[Any],
    *,
    node: str,
    owner: TrustedNode,
    after_remove: AfterRemove | None,
) -> TableReport:
    """Unpin the version of every row the owner signed (so its newest signed state applies
    whatever the row held), and remove the rows that claim the owner or its countries
    without a signed state (never this node's own)."""
    table = spec.table
    key = table.c[spec.id_column]
    for start in range(0, len(signed), _CHUNK):
        await session.execute(
            update(table).where(key.in_(signed[start : start + _CHUNK])).values(version=0)
        )
    if spec.origin_column is None:
        claims: ColumnElement[bool] = true()  # the node's own: only its own stream rebuilds it
    else:
        origin = table.c[spec.origin_column]
        claims = origin == owner.id
        if spec.country_column is not None and owner.countries:
            claims = claims | (table.c[spec.country_column].in_(owner.countries) & (origin != node))
    known = set(signed)
    unsigned = [
        row
        for row in (await session.execute(select(table).where(claims))).all()
        if row._mapping[spec.id_column] not in known
    ]
    keys = [row._mapping[spec.id_column] for row in unsigned]
    for start in range(0, len(keys), _CHUNK):
        await session.execute(delete(table).where(key.in_(keys[start : start + _CHUNK])))
    if unsigned and after_remove is not None:
        await after_remove(session, spec, unsigned)
    return TableReport(removed=len(unsigned))
