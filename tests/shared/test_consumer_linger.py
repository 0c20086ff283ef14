"""A consumer whose fetch did not fill a batch waits `linger` before its next fetch, so that
events arriving one by one meanwhile are applied together, in one transaction (one commit and
one fsync instead of one each; bench.load's mix had each of four services spend 3 to 5 ms of
CPU per event applying them one at a time)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from edunode.natsserver import NatsServer
from services.institutions.db import kernel_tables as institutions_tables
from shared.bus import Bus
from shared.db import Database
from shared.events import CloudEvent, new_event, node_stream_name
from shared.inbox import EventConsumer
from shared.runtime import node_streams
from tests.conftest import ensure_running, eventually, migrated


async def test_events_arriving_while_the_consumer_lingers_are_applied_in_one_batch(
    database_url: str, nats_server: NatsServer, node_id: str
) -> None:
    one_by_one: list[str] = []
    batches: list[list[str]] = []

    async def handler(_session: AsyncSession, event: CloudEvent) -> None:
        one_by_one.append(event.id)

    async def batch_handler(_session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        batches.append([event.id for event in events])

    database = Database(migrated("services.institutions", database_url))
    bus = Bus(
        url=ensure_running(nats_server).url, name=f"linger-{node_id}", streams=node_streams(node_id)
    )
    consumer = EventConsumer(
        database=database,
        bus=bus,
        inbox=institutions_tables.inbox,
        dead_letters=institutions_tables.dead_letter,
        name=f"{node_id}_test_linger",
        stream=node_stream_name(node_id),
        filter_subjects=[f"evt.{node_id}.>"],
        handler=handler,
        batch_handler=batch_handler,
        linger=3.0,  # long enough for the ten publishes below on a busy machine
    )

    def event() -> CloudEvent:
        return new_event(
            node=node_id,
            service="institutions",
            aggregate="institution",
            action="created",
            subject=str(uuid.uuid4()),
            data={},
            version=1,
        )

    bus.start()
    try:
        await asyncio.wait_for(bus.wait_ready(), 10)
        consumer.start()
        alone = event()
        await bus.js.publish(alone.nats_subject, alone.to_bytes())

        async def applied_alone() -> bool:
            return one_by_one == [alone.id]

        await eventually(applied_alone, what="the lone event applied")
        following = [event() for _ in range(10)]
        for each in following:
            await bus.js.publish(each.nats_subject, each.to_bytes())

        async def all_applied() -> bool:
            return len(one_by_one) + sum(len(batch) for batch in batches) == 11

        await eventually(all_applied, what="the ten following events applied")
        assert one_by_one == [alone.id]
        assert batches == [[each.id for each in following]]
    finally:
        await consumer.stop()
        await bus.close()
        await database.dispose()
