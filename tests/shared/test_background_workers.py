"""`BACKGROUND_WORKERS=false`: a web replica serves HTTP and writes events to the outbox, but
relays and consumes nothing; the node's one worker process publishes what the replicas wrote
(docs/deployment.md, "What must run once")."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from nats.aio.client import Client as NatsClient
from sqlalchemy import func, select

from services.institutions.db import kernel_tables as institutions_tables
from shared.auth import Role
from shared.db import Database
from shared.events import node_stream_name
from tests.conftest import (
    MakeToken,
    ServiceLauncher,
    bearer,
    eventually,
    migrated,
    stream_message_count,
)


async def count_rows(database: Database, table: Any, *where: Any) -> int:
    async with database.session() as session:
        count = await session.scalar(select(func.count()).select_from(table).where(*where))
    return int(count or 0)


async def test_a_web_replica_leaves_relaying_and_consuming_to_the_worker(
    services: ServiceLauncher,
    database_url: str,
    node_id: str,
    make_token: MakeToken,
    nats_client: NatsClient,
) -> None:
    url = migrated("services.institutions", database_url)
    web = await services.institutions(node_id, database_url=url, background_workers=False)
    await web.wait_connected()
    assert web.runtime.workers_running is False
    assert web.runtime.consumers, "the service declares consumers; the web replica runs none"

    response = await web.client.post(
        "/v1/institutions",
        json={"name": "Universiti Teknologi Malaysia", "country": "CN"},
        headers=bearer(make_token(Role.REGISTRAR, node=node_id)),
    )
    assert response.status_code == 201, response.text
    assert uuid.UUID(response.json()["id"])

    async def ready() -> bool:  # once its search index is loaded (a moment after start)
        return (await web.client.get("/readyz")).status_code == 200

    await eventually(ready, timeout=20, what="the web replica ready without its workers")

    # Longer than the relay's poll interval (1 s): a running relay would have published.
    await asyncio.sleep(2.0)
    outbox = institutions_tables.outbox
    pending = outbox.c.published_at.is_(None)
    assert await count_rows(web.runtime.database, outbox, pending) == 1
    assert await stream_message_count(nats_client, node_id) == 0
    info = await nats_client.jetstream().stream_info(node_stream_name(node_id))
    assert info.state.consumer_count == 0, "no durable consumer was created by the web replica"

    worker = await services.institutions(node_id, database_url=url)
    assert worker.runtime.workers_running is True

    async def relayed() -> bool:
        # Published, then marked as such in a transaction of its own: wait for both.
        published = await stream_message_count(nats_client, node_id) == 1
        return published and await count_rows(web.runtime.database, outbox, pending) == 0

    await eventually(relayed, timeout=20, interval=0.2, what="the worker relays the event")
    assert await stream_message_count(nats_client, node_id) == 1
