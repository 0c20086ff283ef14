"""The transactional outbox and its relay to JetStream.

`Outbox.add` writes the event row in the caller's transaction, so the change and its event
commit together or not at all: the broker being down never fails a write and never loses an
event. The relay publishes pending rows in order with `Nats-Msg-Id` = event id and marks them
sent only once JetStream acknowledged them; if it dies in between, the re-publish is dropped by
the stream's duplicate window.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog
from nats.js.api import PubAck
from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus import Bus, BusUnavailable, cancel_and_wait
from shared.db import Database, UtcDateTime, database_busy, utcnow
from shared.events import CloudEvent
from shared.health import OutboxHealth
from shared.metrics import OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE, OUTBOX_PUBLISHED
from shared.tracing import OFF, TRACEPARENT_HEADER, SpanKind, Tracing, running
from shared.unit_of_work import unit_of

log = structlog.get_logger("edunode.outbox")

# Turns the exact payload bytes into extra headers (the federation's detached signature).
HeaderSigner = Callable[[bytes], Mapping[str, str]]


def outbox_table(metadata: MetaData) -> Table:
    """The outbox table, declared in a service's own metadata (and so its migrations)."""
    return Table(
        "outbox_event",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("subject", String(255), nullable=False),
        Column("type", String(255), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("traceparent", String(64)),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), index=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text),
    )


