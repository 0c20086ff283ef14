"""The event backbone against a real nats-server and real databases (SQLite and PostgreSQL):
the outbox never loses an event while the broker is down, a re-published event is dropped by
JetStream's duplicate window, a redelivered event changes nothing, a poison message ends as a
dead letter without blocking the ones behind it, and a stale version is ignored."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import nats
import pytest
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import PubAck
from prometheus_client import REGISTRY
from sqlalchemy import func, select

import services.quality.app as quality_app
import services.quality.events as quality_events
from edunode.natsserver import NatsServer
from services.institutions.db import kernel_tables as institutions_tables
from services.quality.db import kernel_tables as quality_tables
from services.quality.institutions.models import InstitutionCopy
from services.quality.settings import QualitySettings
from shared.auth import Role
from shared.bus import Bus, cancel_and_wait
from shared.db import Database, new_id, utcnow
from shared.event_routes import Applying, EventRoutes
from shared.events import CloudEvent, new_event, node_stream_name
from shared.inbox import EventConsumer
from shared.outbox import Outbox, OutboxRelay
from shared.runtime import node_streams
from shared.tracing import Span, child_span, current_traceparent, parse_traceparent
from tests.conftest import (
    MakeToken,
    RunningService,
    ServiceLauncher,
    bearer,
    eventually,
    migrated,
    stream_message_count,
)

# -- helpers ------------------------------------------------------------------------------------


def institution_created(
    node: str, *, name: str = "Peking University", version: int = 1, **state: Any
) -> CloudEvent:
    """An `institutions.institution.*` event as the directory publishes it."""
    institution_id = state.pop("id", str(new_id()))
    data = {
        "id": institution_id,
        "origin_node": node,
        "country": "CN",
        "name": name,
        "status": "active",
        "version": version,
        "updated_at": utcnow().isoformat(),
    } | state
    return new_event(
        node=node,
        service="institutions",
        aggregate="institution",
        action="created" if version == 1 else "updated",
        subject=institution_id,
        data=data,
        version=version,
    )


async def publish(client: NatsClient, event: CloudEvent) -> PubAck:
    return await client.jetstream().publish(
        event.nats_subject, event.to_bytes(), headers={"Nats-Msg-Id": event.id}
    )


async def count_rows(database: Database, table: Any, *where: Any) -> int:
    async with database.session() as session:
        count = await session.scalar(select(func.count()).select_from(table).where(*where))
    return int(count or 0)


async def dead_letters(service: RunningService) -> list[Any]:
    table = quality_tables.dead_letter
    async with service.runtime.database.session() as session:
        return list((await session.execute(select(table).order_by(table.c.id))).all())


async def refs(service: RunningService) -> dict[uuid.UUID, InstitutionCopy]:
    async with service.runtime.database.session() as session:
        return {ref.id: ref for ref in (await session.scalars(select(InstitutionCopy))).all()}


def consumed(consumer: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "edunode_events_consumed_total", {"consumer": consumer, "outcome": outcome}
    )
    return value or 0.0


def the_consumer(service: RunningService) -> EventConsumer:
    (consumer,) = [c for c in service.runtime.consumers if c.name.endswith("_institutions")]
    return consumer


QualityApplying = Applying[QualitySettings, None]
ApplyInstitution = Callable[[QualityApplying, CloudEvent], Awaitable[None]]
INSTITUTION_EVENTS = ("institutions.institution.created", "institutions.institution.updated")
apply = quality_events.apply_institution_state  # the quality service's own route


def patch_institution_handler(
    monkeypatch: pytest.MonkeyPatch, handler: ApplyInstitution, *, batches: bool = True
) -> None:
    """Make the quality service apply institution events through `handler` (its other routes
    kept), one delivery or a whole fetched batch alike, or, without `batches`, with no batch
    route at all (start the quality service after calling this)."""
    routes = EventRoutes[QualitySettings, None]()
    for event_type in quality_events.routes.types:
        route = quality_events.routes.route(event_type)
        if route is not None and event_type.rsplit(".", 1)[0] not in INSTITUTION_EVENTS:
            routes.applies(event_type)(_renamed(route, event_type))

    async def apply_institution_state(applying: QualityApplying, event: CloudEvent) -> None:
        await handler(applying, event)

    async def apply_institution_states(
        applying: QualityApplying, events: Sequence[CloudEvent]
    ) -> None:
        for event in events:
            await handler(applying, event)

    routes.applies(*INSTITUTION_EVENTS)(apply_institution_state)
    if batches:
        routes.applies_batch(*INSTITUTION_EVENTS)(apply_institution_states)
    monkeypatch.setattr(quality_app, "routes", routes)


def _renamed(route: ApplyInstitution, event_type: str) -> ApplyInstitution:
    """`route`, named for the one event type it is registered for here."""

    async def renamed(applying: QualityApplying, event: CloudEvent) -> None:
        await route(applying, event)

    _service, aggregate, action, _major = event_type.split(".")
    renamed.__name__ = f"apply_{aggregate}_{action}"
    return renamed


@pytest.fixture
def handler_calls(monkeypatch: pytest.MonkeyPatch) -> list[CloudEvent]:
    """Every event the quality service's institution handler is called with (start the quality
    service after requesting this)."""
    calls: list[CloudEvent] = []

    async def recording(applying: QualityApplying, event: CloudEvent) -> None:
        calls.append(event)
        await apply(applying, event)

    patch_institution_handler(monkeypatch, recording)
    return calls


@pytest.fixture
def short_ack_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Consumers created from now on get redeliveries after 1 s instead of 30 s."""
    config = EventConsumer.consumer_config

    def quick(self: EventConsumer) -> Any:
        return dataclasses.replace(config(self), ack_wait=1.0)

    monkeypatch.setattr(EventConsumer, "consumer_config", quick)


