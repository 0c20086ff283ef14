"""Signed events crossing a real hub and leaf nodes: replication, forgery, replay, rotation.

Kernel level: two node domains (`cn`, `my`) under a hub, the real outbox relay signing what it
publishes, the replica stream sourcing the peer's stream, and a guarded consumer applying into
a small versioned table.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from edunode.hub import HubServer
from edunode.natsserver import NatsServer, NatsServerConfig, find_free_port
from shared.db import Database
from shared.event_routes import Applying, EventRoutes, Subscription
from shared.events import CloudEvent, new_event, replica_stream_name
from shared.runtime import KernelTables, ServiceRuntime
from shared.settings import ServiceSettings
from shared.signing import SIGNATURE_HEADER, NodeSigner, init_node_key, load_node_signer
from shared.trust import TrustedKey, TrustedNode, TrustList

pytestmark = pytest.mark.slow


@dataclass
class Federation:
    hub: NatsServer
    servers: dict[str, NatsServer]
    keys: dict[str, Path]
    trust_file: Path
    root: Path


def _trust(keys: dict[str, Path], valid_to: dict[str, datetime] | None = None) -> TrustList:
    nodes = []
    for node, keys_dir in keys.items():
        entries = []
        for pub in sorted(keys_dir.glob("federation-*.pub")):
            version = pub.stem.split("-")[1]
            kid = f"{node}:{version}"
            entries.append(
                TrustedKey(
                    kid=kid,
                    public_key=pub.read_text(),
                    valid_to=(valid_to or {}).get(kid),
                )
            )
        nodes.append(TrustedNode(id=node, countries=[node.upper()], keys=entries))
    return TrustList(nodes=nodes)


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federation]:
    root = tmp_path_factory.mktemp("federation")
    leaf_port = find_free_port()
    # An open hub (no leaf users) keeping the hub's streams for the three nodes.
    hub = HubServer(
        NatsServerConfig(
            name="hub",
            port=find_free_port(),
            store_dir=root / "hub" / "store",
            domain="hub",
            leafnode_port=leaf_port,
            http_port=find_free_port(),
        ),
        root / "hub",
        nodes=("cn", "my", "de"),
    )
    hub.start()
    servers: dict[str, NatsServer] = {}
    keys: dict[str, Path] = {}
    try:
        for node in ("cn", "my", "de"):
            server = NatsServer(
                NatsServerConfig(
                    name=node,
                    port=find_free_port(),
                    store_dir=root / node / "store",
                    domain=node,
                    leaf_remotes=[f"nats-leaf://127.0.0.1:{leaf_port}"],
                ),
                root / node,
            )
            server.start()
            servers[node] = server
            keys[node] = root / node / "keys"
            init_node_key(keys[node], node)
        hub.wait_for_leafnodes(3)
        trust_file = root / "trust.yaml"
        _trust(keys).dump(trust_file)
        yield Federation(hub, servers, keys, trust_file, root)
    finally:
        for server in servers.values():
            server.stop()
        hub.stop()


metadata = MetaData()
kernel = KernelTables.define(metadata)
record = Table(
    "record",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("country", String(2), nullable=False),
    Column("origin_node", String(16), nullable=False),
    Column("version", Integer, nullable=False),
)


routes = EventRoutes[ServiceSettings, None]()


@routes.applies("test.record.changed")
async def apply_record_changed(
    applying: Applying[ServiceSettings, None], event: CloudEvent
) -> None:
    await apply_record(applying.session, event)


async def apply_record(session: AsyncSession, event: CloudEvent) -> None:
    """Upsert by version, whatever the origin (the contract of docs/events.md)."""
    current = await session.scalar(select(record.c.version).where(record.c.id == event.subject))
    if current is not None and current >= event.aggregateversion:
        return
    if current is None:
        await session.execute(
            record.insert().values(
                id=event.subject,
                country=event.data["country"],
                origin_node=event.originnode,
                version=event.aggregateversion,
            )
        )
    else:
        await session.execute(
            record.update()
            .where(record.c.id == event.subject)
            .values(version=event.aggregateversion, country=event.data["country"])
        )


@dataclass
class NodeRuntime:
    runtime: ServiceRuntime[ServiceSettings]

    @property
    def database(self) -> Database:
        return self.runtime.database

    async def write(
        self, session: AsyncSession, record_id: str, country: str, version: int
    ) -> None:
        event = new_event(
            node=self.runtime.settings.node_id,
            service="test",
            aggregate="record",
            action="changed",
            subject=record_id,
            data={"id": record_id, "country": country},
            version=version,
        )
        await self.runtime.publisher.publish_all(session, [event])
        await apply_record(session, event)

    async def count(self, **where: Any) -> int:
        async with self.database.session() as session:
            statement = select(func.count()).select_from(record)
            for name, value in where.items():
                statement = statement.where(record.c[name] == value)
            return int(await session.scalar(statement) or 0)

    async def quarantined(self) -> list[str]:
        async with self.database.session() as session:
            rows = await session.scalars(select(kernel.quarantine.c.reason))
            return list(rows)


async def _start_node(federation: Federation, node: str, trust_file: Path) -> NodeRuntime:
    database_url = f"sqlite+aiosqlite:///{federation.root / f'{node}-{uuid.uuid4().hex}.db'}"
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await database.dispose()
    settings = ServiceSettings(
        node_id=node,
        database_url=database_url,
        nats_url=federation.servers[node].url,
        trust_file=trust_file,
        federation_keys_dir=federation.keys[node],
        log_json=False,
    )
    runtime = ServiceRuntime(
        service="test",
        settings=settings,
        tables=kernel,
        watch_replica=True,
        routes=routes,
        subscriptions=[
            Subscription(
                name=f"peers_{uuid.uuid4().hex[:8]}",
                subjects=["evt.*.test.record.*"],
                peers=True,
                authority=lambda event: str(event.data["country"]),
            )
        ],
    )
    runtime.relay.poll_interval = 0.1
    await runtime.start()
    await asyncio.wait_for(runtime.bus.wait_ready(), 20)
    return NodeRuntime(runtime)


@pytest.fixture
async def nodes(federation: Federation) -> AsyncIterator[dict[str, NodeRuntime]]:
    started = {
        node: await _start_node(federation, node, federation.trust_file)
        for node in ("cn", "my", "de")
    }
    yield started
    for runtime in started.values():
        await runtime.runtime.stop()


async def _eventually(check: Any, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if await check():
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


async def test_a_record_written_at_my_is_applied_at_cn_with_its_origin(
    nodes: dict[str, NodeRuntime],
) -> None:
    record_id = str(uuid.uuid4())
    async with nodes["my"].database.session() as session:
        await nodes["my"].write(session, record_id, "MY", 1)
    nodes["my"].runtime.relay.notify()

    async def arrived() -> bool:
        return await nodes["cn"].count(id=record_id, origin_node="my", version=1) == 1

    await _eventually(arrived)
    # Replica stream holds peers' events only: cn's own stream did not store my's event.
    nc = nodes["cn"].runtime.bus.nc
    assert nc is not None
    jsm = nc.jsm()
    replica = await jsm.stream_info(replica_stream_name("cn"))
    assert replica.config.subjects in (None, [])


async def _publish_raw(
    federation: Federation, node: str, event: CloudEvent, signature: str | None
) -> None:
    """Publish straight into `node`'s own stream, bypassing its outbox (what an attacker or a
    broken node could do)."""
    import nats

    client = await nats.connect(federation.servers[node].url)
    try:
        headers = {"Nats-Msg-Id": uuid.uuid4().hex}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        await client.jetstream().publish(event.nats_subject, event.to_bytes(), headers=headers)
    finally:
        await client.close()


def _event(origin: str, country: str, version: int = 1, record_id: str | None = None) -> CloudEvent:
    return new_event(
        node=origin,
        service="test",
        aggregate="record",
        action="changed",
        subject=record_id or str(uuid.uuid4()),
        data={"country": country},
        version=version,
    )


async def test_forged_and_replayed_events_are_quarantined_never_applied(
    federation: Federation, nodes: dict[str, NodeRuntime]
) -> None:
    cn = nodes["cn"]
    my_signer = load_node_signer(federation.keys["my"], "my")
    de_signer = load_node_signer(federation.keys["de"], "de")
    assert my_signer is not None and de_signer is not None

    # (a) a bad signature: signed over other bytes
    bad = _event("my", "MY")
    await _publish_raw(federation, "my", bad, my_signer.sign(b"something else"))
    # (b) a valid signature from de about a CN record (de has no authority over CN)
    foreign = _event("de", "CN")
    await _publish_raw(federation, "de", foreign, de_signer.sign(foreign.to_bytes()))
    # (c) an unknown key id
    rogue_dir = federation.root / "rogue-keys"
    init_node_key(rogue_dir, "my")
    rogue = NodeSigner(kid="my:9", private_pem=(rogue_dir / "federation-1.key").read_bytes())
    unknown = _event("my", "MY")
    await _publish_raw(federation, "my", unknown, rogue.sign(unknown.to_bytes()))
    # (d) a replay of an authentic event that was already applied
    authentic = _event("my", "MY")
    signature = my_signer.sign(authentic.to_bytes())
    await _publish_raw(federation, "my", authentic, signature)

    async def authentic_applied() -> bool:
        return await cn.count(id=authentic.subject) == 1

    await _eventually(authentic_applied)
    await _publish_raw(federation, "my", authentic, signature)

    async def all_quarantined() -> bool:
        return len(await cn.quarantined()) >= 4

    await _eventually(all_quarantined)
    reasons = " | ".join(await cn.quarantined())
    assert "bad signature" in reasons
    assert "no authority over country 'CN'" in reasons
    assert "unknown key id 'my:9'" in reasons
    assert "replayed" in reasons
    for forged in (bad, foreign, unknown):
        assert await cn.count(id=forged.subject) == 0
    assert await cn.count(id=authentic.subject, version=1) == 1


async def test_key_rotation_keeps_old_events_valid_and_bounds_the_old_key(
    federation: Federation, tmp_path: Path
) -> None:
    # Rotate my's key: the old key is valid until now, the new one from now on.
    old_signer = load_node_signer(federation.keys["my"], "my")
    assert old_signer is not None
    init_node_key(federation.keys["my"], "my", rotate=True)
    new_signer = load_node_signer(federation.keys["my"], "my")
    assert new_signer is not None and new_signer.kid != old_signer.kid
    rotated_at = datetime.now(UTC)
    trust_file = tmp_path / "trust-rotated.yaml"
    _trust(federation.keys, valid_to={old_signer.kid: rotated_at}).dump(trust_file)
    cn = await _start_node(federation, "cn", trust_file)
    try:
        old_event = _event("my", "MY").model_copy(update={"time": rotated_at - timedelta(days=1)})
        await _publish_raw(federation, "my", old_event, old_signer.sign(old_event.to_bytes()))
        new_event_ = _event("my", "MY")
        await _publish_raw(federation, "my", new_event_, new_signer.sign(new_event_.to_bytes()))
        late = _event("my", "MY")  # signed with the old key after its validity ended
        await _publish_raw(federation, "my", late, old_signer.sign(late.to_bytes()))

        # The replica stream also replays earlier tests' forgeries to this fresh consumer: wait
        # for this test's own verdict, not for any quarantine.
        async def settled() -> bool:
            applied = await cn.count(id=old_event.subject) + await cn.count(id=new_event_.subject)
            late_refused = any(
                f"'{old_signer.kid}' was not valid" in reason for reason in await cn.quarantined()
            )
            return applied == 2 and late_refused

        await _eventually(settled)
        assert await cn.count(id=late.subject) == 0
    finally:
        await cn.runtime.stop()
