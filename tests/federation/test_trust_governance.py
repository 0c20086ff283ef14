"""The governed trust list across a real hub and leaf nodes (issue 22, item 2).

The hub as `edunode hub` configures it (NKey users, TLS on the leaf port, the sourcing
permissions); nodes as `edunode up` runs their nats-servers; in each node a service runtime
with a guarded consumer of the peers' events. The community's secretariat signs each version of
the list with `edunode trust`'s steps and publishes it to the hub's bucket; every node takes it
while running, a node joins without any other restarting, and every bad version is refused with
the list held kept.
"""

from __future__ import annotations

import asyncio
import base64
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import structlog
from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from edunode.deploy import write_dev_certificates
from edunode.hub import HubConfig, apply_leaf_nodes, connect_admin, write_leaf_nodes
from edunode.natsserver import NatsServer, find_free_port
from edunode.node import NodeConfig, nats_server_for
from edunode.trust_cli import (
    TrustEntryError,
    add_entries,
    add_secretariat_key,
    parse_entries,
    publish,
    remove_node,
    retire_secretariat_key,
    sign_draft,
    trust_entry,
)
from shared.db import Database
from shared.event_routes import Applying, EventRoutes, Subscription
from shared.events import CloudEvent, new_event, replica_stream_name
from shared.metrics import TRUST_LIST_REFUSED
from shared.runtime import KernelTables, ServiceRuntime
from shared.settings import ServiceSettings
from shared.signing import NodeSigner, init_node_key, load_node_signer
from shared.trust import TrustList
from shared.trust_follow import TrustFollower
from shared.trust_governance import TRUST_BUCKET, TRUST_KEY, trust_stream_name, trust_subject
from tests.conftest import eventually

pytestmark = pytest.mark.slow

SERVICE = "test"

metadata = MetaData()
kernel = KernelTables.define(metadata)
record = Table(
    "record",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("origin_node", String(16), nullable=False),
    Column("version", Integer, nullable=False),
)
routes = EventRoutes[ServiceSettings, None]()


@routes.applies("test.record.changed")
async def apply_record_changed(
    applying: Applying[ServiceSettings, None], event: CloudEvent
) -> None:
    await _apply(applying.session, event)


async def _apply(session: AsyncSession, event: CloudEvent) -> None:
    exists = await session.scalar(select(record.c.id).where(record.c.id == event.subject))
    if exists is None:
        await session.execute(
            record.insert().values(
                id=event.subject, origin_node=event.originnode, version=event.aggregateversion
            )
        )


@dataclass
class Secretariat:
    """The community's secretariat: its keys, the draft list, each version it signed."""

    root: Path
    keys_dir: Path
    draft: TrustList
    signed: dict[int, str] = field(default_factory=dict)

    def sign(self, change: Callable[[TrustList], TrustList] | None = None) -> str:
        if change is not None:
            self.draft = change(self.draft)
        self.draft, token = sign_draft(self.draft, self.keys_dir)
        self.signed[self.draft.version] = token
        return token

    def file_of(self, version: int) -> Path:
        path = self.root / f"trust-v{version}.jws"
        path.write_text(self.signed[version] + "\n")
        return path


@dataclass
class Node:
    config: NodeConfig
    server: NatsServer
    runtime: ServiceRuntime[ServiceSettings] | None = None

    @property
    def live(self) -> ServiceRuntime[ServiceSettings]:
        assert self.runtime is not None
        return self.runtime

    @property
    def follower(self) -> TrustFollower:
        return next(w for w in self.live.extra_work if isinstance(w, TrustFollower))

    async def count(self, record_id: str) -> int:
        async with self.live.database.session() as session:
            statement = select(func.count()).select_from(record).where(record.c.id == record_id)
            return int(await session.scalar(statement) or 0)

    async def quarantined(self, record_id: str) -> list[str]:
        """Why the events about `record_id` were quarantined here (none: not one was)."""
        async with self.live.database.session() as session:
            rows = await session.execute(
                select(kernel.quarantine.c.reason, kernel.quarantine.c.payload)
            )
            return [reason for reason, payload in rows if record_id.encode() in payload]