# -- broker down --------------------------------------------------------------------------------


async def test_writes_while_the_broker_is_down_are_all_published_and_applied_once(
    private_nats_server: NatsServer,
    services: ServiceLauncher,
    node_id: str,
    make_token: MakeToken,
) -> None:
    broker = private_nats_server
    institutions = await services.institutions(node_id, nats_url=broker.url)
    quality = await services.quality(node_id, nats_url=broker.url)
    await institutions.wait_connected()
    await quality.wait_connected()
    # Notice the broker's return within a second rather than the production 15 s.
    institutions.runtime.relay.max_backoff = 1.0
    headers = bearer(make_token(Role.REGISTRAR, node=node_id))

    broker.stop()
    created = set()
    for n in range(200):
        response = await institutions.client.post(
            "/v1/institutions",
            json={"name": f"University {n}", "country": "CN"},
            headers=headers,
        )
        assert response.status_code == 201, response.text
        created.add(uuid.UUID(response.json()["id"]))
    outbox = institutions_tables.outbox
    assert await count_rows(institutions.runtime.database, outbox) == 200
    broker.start()

    async def in_stream() -> bool:
        async with nats_connection(broker.url) as client:
            return await stream_message_count(client, node_id) == 200

    await eventually(in_stream, timeout=30, interval=0.25, what="200 events in the stream")

    async def all_applied() -> bool:
        return len(await refs(quality)) == 200

    await eventually(all_applied, timeout=30, interval=0.25, what="200 institutions applied")
    inbox = quality_tables.inbox
    of_the_consumer = inbox.c.consumer == the_consumer(quality).name
    applied = await refs(quality)
    assert set(applied) == created
    assert {ref.version for ref in applied.values()} == {1}
    assert await count_rows(quality.runtime.database, inbox, of_the_consumer) == 200
    assert await dead_letters(quality) == []
    pending = outbox.c.published_at.is_(None)

    async def all_marked() -> bool:  # the relay marks its rows after JetStream's acks
        return await count_rows(institutions.runtime.database, outbox, pending) == 0

    await eventually(all_marked, what="every outbox row marked published")
    async with nats_connection(broker.url) as client:
        assert await stream_message_count(client, node_id) == 200  # nothing published twice