@dataclass
class Outbox:
    """Writes events into the outbox table inside the caller's transaction; `on_added` (the
    relay's `notify`) is called once that transaction has committed."""

    table: Table
    on_added: Callable[[], None] | None = None

    async def add(self, session: AsyncSession, event: CloudEvent) -> None:
        await self.add_many(session, [event])

    async def add_many(self, session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        """Write several events in one statement (bulk writes), in the given order."""
        if not events:
            return
        now = utcnow()
        await session.execute(
            insert(self.table),
            [
                {
                    "id": event.id,
                    "subject": event.nats_subject,
                    "type": event.type,
                    "payload": event.to_bytes(),
                    "traceparent": event.traceparent,
                    "created_at": now,
                    "attempts": 0,
                }
                for event in events
            ],
        )
        if self.on_added is not None:
            # Wake the relay once the row is committed: the relay reads committed rows only, so
            # woken now it would find nothing and sleep a whole poll interval (a second).
            unit_of(session).after_commit(self.on_added)


def _waiting(error: Exception) -> bool:
    """Whether the relay only has to wait: for the broker, or for the database's write lock."""
    return isinstance(
        error, BusUnavailable | OSError | TimeoutError | ConnectionError
    ) or database_busy(error)


@dataclass
class OutboxRelay:
    """Publishes committed outbox rows to JetStream, retrying with backoff."""

    database: Database
    table: Table
    bus: Bus
    signer: HeaderSigner | None = None
    service: str = "unnamed"  # the `service` label of its metrics
    batch_size: int = 200
    poll_interval: float = 1.0
    publish_timeout: float = 10.0
    max_backoff: float = 15.0
    retention: timedelta = timedelta(days=7)
    # Pruning is a write: on SQLite it queues behind every other writer, so it runs once in a
    # while, not at every idle pass.
    prune_interval: float = 300.0
    # A producer span per published event, child of the span that wrote it; exported when the
    # service exports traces.
    tracing: Tracing = OFF
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None
    _pruned_at: float | None = None

    def notify(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)

    async def run(self) -> None:
        backoff = 0.25
        while True:
            try:
                sent = await self.publish_pending()
                backoff = 0.25
                await self.measure()
                if sent >= self.batch_size:
                    continue
                await self._prune_now_and_then()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not _waiting(error):
                    log.exception("outbox_relay_failed", service=self.service, error=str(error))
                else:
                    # The broker away, or (SQLite) another writer holding the database past
                    # the busy timeout, as a bulk load does: nothing is lost, try again later.
                    log.warning(
                        "outbox_relay_waiting",
                        service=self.service,
                        error=str(error),
                        retry_in=backoff,
                    )
                    with contextlib.suppress(Exception):
                        await self.measure()  # the backlog grows while the broker is away
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)
            self._wake.clear()

    async def publish_pending(self) -> int:
        """Publish one batch of pending events in order; returns how many were acknowledged."""
        table = self.table
        async with self.database.session() as session:
            rows = (
                await session.execute(
                    select(table.c.id, table.c.subject, table.c.payload, table.c.traceparent)
                    .where(table.c.published_at.is_(None))
                    .order_by(table.c.id)  # UUIDv7: creation order
                    .limit(self.batch_size)
                )
            ).all()
        if not rows:
            return 0
        acknowledged, error = await self._publish(rows)
        # Counted before the rows are marked: a scrape never sees them gone from the backlog
        # and not yet in the count.
        OUTBOX_PUBLISHED.labels(self.service).inc(len(acknowledged))
        async with self.database.session() as session:
            if acknowledged:
                await session.execute(
                    update(table).where(table.c.id.in_(acknowledged)).values(published_at=utcnow())
                )
            if error is not None:
                failed_id = rows[len(acknowledged)].id
                await session.execute(
                    update(table)
                    .where(table.c.id == failed_id)
                    .values(attempts=table.c.attempts + 1, last_error=str(error)[:1000])
                )
        if error is not None:
            raise BusUnavailable(f"publish failed: {error}") from error
        return len(acknowledged)

    @contextmanager
    def _publishing(self, row: Row[Any, Any, Any, Any], headers: dict[str, str]) -> Iterator[None]:
        """Publish `row` in a producer span continuing the trace that wrote the event, named
        in the message's `traceparent` header (the event's own attribute, which the signature
        covers, names the writer's span)."""
        if not row.traceparent:
            yield
            return
        span = self.tracing.start(
            f"{row.subject} publish",  # OpenTelemetry's messaging convention
            parent=row.traceparent,
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "nats",
                "messaging.operation.type": "send",
                "messaging.destination.name": row.subject,
                "messaging.message.id": row.id,
            },
        )
        headers[TRACEPARENT_HEADER] = span.traceparent
        with running(span):
            yield

    async def _publish(
        self, rows: Sequence[Row[Any, Any, Any, Any]]
    ) -> tuple[list[str], Exception | None]:
        """Publish rows in order without waiting for each acknowledgement (one connection
        keeps them in order), then collect the acknowledgements: the ids acknowledged before
        the first failure, and that failure. A row published but not acknowledged is sent
        again later; JetStream drops the copy by its `Nats-Msg-Id`."""
        js = self.bus.js
        pending: list[asyncio.Future[PubAck]] = []
        try:
            for row in rows:
                headers = {"Nats-Msg-Id": row.id}
                if self.signer is not None:
                    headers.update(self.signer(row.payload))
                with self._publishing(row, headers):
                    pending.append(
                        await js.publish_async(
                            row.subject,
                            row.payload,
                            headers=headers,
                            wait_stall=self.publish_timeout,
                        )
                    )
            await asyncio.wait(pending, timeout=self.publish_timeout)
        except BaseException as stopped:  # cancelled too: no acknowledgement is left waiting
            for future in pending:
                future.cancel()
            if not isinstance(stopped, Exception):
                raise
            return [], stopped
        acknowledged: list[str] = []
        failure: Exception | None = None
        for row, future in zip(rows, pending, strict=True):
            error: BaseException | None
            if not future.done():
                future.cancel()
                error = TimeoutError(f"no acknowledgement within {self.publish_timeout} s")
            elif future.cancelled():
                error = RuntimeError("publish cancelled")
            else:
                error = future.exception()  # retrieved for every future, failed or not
            if failure is not None:
                continue
            if error is None:
                acknowledged.append(row.id)
            else:
                failure = error if isinstance(error, Exception) else RuntimeError(str(error))
        return acknowledged, failure

    async def _prune_now_and_then(self) -> None:
        now = time.monotonic()
        if self._pruned_at is None or now - self._pruned_at >= self.prune_interval:
            await self.prune()
            self._pruned_at = now

    async def prune(self) -> None:
        """Forget rows published longer ago than the retention (JetStream holds them)."""
        async with self.database.session() as session:
            await session.execute(
                delete(self.table).where(self.table.c.published_at < utcnow() - self.retention)
            )

    async def measure(self) -> OutboxHealth:
        """Count the events waiting and the age of the oldest, and set the outbox gauges."""
        async with self.database.session() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(self.table.c.created_at)).where(
                        self.table.c.published_at.is_(None)
                    )
                )
            ).one()
        now = utcnow()
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        age = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
        OUTBOX_BACKLOG.labels(self.service).set(count)
        OUTBOX_OLDEST_AGE.labels(self.service).set(age)
        return OutboxHealth(backlog=int(count), oldest_age_seconds=age)