@dataclass
class Federation:
    root: Path
    hub_config: HubConfig
    hub: NatsServer
    secretariat: Secretariat
    nodes: dict[str, Node]
    admin: NatsClient

    @property
    def admin_key(self) -> Path:
        return self.hub_config.data_dir / "admin.nk"

    def node_keys(self, node: str) -> Path:
        return self.root / node / "keys"


def _entry(root: Path, node: str) -> Any:
    """The node's keys made, and its entry as `edunode keys init` prints it."""
    kid, public = init_node_key(root / node / "keys", node)
    return parse_entries(
        orjson.dumps(
            trust_entry(
                node=node,
                name=f"node {node}",
                countries=[node.upper()],
                gateway_url=f"https://{node}.example",
                kid=kid,
                public_key=public.read_text(),
                valid_from=datetime.now(UTC) - timedelta(minutes=1),
            )
        ).decode()
    )


def _node_config(root: Path, node: str, hub_config: HubConfig) -> Node:
    assert hub_config.tls_dir is not None
    config = NodeConfig(
        node_id=node,
        data_dir=root / node,
        port=find_free_port(),
        hub=f"nats-leaf://127.0.0.1:{hub_config.leafnode_port}",
        hub_ca=hub_config.tls_dir / "ca.crt",
    )
    server = nats_server_for(config)
    server.config.port = find_free_port()
    return Node(config, server)