@asynccontextmanager
async def nats_connection(url: str) -> AsyncIterator[NatsClient]:
    """A short-lived NATS connection (to a broker that comes and goes)."""
    client = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=0)
    try:
        yield client
    finally:
        await client.close()


# -- relay killed between publish and marking sent ----------------------------------------------


class RelayKilled(BaseException):
    """The relay's process dying: nothing after this point of its code runs."""


@pytest.fixture
async def relay_parts(
    database_url: str, nats_server: NatsServer, node_id: str
) -> AsyncIterator[tuple[Database, Bus]]:
    database = Database(migrated("services.institutions", database_url))
    bus = Bus(url=nats_server.url, name=f"relay-test-{node_id}", streams=node_streams(node_id))
    bus.start()
    try:
        async with asyncio.timeout(10):
            await bus.wait_ready()
        yield database, bus
    finally:
        await bus.close()
        await database.dispose()


async def test_relay_killed_after_publishing_republishes_without_duplicates(
    relay_parts: tuple[Database, Bus],
    nats_client: NatsClient,
    node_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database, bus = relay_parts
    table = institutions_tables.outbox
    events = [institution_created(node_id, name=f"University {n}") for n in range(5)]
    async with database.session() as session:
        for event in events:
            await Outbox(table).add(session, event)
    sent: list[asyncio.Future[PubAck]] = []
    publish_for_real = JetStreamContext.publish_async

    async def publish_and_record(
        self: JetStreamContext, subject: str, payload: bytes = b"", **options: Any
    ) -> asyncio.Future[PubAck]:
        if len(sent) == 3 and killed_after_three:
            raise RelayKilled  # three published (JetStream stores them), none marked sent
        future = await publish_for_real(self, subject, payload, **options)
        sent.append(future)
        return future

    monkeypatch.setattr(JetStreamContext, "publish_async", publish_and_record)
    killed_after_three = True

    with pytest.raises(RelayKilled):
        await OutboxRelay(database, table, bus).publish_pending()

    pending = table.c.published_at.is_(None)
    assert await count_rows(database, table, pending) == 5

    async def three_stored() -> bool:
        return await stream_message_count(nats_client, node_id) == 3

    await eventually(three_stored, what="the three published before the kill")

    killed_after_three = False
    sent.clear()
    restarted = OutboxRelay(database, table, bus)  # a new process, the same rows
    assert await restarted.publish_pending() == 5
    acks = [future.result() for future in sent]

    assert [bool(ack.duplicate) for ack in acks] == [True, True, True, False, False]
    assert [ack.seq for ack in acks] == [1, 2, 3, 4, 5]
    assert await count_rows(database, table, pending) == 0
    assert await stream_message_count(nats_client, node_id) == 5
    jsm = nats_client.jsm()
    stored = [await jsm.get_msg(node_stream_name(node_id), seq) for seq in range(1, 6)]
    assert [m.headers and m.headers["Nats-Msg-Id"] for m in stored] == [e.id for e in events]
    assert [m.data for m in stored] == [e.to_bytes() for e in events]


# -- consumer killed after its effects, before its ack ------------------------------------------


class ConsumerKilled(BaseException):
    """The consumer's process dying: nothing after this point of its code runs."""


async def test_consumer_killed_before_ack_gets_a_redelivery_that_changes_nothing(
    short_ack_wait: None,
    handler_calls: list[CloudEvent],
    services: ServiceLauncher,
    nats_client: NatsClient,
    node_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quality = await services.quality(node_id)
    await quality.wait_connected()
    consumer = the_consumer(quality)
    ack_for_real = Msg.ack
    acks_refused: list[Msg] = []

    async def die_before_first_ack(self: Msg) -> None:
        if not acks_refused:
            acks_refused.append(self)
            raise ConsumerKilled
        await ack_for_real(self)

    monkeypatch.setattr(Msg, "ack", die_before_first_ack)
    event = institution_created(node_id)
    await publish(nats_client, event)

    first_life = consumer._task
    assert first_life is not None
    with pytest.raises(ConsumerKilled):
        async with asyncio.timeout(10):
            await first_life
    # The effects and the inbox row were committed before the ack that never came.
    before = (await refs(quality))[uuid.UUID(event.subject)]
    assert before.version == 1
    duplicates = consumed(consumer.name, "duplicate")

    consumer.start()  # the process restarts

    async def redelivered() -> bool:
        return consumed(consumer.name, "duplicate") == duplicates + 1

    await eventually(redelivered, timeout=15, what="the redelivery")
    after = (await refs(quality))[uuid.UUID(event.subject)]
    assert (after.version, after.name, after.updated_at) == (
        before.version,
        before.name,
        before.updated_at,
    )
    assert len(handler_calls) == 1
    inbox = quality_tables.inbox
    assert await count_rows(quality.runtime.database, inbox, inbox.c.event_id == event.id) == 1
    info = await nats_client.jsm().consumer_info(node_stream_name(node_id), consumer.name)
    assert info.num_ack_pending == 0
    assert info.ack_floor is not None and info.ack_floor.stream_seq == 1


# -- poison messages ----------------------------------------------------------------------------


async def test_poison_messages_are_dead_lettered_and_later_messages_still_flow(
    services: ServiceLauncher,
    nats_client: NatsClient,
    node_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poison_id = str(new_id())
    poison_deliveries: list[int] = []

    async def fails_on_poison(applying: QualityApplying, event: CloudEvent) -> None:
        if event.subject == poison_id:
            poison_deliveries.append(1)
            raise RuntimeError("the handler cannot cope with this one")
        await apply(applying, event)

    patch_institution_handler(monkeypatch, fails_on_poison)
    quality = await services.quality(node_id)
    await quality.wait_connected()
    consumer = the_consumer(quality)
    consumer.backoff = [0.05, 0.05, 0.05, 0.05]  # the production backoff takes seconds
    js = nats_client.jetstream()
    subject = f"evt.{node_id}.institutions.institution.created"

    await js.publish(subject, b"{not json", headers={"Nats-Msg-Id": "malformed-1"})
    invalid_state = institution_created(node_id, country=None)
    await publish(nats_client, invalid_state)
    poison = institution_created(node_id, id=poison_id, name="Poison")
    await publish(nats_client, poison)
    first = institution_created(node_id, name="Behind the poison")
    await publish(nats_client, first)

    async def three_dead_letters() -> list[Any]:
        found = await dead_letters(quality)
        return found if len(found) == 3 else []

    malformed, refused, failing = await eventually(
        three_dead_letters, timeout=15, what="three dead letters"
    )
    later = institution_created(node_id, name="After the dead letters")
    await publish(nats_client, later)

    async def both_applied() -> bool:
        known = await refs(quality)
        return {uuid.UUID(first.subject), uuid.UUID(later.subject)} <= set(known)

    await eventually(both_applied, timeout=15, what="the valid events applied")
    assert (malformed.event_id, malformed.deliveries, malformed.payload) == (
        None,
        1,
        b"{not json",
    )
    assert "malformed event" in malformed.error
    assert (refused.event_id, refused.deliveries) == (invalid_state.id, 1)
    assert (failing.event_id, failing.deliveries) == (poison.id, consumer.max_deliver)
    assert "cannot cope" in failing.error
    assert failing.payload == poison.to_bytes()
    # Each delivery ran the handler (a batch that failed may run it once more, rolled back).
    assert len(poison_deliveries) >= consumer.max_deliver
    assert uuid.UUID(poison_id) not in await refs(quality)
    inbox = quality_tables.inbox
    assert await count_rows(quality.runtime.database, inbox) == 2
    assert consumed(consumer.name, "dead_lettered") == 3

    async def nothing_pending() -> bool:
        info = await nats_client.jsm().consumer_info(node_stream_name(node_id), consumer.name)
        return not info.num_ack_pending and not info.num_pending

    await eventually(nothing_pending, timeout=10, what="every message acknowledged")


async def test_a_handler_breaking_a_constraint_is_retried_not_taken_for_a_duplicate(
    services: ServiceLauncher,
    nats_client: NatsClient,
    node_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = institution_created(node_id, name="Applied first")
    clash = institution_created(node_id, name="Clashes with the first")

    async def clashing(applying: QualityApplying, event: CloudEvent) -> None:
        if event.id != clash.id:
            await apply(applying, event)
            return
        # A bug in a handler: it inserts a row that already exists.
        session = applying.session
        session.add(
            InstitutionCopy(
                id=uuid.UUID(first.subject),
                origin_node=node_id,
                country="CN",
                name="Clash",
                status="active",
                version=1,
                updated_at=utcnow(),
                identifiers=[],
            )
        )
        await session.flush()

    patch_institution_handler(monkeypatch, clashing)
    quality = await services.quality(node_id)
    await quality.wait_connected()
    consumer = the_consumer(quality)
    consumer.backoff = [0.05, 0.05, 0.05, 0.05]

    await publish(nats_client, first)
    await publish(nats_client, clash)

    async def dead_lettered() -> list[Any]:
        return await dead_letters(quality)

    (letter,) = await eventually(dead_lettered, timeout=15, what="the dead letter")
    assert (letter.event_id, letter.deliveries) == (clash.id, consumer.max_deliver)
    assert "IntegrityError" in letter.error
    inbox = quality_tables.inbox
    database = quality.runtime.database
    assert await count_rows(database, inbox, inbox.c.event_id == clash.id) == 0
    assert consumed(consumer.name, "duplicate") == 0
    assert (await refs(quality))[uuid.UUID(first.subject)].name == "Applied first"


async def test_a_worker_reading_from_jetstream_stops_when_cancelled(
    nats_client: NatsClient, node_id: str
) -> None:
    # A single cancel() is often lost inside nats.py while messages flow (it swallows the
    # CancelledError while flushing); the runtime's stops must still end their workers.
    js = nats_client.jetstream()
    stream = f"STOP_{node_id.upper().replace('-', '_')}"
    await js.add_stream(name=stream, subjects=[f"stop.{node_id}"])
    flowing = True

    async def produce() -> None:
        while flowing:
            await js.publish(f"stop.{node_id}", b"x")

    async def work(durable: str) -> None:
        subscription = await js.pull_subscribe(f"stop.{node_id}", durable=durable, stream=stream)
        while True:
            try:
                messages = await subscription.fetch(10, timeout=1.0)
            except nats.errors.TimeoutError:
                continue
            for message in messages:
                await message.ack()

    producer = asyncio.create_task(produce())
    try:
        for trial in range(30):
            worker = asyncio.create_task(work(f"w{trial}"))
            await asyncio.sleep(0.01 + 0.001 * trial)
            async with asyncio.timeout(5):
                await cancel_and_wait(worker)
            assert worker.cancelled()
    finally:
        flowing = False
        await producer


# -- the relay's pace ---------------------------------------------------------------------------


async def test_the_relay_publishes_as_soon_as_the_transaction_commits(
    relay_parts: tuple[Database, Bus], nats_client: NatsClient, node_id: str
) -> None:
    database, bus = relay_parts
    table = institutions_tables.outbox
    # Polling so rarely that only the commit's wake-up can explain a prompt publish.
    relay = OutboxRelay(database, table, bus, poll_interval=60)
    outbox = Outbox(table, on_added=relay.notify)
    relay.start()
    try:
        await asyncio.sleep(0.2)  # the relay found nothing and waits
        with pytest.raises(RuntimeError):
            async with database.session() as session:
                await outbox.add(session, institution_created(node_id, name="Rolled back"))
                raise RuntimeError("the request failed")
        await asyncio.sleep(0.2)  # the relay is idle again
        event = institution_created(node_id, name="Committed")
        async with database.session() as session:
            await outbox.add(session, event)
            await asyncio.sleep(0.2)  # a wake-up before the commit would be wasted here

        async def published() -> bool:
            return await stream_message_count(nats_client, node_id) == 1

        await eventually(published, timeout=5, what="the event published without polling")
    finally:
        await relay.stop()
    message = await nats_client.jsm().get_msg(node_stream_name(node_id), 1)
    assert message.data == event.to_bytes()


# -- order and versions -------------------------------------------------------------------------


async def test_a_stale_version_arriving_late_is_ignored(
    services: ServiceLauncher, nats_client: NatsClient, node_id: str
) -> None:
    quality = await services.quality(node_id)
    await quality.wait_connected()
    institution_id = str(new_id())
    created = institution_created(node_id, id=institution_id, name="Old name", version=1)
    renamed = institution_created(node_id, id=institution_id, name="New name", version=3)
    stale = institution_created(node_id, id=institution_id, name="Middle name", version=2)

    for event in (created, renamed, stale):
        await publish(nats_client, event)

    inbox = quality_tables.inbox

    async def all_seen() -> bool:
        return await count_rows(quality.runtime.database, inbox) == 3

    await eventually(all_seen, timeout=15, what="three events handled")
    ref = (await refs(quality))[uuid.UUID(institution_id)]
    assert (ref.version, ref.name) == (3, "New name")
    response = await quality.client.get(f"/v1/quality/institutions/{institution_id}")
    assert response.json()["version"] == 3
    assert response.json()["name"] == "New name"


# -- tracing ------------------------------------------------------------------------------------


async def test_a_handler_applies_each_event_within_a_span_of_the_events_trace(
    services: ServiceLauncher,
    nats_client: NatsClient,
    node_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a handler writes (events too) continues the trace of the event it applies, in a
    fetched batch as well as alone."""
    seen: dict[str, str | None] = {}

    async def recording(applying: QualityApplying, event: CloudEvent) -> None:
        seen[event.subject] = current_traceparent()
        await apply(applying, event)

    # No batch route: a fetched batch is applied event by event, in one transaction.
    patch_institution_handler(monkeypatch, recording, batches=False)
    await Bus(url="", name="tracing-test", nc=nats_client).provision(node_streams(node_id))

    def traced(n: int, writer: Span) -> CloudEvent:
        event = institution_created(node_id, name=f"Traced University {n}")
        return event.model_copy(update={"traceparent": writer.traceparent})

    writers = [child_span(None) for _ in range(4)]
    events = [traced(n, writer) for n, writer in enumerate(writers)]
    for event in events[:3]:  # waiting in the stream: the new consumer fetches them together
        await publish(nats_client, event)
    quality = await services.quality(node_id)
    await quality.wait_connected()

    async def applied(count: int) -> bool:
        return len(seen) == count

    await eventually(lambda: applied(3), what="the first three events applied")
    await publish(nats_client, events[3])  # fetched alone
    await eventually(lambda: applied(4), what="the fourth event applied")
    for event, writer in zip(events, writers, strict=True):
        span = parse_traceparent(seen[event.subject])
        assert span is not None, event.subject
        assert span.trace_id == writer.trace_id
        assert span.span_id != writer.span_id


# -- readiness ----------------------------------------------------------------------------------


async def test_readiness_follows_the_broker(
    private_nats_server: NatsServer, services: ServiceLauncher, node_id: str
) -> None:
    quality = await services.quality(node_id, nats_url=private_nats_server.url)
    await quality.wait_connected()

    ready = await quality.client.get("/readyz")
    private_nats_server.stop()

    async def not_ready() -> bool:
        return (await quality.client.get("/readyz")).status_code == 503

    await eventually(not_ready, timeout=10, what="/readyz reporting the broker down")
    problem = (await quality.client.get("/readyz")).json()
    private_nats_server.start()

    async def ready_again() -> bool:
        return (await quality.client.get("/readyz")).status_code == 200

    await eventually(ready_again, timeout=15, what="/readyz ready again")
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "nats": "ok"}}
    assert "nats failing" in problem["detail"]
    assert (await quality.client.get("/healthz")).status_code == 200
