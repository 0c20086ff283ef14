"""The outbox relay beside a bulk load, on SQLite and PostgreSQL (issue 18, item 7): a writer
holding SQLite's write lock past the relay's busy timeout makes the relay wait and try again
(a warning), never fail (an error with a traceback); and a bulk import with the relay running
ends with every event published."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient
from structlog.testing import capture_logs

from edunode.natsserver import NatsServer
from services.institutions.bulk.formats import read_csv
from services.institutions.bulk.importer import InstitutionImporter
from services.institutions.db import kernel_tables, publisher
from shared.bus import Bus
from shared.db import Database
from shared.outbox import Outbox, OutboxRelay
from shared.runtime import node_streams
from tests.conftest import eventually, migrated, stream_message_count
from tests.shared.test_backbone import count_rows, institution_created

outbox = kernel_tables.outbox
# Short enough that the relay surely meets a writer's lock; the writers keep the default.
RELAY_BUSY_TIMEOUT = 0.02


@pytest.fixture
async def bus(nats_server: NatsServer, node_id: str) -> AsyncIterator[Bus]:
    bus = Bus(url=nats_server.url, name=f"relay-load-{node_id}", streams=node_streams(node_id))
    bus.start()
    try:
        async with asyncio.timeout(10):
            await bus.wait_ready()
        yield bus
    finally:
        await bus.close()


@pytest.fixture
async def databases(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    """The institutions database as a bulk load sees it, and as the relay does."""
    url = migrated("services.institutions", database_url)
    writer, relays = Database(url), Database(url, busy_timeout=RELAY_BUSY_TIMEOUT)
    try:
        yield writer, relays
    finally:
        await relays.dispose()
        await writer.dispose()


def relay_logs(
    logs: list[MutableMapping[str, Any]], relay: OutboxRelay, event: str
) -> list[MutableMapping[str, Any]]:
    """What this test's relay logged (another test's workers may still be stopping)."""
    return [log for log in logs if log["event"] == event and log.get("service") == relay.service]


async def test_the_relay_waits_for_a_writer_holding_the_database(
    databases: tuple[Database, Database],
    bus: Bus,
    nats_client: NatsClient,
    node_id: str,
    db_backend: str,
) -> None:
    writer, relays = databases
    committed = [institution_created(node_id, name=f"University {n}") for n in range(3)]
    async with writer.session() as session:
        await Outbox(outbox).add_many(session, committed)
    relay = OutboxRelay(relays, outbox, bus, service=f"held-{node_id}", poll_interval=0.05)
    with capture_logs() as logs:
        try:
            async with writer.session() as loading:
                # A bulk load's transaction, still open: on SQLite it holds the write lock
                # the relay needs to mark what it published.
                await Outbox(outbox).add(loading, institution_created(node_id, name="Loading"))
                relay.start()
                if db_backend == "sqlite":

                    async def waited() -> bool:
                        return any(
                            "database is locked" in log["error"]
                            for log in relay_logs(logs, relay, "outbox_relay_waiting")
                        )

                    await eventually(waited, what="the relay waiting for the lock")
                else:  # PostgreSQL locks rows, not the database: the relay goes on

                    async def three_published() -> bool:
                        return await stream_message_count(nats_client, node_id) == 3

                    await eventually(three_published, what="the committed events published")

            async def all_marked() -> bool:
                return await count_rows(writer, outbox, outbox.c.published_at.is_(None)) == 0

            await eventually(all_marked, timeout=30, what="every event marked as published")
        finally:
            await relay.stop()
    assert relay_logs(logs, relay, "outbox_relay_failed") == []
    assert await stream_message_count(nats_client, node_id) == 4  # the retries were dropped


async def test_a_bulk_import_and_the_relay_run_together_without_a_failure(
    databases: tuple[Database, Database],
    bus: Bus,
    nats_client: NatsClient,
    node_id: str,
    tmp_path: Path,
) -> None:
    writer, relays = databases
    rows = 1000
    path = tmp_path / "colleges.csv"
    path.write_text(
        "name,country,city\n" + "".join(f"College No. {n},CN,City {n % 37}\n" for n in range(rows))
    )
    relay = OutboxRelay(relays, outbox, bus, service=f"bulk-{node_id}", poll_interval=0.05)
    importer = InstitutionImporter(writer, node_id, ["CN"], publisher(node_id), batch_size=50)
    with capture_logs() as logs:
        relay.start()
        try:
            summary = await importer.run(read_csv(path))

            async def all_published() -> bool:  # the relay marks its rows after JetStream's acks
                return await count_rows(writer, outbox, outbox.c.published_at.is_(None)) == 0

            await eventually(all_published, timeout=120, what="every imported event published")
        finally:
            await relay.stop()
    assert (summary.created, summary.rejected) == (rows, 0)
    assert relay_logs(logs, relay, "outbox_relay_failed") == []
    assert await stream_message_count(nats_client, node_id) == rows