async def _start_runtime(federation: Federation, node: str, trust_file: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{federation.root / f'{node}-{uuid.uuid4().hex}.db'}"
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await database.dispose()
    settings = ServiceSettings(
        node_id=node,
        database_url=database_url,
        nats_url=federation.nodes[node].server.url,
        trust_file=trust_file,
        federation_keys_dir=federation.node_keys(node),
        log_json=False,
    )
    runtime = ServiceRuntime(
        service=SERVICE,
        settings=settings,
        tables=kernel,
        watch_replica=True,
        routes=routes,
        subscriptions=[
            Subscription(
                name=f"peers_{uuid.uuid4().hex[:8]}",
                subjects=["evt.*.test.record.*"],
                peers=True,
                authority=lambda event: event.originnode.upper(),
            )
        ],
    )
    runtime.relay.poll_interval = 0.1
    await runtime.start()
    await asyncio.wait_for(runtime.bus.wait_ready(), 30)
    federation.nodes[node].runtime = runtime


async def _write(node: Node) -> str:
    record_id = str(uuid.uuid4())
    event = new_event(
        node=node.config.node_id,
        service=SERVICE,
        aggregate="record",
        action="changed",
        subject=record_id,
        data={"id": record_id},
        version=1,
    )
    async with node.live.database.session() as session:
        await node.live.publisher.publish_all(session, [event])
        await _apply(session, event)
    node.live.relay.notify()
    return record_id


@pytest.fixture(scope="module")
async def federation(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Federation]:
    """cn and my running under the hub with version 1 of the list; de's keys made, not
    admitted yet."""
    root = tmp_path_factory.mktemp("trust")
    hub_config = HubConfig(
        data_dir=root / "hub",
        port=find_free_port(),
        leafnode_port=find_free_port(),
        http_port=find_free_port(),
    )
    assert hub_config.tls_dir is not None
    write_dev_certificates(hub_config.tls_dir, ["127.0.0.1", "localhost"])
    nodes = {node: _node_config(root, node, hub_config) for node in ("cn", "my", "de")}
    write_leaf_nodes(
        hub_config.leaf_nodes_file,
        {node: nodes[node].config.leaf_key().public_key for node in ("cn", "my")},
    )
    hub = hub_config.server()
    hub.start()
    draft = add_secretariat_key(TrustList(nodes=[]), root / "secretariat", rotate=False)
    for node in ("cn", "my"):
        draft = add_entries(draft, _entry(root, node))
    secretariat = Secretariat(root, root / "secretariat", draft)
    token = secretariat.sign()
    admin = await connect_admin(hub.url, hub_config.admin_key, reconnect=True)
    federation = Federation(root, hub_config, hub, secretariat, nodes, admin)
    try:
        await publish(hub.url, federation.admin_key, token)
        for node in ("cn", "my"):
            nodes[node].server.start()
        await asyncio.to_thread(hub.wait_for_leafnodes, 2, 30)
        for node in ("cn", "my"):
            await _start_runtime(federation, node, secretariat.file_of(1))
        yield federation
    finally:
        for member in nodes.values():
            if member.runtime is not None:
                await member.runtime.stop()
        for member in nodes.values():
            member.server.stop()
        await admin.close()
        hub.stop()


def _running(federation: Federation) -> list[Node]:
    return [node for node in federation.nodes.values() if node.runtime is not None]


async def _all_hold(federation: Federation, version: int, timeout: float = 60.0) -> float:
    """Seconds until every running node's service checks against `version`."""
    started = time.monotonic()

    async def held() -> bool:
        return all(node.live.trust is not None and node.live.trust.version == version
                   for node in _running(federation))  # fmt: skip

    try:
        await eventually(held, timeout=timeout, interval=0.05, what=f"version {version} everywhere")
    except AssertionError:
        states = {}
        for node in _running(federation):
            client = await _client(node)
            try:
                info = await client.jsm().stream_info(trust_stream_name(node.config.node_id))
                version_held = node.live.trust.version if node.live.trust else None
                states[node.config.node_id] = (info.state, info.sources, version_held)
            finally:
                await client.close()
        raise AssertionError(f"not everywhere: {states}\n{federation.hub.log_tail(30)}") from None
    return time.monotonic() - started


async def test_a_new_version_reaches_every_node_while_they_run(federation: Federation) -> None:
    await _all_hold(federation, 1)
    runtimes = {name: id(node.live) for name, node in federation.nodes.items() if node.runtime}
    changed_name = "China node (renamed)"

    def rename(trust: TrustList) -> TrustList:
        nodes = [
            node.model_copy(update={"name": changed_name}) if node.id == "cn" else node
            for node in trust.nodes
        ]
        return TrustList.model_validate({**dict(trust), "nodes": nodes})

    token = federation.secretariat.sign(rename)
    version = federation.secretariat.draft.version
    started = time.monotonic()
    await publish(federation.hub.url, federation.admin_key, token)
    await _all_hold(federation, version)
    elapsed = time.monotonic() - started
    print(f"\ntrust list version {version}: every node holds it {elapsed:.2f} s after publish")
    for node in _running(federation):
        trusted = node.live.trust
        assert trusted is not None
        cn = trusted.node("cn")
        assert cn is not None and cn.name == changed_name
    # The same runtimes: nothing restarted.
    assert runtimes == {
        name: id(node.live) for name, node in federation.nodes.items() if node.runtime
    }


async def test_a_node_joins_without_any_other_restarting(federation: Federation) -> None:
    cn, my, de = (federation.nodes[name] for name in ("cn", "my", "de"))
    pids = {name: federation.nodes[name].server.pid for name in ("cn", "my")}
    runtimes = {name: id(federation.nodes[name].live) for name in ("cn", "my")}
    started = time.monotonic()
    # The hub's operator admits de's leaf key; the running hub reloads.
    write_leaf_nodes(
        federation.hub_config.leaf_nodes_file,
        {name: federation.nodes[name].config.leaf_key().public_key for name in ("cn", "my", "de")},
    )
    apply_leaf_nodes(federation.hub_config, federation.hub)
    # The secretariat adds de's entry, signs and publishes the next version.
    token = federation.secretariat.sign(
        lambda trust: add_entries(trust, _entry(federation.root, "de"))
    )
    version = federation.secretariat.draft.version
    await publish(federation.hub.url, federation.admin_key, token)
    # de starts, with that version.
    de.server.start()
    await _start_runtime(federation, "de", federation.secretariat.file_of(version))
    seconds = await _all_hold(federation, version)
    print(f"\njoin: version {version} (with de) held everywhere {seconds:.2f} s after publish")

    from_de = await _write(de)
    from_cn = await _write(cn)

    async def converged() -> bool:
        return (
            await cn.count(from_de) == 1
            and await my.count(from_de) == 1
            and await de.count(from_cn) == 1
        )

    try:
        await eventually(converged, timeout=90, interval=0.2, what="records everywhere")
    except AssertionError:
        report = {}
        for name, node in federation.nodes.items():
            client = await _client(node)
            try:
                info = await client.jsm().stream_info(replica_stream_name(name))
                report[name] = (
                    info.state.messages,
                    [(s.name, s.lag, s.error) for s in info.sources or []],
                    await node.count(from_de),
                    await node.count(from_cn),
                    await node.quarantined(from_de),
                )
            finally:
                await client.close()
        hub_log = federation.hub.log_tail(400)
        violations = [line for line in hub_log.splitlines() if "iolation" in line][-10:]
        raise AssertionError(f"{report}\n" + "\n".join(violations)) from None
    print(f"join: de converged with cn and my {time.monotonic() - started:.2f} s after admission")
    assert {name: federation.nodes[name].server.pid for name in ("cn", "my")} == pids
    assert {name: id(federation.nodes[name].live) for name in ("cn", "my")} == runtimes
    for name in ("cn", "my"):
        assert await federation.nodes[name].quarantined(from_de) == []


# -- bad versions: each refused, the list held kept -----------------------------------------


def _sign_document(document: dict[str, Any], signer: NodeSigner) -> str:
    """A signed list whatever its content (what a careless or hostile signer could send)."""
    payload = orjson.dumps(document)
    header, _, signature = signer.sign(payload).partition("..")
    encoded = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def _secretariat_signer(federation: Federation) -> NodeSigner:
    signer = load_node_signer(federation.secretariat.keys_dir, "secretariat")
    assert signer is not None
    return signer


def _next_document(federation: Federation) -> dict[str, Any]:
    draft = federation.secretariat.draft
    return {**draft.model_dump(mode="json"), "version": draft.version + 1}


def _replayed(federation: Federation) -> str:
    return federation.secretariat.signed[1]


def _unknown_key(federation: Federation) -> str:
    init_node_key(federation.root / "rogue", "secretariat")
    rogue = load_node_signer(federation.root / "rogue", "secretariat")
    assert rogue is not None
    imposter = NodeSigner(kid="secretariat:7", private_pem=rogue.private_pem)
    return _sign_document(_next_document(federation), imposter)


def _forged_with_a_known_kid(federation: Federation) -> str:
    rogue = load_node_signer(federation.root / "rogue", "secretariat")
    assert rogue is not None
    imposter = NodeSigner(kid="secretariat:1", private_pem=rogue.private_pem)
    return _sign_document(_next_document(federation), imposter)


def _removes_its_signer(federation: Federation) -> str:
    document = _next_document(federation)
    document["secretariat"] = []
    # The list names another key only (a new one), yet is signed with key 1.
    other = add_secretariat_key(TrustList(nodes=[]), federation.root / "other", rotate=False)
    document["secretariat"] = [key.model_dump(mode="json") for key in other.secretariat]
    document["secretariat"][0]["kid"] = "secretariat:2"
    return _sign_document(document, _secretariat_signer(federation))


def _malformed_key(federation: Federation) -> str:
    document = _next_document(federation)
    document["nodes"][0]["keys"][0]["public_key"] = "-----BEGIN PUBLIC KEY-----\nnot a key\n"
    return _sign_document(document, _secretariat_signer(federation))


BAD = {
    "replayed": _replayed,
    "unknown_signer": _unknown_key,
    "bad_signature": _forged_with_a_known_kid,
    "removes_signer": _removes_its_signer,
    "malformed_key": _malformed_key,
}


def _refused(code: str) -> float:
    return float(TRUST_LIST_REFUSED.labels(SERVICE, code)._value.get())


@pytest.mark.parametrize("code", list(BAD))
async def test_a_bad_version_is_refused_and_the_list_held_kept(
    federation: Federation, code: str
) -> None:
    nodes = _running(federation)
    held = federation.secretariat.draft.version
    await _all_hold(federation, held)
    token = BAD[code](federation)
    # `edunode trust publish` refuses it already ...
    with pytest.raises(TrustEntryError, match=code):
        await publish(federation.hub.url, federation.admin_key, token)
    # ... and a node refuses it when it comes anyway (put straight into the bucket).
    before = _refused(code)
    with structlog.testing.capture_logs() as logs:
        bucket = await federation.admin.jetstream().key_value(TRUST_BUCKET)
        await bucket.put(TRUST_KEY, token.encode())
        for node in nodes:
            sequence = await _copied(node, token)

            async def read(node: Node = node, sequence: int = sequence) -> bool:
                return node.follower.seen >= sequence

            await eventually(read, timeout=60, interval=0.05, what="the bad version read")
    assert _refused(code) - before == len(nodes)
    refusals = [line for line in logs if line["event"] == "trust_list_refused"]
    assert {line["reason"] for line in refusals} == {code}
    assert len(refusals) == len(nodes)
    for node in nodes:
        assert node.live.trust is not None and node.live.trust.version == held
    # The secretariat's next good version is still taken (the chain is intact).
    good = federation.secretariat.sign()
    await publish(federation.hub.url, federation.admin_key, good)
    await _all_hold(federation, federation.secretariat.draft.version)


async def test_the_secretariat_key_rotates_through_signed_versions(
    federation: Federation,
) -> None:
    secretariat = federation.secretariat
    secretariat.draft = add_secretariat_key(secretariat.draft, secretariat.keys_dir, rotate=True)
    token = secretariat.sign()  # signed with key 1, naming keys 1 and 2
    await publish(federation.hub.url, federation.admin_key, token)
    await _all_hold(federation, secretariat.draft.version)
    token = secretariat.sign(lambda trust: retire_secretariat_key(trust, "secretariat:1"))
    assert token.split(".")[0] and secretariat.draft.secretariat[0].kid == "secretariat:2"
    await publish(federation.hub.url, federation.admin_key, token)
    await _all_hold(federation, secretariat.draft.version)
    for node in _running(federation):
        assert node.live.trust is not None
        assert [key.kid for key in node.live.trust.secretariat] == ["secretariat:2"]


async def test_a_removed_node_s_events_are_quarantined_from_that_version(
    federation: Federation,
) -> None:
    cn, my, de = (federation.nodes[name] for name in ("cn", "my", "de"))
    if de.runtime is None:
        pytest.fail("de did not join (test_a_node_joins_without_any_other_restarting)")
    with_de = federation.secretariat.draft.version
    # cn's service is down a while; de writes, and cn's server stores the event meanwhile.
    await cn.live.stop()
    cn.runtime = None
    cn_client = await _client(cn)
    try:
        stored = (await cn_client.jsm().stream_info(replica_stream_name("cn"))).state.last_seq
        from_de = await _write(de)

        async def arrived() -> bool:
            info = await cn_client.jsm().stream_info(replica_stream_name("cn"))
            return info.state.last_seq > stored

        await eventually(arrived, timeout=60, interval=0.1, what="de's event in cn's replica")
        # The secretariat removes de; cn's server copies the version.
        token = federation.secretariat.sign(lambda trust: remove_node(trust, "de"))
        removed = federation.secretariat.draft.version
        await publish(federation.hub.url, federation.admin_key, token)
        await _copied(cn, token)
    finally:
        await cn_client.close()
    # cn's service starts again on the list file it had (de still in it): it takes the newer
    # version before it applies anything, so de's event is quarantined, never applied.
    await _start_runtime(federation, "cn", federation.secretariat.file_of(with_de))
    await _all_hold(federation, removed)

    async def refused() -> list[str]:
        return [r for r in await cn.quarantined(from_de) if "unknown signer node 'de'" in r]

    await eventually(refused, timeout=60, interval=0.2, what="de's event quarantined at cn")
    assert await cn.count(from_de) == 0
    # my, running all along, no longer sources de: from the hub's events, cn's subjects only.
    my_client = my.live.bus.nc
    assert my_client is not None
    info = await my_client.jsm().stream_info(replica_stream_name("my"))
    assert [
        (source.name, [(t.src, t.dest) for t in source.subject_transforms or []])
        for source in info.config.sources or []
    ] == [("FED_EVENTS", [("evt.cn.>", "evt.cn.>")])]


async def _client(node: Node) -> NatsClient:
    import nats

    return await nats.connect(node.server.url)


async def _copied(node: Node, token: str, timeout: float = 60.0) -> int:
    """The sequence of `token` in the node's copy of the trust bucket, once it is there."""
    client = await _client(node)
    try:
        jsm = client.jsm()

        async def found() -> int | None:
            try:
                message = await jsm.get_last_msg(
                    trust_stream_name(node.config.node_id), trust_subject()
                )
            except NotFoundError:
                return None
            return message.seq if message.data == token.encode() else None

        return await eventually(found, timeout=timeout, interval=0.05, what="the version copied")
    finally:
        await client.close()
