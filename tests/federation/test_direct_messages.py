"""Direct messages between two nodes (shared/direct.py) across a real hub: the hub as
`edunode hub` configures it (NKey users, TLS, the leaf permissions of
`jetstream_sourcing_permissions`) and three nodes `cn`, `my`, `de` (the nats-servers
`edunode up` runs), each with a service runtime on SQLite.

What cn sends to my carries a student's name: it must reach my's service and be stored only in
cn's and my's streams and, sealed, in the hub's stream of direct messages — never in any
stream or database of de, nor seen by a client listening on every subject of de's server
(issue 19, item 1). Sealed to my's key, the name is in no stream at all (the hub's included):
only in my's database once applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import ExternalStream, StreamConfig, StreamSource
from nats.js.errors import NotFoundError
from sqlalchemy import Column, MetaData, String, Table, func, select

from edunode.deploy import write_dev_certificates
from edunode.hub import HubConfig, connect_admin, write_leaf_nodes
from edunode.natsserver import NatsServer, find_free_port
from edunode.node import NodeConfig, nats_server_for
from shared.db import Database
from shared.direct import (
    DirectAddressError,
    DirectSender,
    DirectSubscription,
    node_private_keys,
    open_sealed,
    seal,
)
from shared.event_routes import Applying, EventRoutes
from shared.events import CloudEvent, new_event
from shared.federation import reply_prefix
from shared.inbox import PermanentEventError
from shared.runtime import KernelTables, ServiceRuntime
from shared.settings import ServiceSettings
from shared.signing import SIGNATURE_HEADER, init_node_key, load_node_signer
from shared.trust import TrustedKey, TrustedNode, TrustList
from tests.conftest import eventually

pytestmark = pytest.mark.slow

NODES = ("cn", "my", "de")
REFUSED = (NoRespondersError, NatsTimeoutError)


@dataclass
class Federation:
    root: Path
    hub: NatsServer
    configs: dict[str, NodeConfig]
    servers: dict[str, NatsServer]
    keys: dict[str, Path]
    trust_file: Path


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federation]:
    root = tmp_path_factory.mktemp("direct")
    hub_config = HubConfig(
        data_dir=root / "hub",
        port=find_free_port(),
        leafnode_port=find_free_port(),
        http_port=find_free_port(),
    )
    assert hub_config.tls_dir is not None
    write_dev_certificates(hub_config.tls_dir, ["127.0.0.1", "localhost"])
    configs = {
        node: NodeConfig(
            node_id=node,
            data_dir=root / node,
            port=find_free_port(),
            hub=f"nats-leaf://127.0.0.1:{hub_config.leafnode_port}",
            hub_ca=hub_config.tls_dir / "ca.crt",
        )
        for node in NODES
    }
    servers = {}
    for node, config in configs.items():
        server = nats_server_for(config)
        server.config.port = find_free_port()
        servers[node] = server
    write_leaf_nodes(
        hub_config.leaf_nodes_file,
        {node: config.leaf_key().public_key for node, config in configs.items()},
    )
    hub = hub_config.server()
    hub.start()
    try:
        for server in servers.values():
            server.start()
        hub.wait_for_leafnodes(len(NODES), 30)
        keys = {node: root / node / "keys" for node in NODES}
        for node, keys_dir in keys.items():
            init_node_key(keys_dir, node)
        trust = TrustList(
            nodes=[
                TrustedNode(
                    id=node,
                    countries=[node.upper()],
                    keys=[
                        TrustedKey(
                            kid=f"{node}:1",
                            public_key=(keys[node] / "federation-1.pub").read_text(),
                        )
                    ],
                )
                for node in NODES
            ]
        )
        trust_file = root / "trust.yaml"
        trust.dump(trust_file)
        yield Federation(root, hub, configs, servers, keys, trust_file)
    finally:
        for server in servers.values():
            server.stop()
        hub.stop()


metadata = MetaData()
kernel = KernelTables.define(metadata)
nomination = Table(
    "nomination",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("student", String(200), nullable=False),
    Column("sending_node", String(16), nullable=False),
)

routes = EventRoutes[ServiceSettings, None]()


@routes.applies("mobility.nomination.sent")
async def apply_nomination_sent(
    applying: Applying[ServiceSettings, None], event: CloudEvent
) -> None:
    await applying.session.execute(
        nomination.insert().values(
            id=event.subject, student=event.data["student"], sending_node=event.originnode
        )
    )


@dataclass
class Node:
    runtime: ServiceRuntime[ServiceSettings]
    database_file: Path

    @property
    def database(self) -> Database:
        return self.runtime.database

    async def nominations(self, **where: Any) -> int:
        async with self.database.session() as session:
            statement = select(func.count()).select_from(nomination)
            for name, value in where.items():
                statement = statement.where(nomination.c[name] == value)
            return int(await session.scalar(statement) or 0)

    async def quarantined(self) -> list[str]:
        async with self.database.session() as session:
            return list(await session.scalars(select(kernel.quarantine.c.reason)))

    async def published(self, event_id: str) -> bool:
        async with self.database.session() as session:
            sent = await session.scalar(
                select(kernel.outbox.c.published_at).where(kernel.outbox.c.id == event_id)
            )
            return sent is not None


async def _start(federation: Federation, node: str, database_file: Path | None = None) -> Node:
    if database_file is None:
        database_file = federation.root / f"{node}-{uuid.uuid4().hex}.db"
        database = Database(f"sqlite+aiosqlite:///{database_file}")
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        await database.dispose()
    settings = ServiceSettings(
        node_id=node,
        database_url=f"sqlite+aiosqlite:///{database_file}",
        nats_url=federation.servers[node].url,
        trust_file=federation.trust_file,
        federation_keys_dir=federation.keys[node],
        log_json=False,
    )
    runtime = ServiceRuntime(
        service="mobility",
        settings=settings,
        tables=kernel,
        routes=routes,
        watch_replica=True,  # what keeps the sources current after an outage
        direct=[DirectSubscription("partners")],
    )
    runtime.relay.poll_interval = 0.1
    await runtime.start()
    await asyncio.wait_for(runtime.bus.wait_ready(), 30)
    return Node(runtime, database_file)


@pytest.fixture
async def nodes(federation: Federation) -> AsyncIterator[dict[str, Node]]:
    started = {node: await _start(federation, node) for node in NODES}
    yield started
    for node in started.values():
        await node.runtime.stop()


@contextlib.asynccontextmanager
async def _client(url: str, node: str | None = None) -> AsyncIterator[NatsClient]:
    """A client of a node's server (with `node`, its requests across the hub are answered
    under the node's reply prefix, the only one the hub passes back)."""
    client = await nats.connect(url, inbox_prefix=reply_prefix(node) if node else "_INBOX")
    try:
        yield client
    finally:
        await client.close()


async def _send(node: Node, to: str, student: str) -> CloudEvent:
    sender = DirectSender.of(node.runtime)
    async with node.database.session() as session:
        return await sender.send(session, to=to, type="nomination.sent", data={"student": student})


async def _streams_holding(server: NatsServer, needle: bytes) -> set[str]:
    """Every stream of the server whose stored messages (payload or headers) hold `needle`,
    read message by message (the hub's as its administrator, the only user of its client
    port)."""
    if server.client_key is not None:
        client = await connect_admin(server.url, server.client_key)
        try:
            return await _held(client, needle)
        finally:
            await client.close()
    async with _client(server.url) as client:
        return await _held(client, needle)


async def _held(client: NatsClient, needle: bytes) -> set[str]:
    found: set[str] = set()
    jsm = client.jsm()
    for info in await jsm.streams_info():
        name = info.config.name
        assert name is not None
        if not info.state.messages:
            continue
        for sequence in range(info.state.first_seq, info.state.last_seq + 1):
            try:
                message = await jsm.get_msg(name, sequence)
            except NotFoundError:
                continue
            stored = (message.data or b"") + json.dumps(message.headers or {}).encode()
            if needle in stored:
                found.add(name)
    return found


def _database_holds(path: Path, needle: bytes) -> bool:
    files = [path, *path.parent.glob(path.name + "-*")]  # -wal, -journal
    return any(needle in file.read_bytes() for file in files if file.exists())


async def test_a_direct_message_reaches_its_recipient_and_nobody_else(
    federation: Federation, nodes: dict[str, Node]
) -> None:
    student = f"Nur Aisyah binti {uuid.uuid4().hex[:10]}"
    needle = student.encode()
    wiretap: list[bytes] = []

    async def record(message: Msg) -> None:
        wiretap.append(message.subject.encode() + b" " + message.data)

    # Everything the hub passes to de's server reaches a client listening on `>` there (a
    # node's own pull consumers get their messages under `_INBOX.`: that must not cross).
    async with _client(federation.servers["de"].url) as de_client:
        await de_client.subscribe(">", cb=record)
        await de_client.flush()
        await asyncio.sleep(1.0)  # de's interest reaches the hub
        sent = await _send(nodes["cn"], "my", student)

        async def applied() -> bool:
            return await nodes["my"].nominations(id=sent.subject, student=student) == 1

        await eventually(applied, timeout=60, interval=0.2, what="the nomination at my")
        await asyncio.sleep(1.0)  # anything that would leak has had time to
    assert await nodes["my"].nominations(sending_node="cn") == 1
    # The message is stored in cn's direct stream, the hub's stream of direct messages and
    # my's inbox, and nowhere else; sealed to my's key, its content is in no stream at all
    # (the hub's included), only in my's database once applied.
    servers = {**federation.servers, "hub": federation.hub}
    stored = {
        node: await _streams_holding(server, sent.id.encode()) for node, server in servers.items()
    }
    assert stored == {
        "cn": {"DIRECT_CN"},
        "my": {"INBOX_MY"},
        "de": set(),
        "hub": {"FED_DIRECT"},
    }
    holding = {node: await _streams_holding(server, needle) for node, server in servers.items()}
    assert holding == {"cn": set(), "my": set(), "de": set(), "hub": set()}
    assert _database_holds(nodes["my"].database_file, needle)
    # Nothing of the message reaches de's server, not even sealed.
    assert [seen[:400] for seen in wiretap if sent.id.encode() in seen] == []
    assert [seen[:400] for seen in wiretap if needle in seen] == []
    assert not _database_holds(nodes["de"].database_file, needle)
    assert await nodes["de"].nominations() == 0


async def test_a_message_forged_by_de_is_quarantined_at_my(
    federation: Federation, nodes: dict[str, Node]
) -> None:
    """de writes into its own direct stream (what a rogue node can do) messages for my that
    claim to come from cn: signed with de's key, or with de's key under cn's key id; one
    whose subject names my while the signed message is for cn; one of de's own whose subject
    names another type than the signed message. None is applied."""
    de_signer = load_node_signer(federation.keys["de"], "de")
    assert de_signer is not None

    def forged(origin: str, recipient: str) -> CloudEvent:
        return new_event(
            node=origin,
            service="mobility",
            aggregate="nomination",
            action="sent",
            subject=str(uuid.uuid4()),
            data={"student": "Forged Student"},
            version=1,
        ).model_copy(update={"recipientnode": recipient})

    claims_cn = forged("cn", "my")
    under_cns_kid = forged("cn", "my")
    for_cn = forged("de", "cn")
    other_type = forged("de", "my").model_copy(update={"type": "mobility.nomination.withdrawn.v1"})
    impostor = de_signer.__class__(kid="cn:1", private_pem=de_signer.private_pem)
    async with _client(federation.servers["de"].url) as client:
        js = client.jetstream()
        for event, signature in (
            (claims_cn, de_signer.sign(claims_cn.to_bytes())),
            (under_cns_kid, impostor.sign(under_cns_kid.to_bytes())),
            (for_cn, de_signer.sign(for_cn.to_bytes())),
            (other_type, de_signer.sign(other_type.to_bytes())),
        ):
            await js.publish(
                "direct.de.my.mobility.nomination.sent",
                event.to_bytes(),
                headers={"Nats-Msg-Id": event.id, SIGNATURE_HEADER: signature},
            )

    async def refused() -> bool:
        return len(await nodes["my"].quarantined()) >= 4

    await eventually(refused, timeout=60, interval=0.2, what="four messages quarantined at my")
    reasons = " | ".join(await nodes["my"].quarantined())
    assert "signed by 'de' but claims origin 'cn'" in reasons
    assert "bad signature for key 'cn:1'" in reasons
    assert "a direct message for 'cn' arrived at node 'my'" in reasons
    assert "does not name the message's sender, recipient and type" in reasons
    assert await nodes["my"].nominations(student="Forged Student") == 0


async def test_a_message_sent_while_my_is_down_arrives_when_it_is_back(
    federation: Federation, nodes: dict[str, Node]
) -> None:
    my = nodes["my"]
    await my.runtime.stop()
    federation.servers["my"].stop()
    try:
        student = f"Li Wei {uuid.uuid4().hex[:10]}"
        sent = await _send(nodes["cn"], "my", student)

        async def in_cns_stream() -> bool:
            return await nodes["cn"].published(sent.id)

        await eventually(in_cns_stream, timeout=60, interval=0.2, what="cn's relay published it")
    finally:
        federation.servers["my"].start()
    await asyncio.to_thread(federation.hub.wait_for_leafnodes, len(NODES), 60)
    back = await _start(federation, "my", my.database_file)
    nodes["my"] = back  # stopped by the fixture

    async def arrived() -> bool:
        return await back.nominations(id=sent.subject, student=student) == 1

    await eventually(arrived, timeout=90, interval=0.3, what="the nomination at my once back")


async def test_a_message_sent_while_cns_broker_is_down_leaves_when_it_is_back(
    federation: Federation, nodes: dict[str, Node]
) -> None:
    """The sender's side down: the message waits in cn's outbox (the write commits all the
    same), then in cn's direct stream, and reaches my once cn's server and link are back."""
    cn = nodes["cn"]
    federation.servers["cn"].stop()
    try:
        student = f"Zhang Wei {uuid.uuid4().hex[:10]}"
        sent = await _send(cn, "my", student)
        await asyncio.sleep(1.0)
        assert not await cn.published(sent.id)
    finally:
        federation.servers["cn"].start()
    await asyncio.to_thread(federation.hub.wait_for_leafnodes, len(NODES), 60)

    async def arrived() -> bool:
        return await nodes["my"].nominations(id=sent.subject, student=student) == 1

    await eventually(arrived, timeout=90, interval=0.3, what="the nomination at my")


async def test_sending_to_a_node_outside_the_federation_is_refused(
    nodes: dict[str, Node],
) -> None:
    for recipient in ("xx", "cn"):
        with pytest.raises(DirectAddressError):
            await _send(nodes["cn"], recipient, "Nobody")


async def test_a_message_of_a_transaction_rolled_back_is_never_sent(
    nodes: dict[str, Node],
) -> None:
    """The message is part of the caller's transaction: no commit, no message."""
    cn = nodes["cn"]
    sender = DirectSender.of(cn.runtime)
    with pytest.raises(RuntimeError, match="the change failed"):
        async with cn.database.session() as session:
            sent = await sender.send(
                session, to="my", type="nomination.sent", data={"student": "Rolled Back"}
            )
            raise RuntimeError("the change failed")
    async with cn.database.session() as session:
        rows = await session.scalar(
            select(func.count()).select_from(kernel.outbox).where(kernel.outbox.c.id == sent.id)
        )
    assert rows == 0
    await asyncio.sleep(2.0)
    assert await nodes["my"].nominations(student="Rolled Back") == 0


async def test_de_cannot_source_what_cn_sends_to_my(
    federation: Federation, nodes: dict[str, Node]
) -> None:
    """de asks the hub's JetStream, through its link, for a consumer on the hub's stream of
    direct messages with my's filter, with a wider filter, or with none, or cn's JetStream for
    one on cn's direct stream: the hub passes none of these (only the filter addressed to
    de), and a stream de sets up to source them stays empty."""
    student = f"Tan Mei Ling {uuid.uuid4().hex[:10]}"
    async with _client(federation.servers["de"].url, "de") as client:
        # The link works for what de may ask: the hub's stream of public events answers.
        reply = await client.request("$JS.hub.API.STREAM.INFO.FED_EVENTS", b"", timeout=5)
        assert json.loads(reply.data)["config"]["name"] == "FED_EVENTS"
        jsm = client.jsm()
        await jsm.add_stream(
            StreamConfig(
                name="STOLEN",
                subjects=[],
                sources=[
                    StreamSource(
                        name="FED_DIRECT",
                        filter_subject="direct.*.my.>",
                        external=ExternalStream(api="$JS.hub.API"),
                    ),
                    StreamSource(
                        name="FED_DIRECT",
                        filter_subject="direct.cn.>",
                        external=ExternalStream(api="$JS.hub.API", deliver="$JSD.de"),
                    ),
                    StreamSource(
                        name="DIRECT_CN",
                        filter_subject="direct.cn.de.>",
                        external=ExternalStream(api="$JS.cn.API", deliver="$JSD.de"),
                    ),
                ],
            )
        )
        sent = await _send(nodes["cn"], "my", student)

        async def applied() -> bool:
            return await nodes["my"].nominations(id=sent.subject) == 1

        await eventually(applied, timeout=60, interval=0.2, what="the nomination at my")
        hub = "$JS.hub.API.CONSUMER.CREATE.FED_DIRECT"
        cn = "$JS.cn.API.CONSUMER.CREATE.DIRECT_CN"
        for stream, subject, filter_subject in (
            ("FED_DIRECT", f"{hub}.take.direct.*.my.>", "direct.*.my.>"),
            ("FED_DIRECT", f"{hub}.take.direct.cn.>", "direct.cn.>"),
            ("FED_DIRECT", f"{hub}.take.direct.>", "direct.>"),
            ("FED_DIRECT", f"{hub}.take", "direct.*.my.>"),
            ("FED_DIRECT", hub, "direct.*.my.>"),
            ("DIRECT_CN", f"{cn}.take.direct.cn.de.>", "direct.cn.de.>"),
            ("DIRECT_CN", f"{cn}.take.direct.cn.my.>", "direct.cn.my.>"),
            ("DIRECT_CN", cn, "direct.cn.my.>"),
        ):
            request = {
                "stream_name": stream,
                "config": {
                    "name": "take",
                    "filter_subject": filter_subject,
                    "deliver_subject": "$JSD.de.take",
                    "ack_policy": "none",
                },
            }
            with pytest.raises(REFUSED):
                await client.request(subject, json.dumps(request).encode(), timeout=2)
        # With de's own filter in the subject but a wider one in the request: the hub's
        # server refuses the mismatch (the hub passes the request, the filter that counts is
        # checked).
        request = {
            "stream_name": "FED_DIRECT",
            "config": {"name": "take", "filter_subjects": ["direct.*.my.>"], "ack_policy": "none"},
        }
        with contextlib.suppress(*REFUSED):
            reply = await client.request(
                f"{hub}.take.direct.*.de.>", json.dumps(request).encode(), timeout=5
            )
            assert "error" in json.loads(reply.data), reply.data
        await asyncio.sleep(2.0)
        assert (await jsm.stream_info("STOLEN")).state.messages == 0
        await jsm.delete_stream("STOLEN")
    assert await _streams_holding(federation.servers["de"], student.encode()) == set()


async def test_a_message_not_sealed_to_my_is_dead_lettered_never_applied(
    federation: Federation, nodes: dict[str, Node]
) -> None:
    """de's own message to my, signed by de, but its content in clear (or sealed to another
    key): my cannot open it, keeps it as a dead letter and applies nothing."""
    de_signer = load_node_signer(federation.keys["de"], "de")
    assert de_signer is not None
    trust = TrustList.load(federation.trust_file)
    cn_key = trust.node("cn")
    assert cn_key is not None
    plain, to_cns_key = (
        new_event(
            node="de",
            service="mobility",
            aggregate="nomination",
            action="sent",
            subject=str(uuid.uuid4()),
            data=data,
            version=1,
        ).model_copy(update={"recipientnode": "my"})
        for data in (
            {"student": "Plain Student"},
            seal({"student": "Plain Student"}, cn_key.keys[0]),
        )
    )
    async with _client(federation.servers["de"].url) as client:
        for event in (plain, to_cns_key):
            await client.jetstream().publish(
                "direct.de.my.mobility.nomination.sent",
                event.to_bytes(),
                headers={
                    "Nats-Msg-Id": event.id,
                    SIGNATURE_HEADER: de_signer.sign(event.to_bytes()),
                },
            )

    async def dead_letters() -> list[str]:
        async with nodes["my"].database.session() as session:
            return list(await session.scalars(select(kernel.dead_letter.c.error)))

    async def both() -> bool:
        return len(await dead_letters()) >= 2

    await eventually(both, timeout=60, interval=0.2, what="two dead letters at my")
    errors = " | ".join(await dead_letters())
    assert "not sealed to its recipient" in errors
    assert "sealed to key 'cn:1', not held here" in errors
    assert await nodes["my"].nominations(student="Plain Student") == 0


def test_the_x25519_form_of_a_federation_key_is_the_one_its_private_key_gives(
    tmp_path: Path,
) -> None:
    """The public key converted from Ed25519 (what a sender encrypts to) is the public key of
    the private key converted from the same pair (what the recipient decrypts with), and only
    that key opens what was sealed to it."""
    for node in ("aa", "bb"):
        init_node_key(tmp_path / node, node)
    key = TrustedKey(kid="aa:1", public_key=(tmp_path / "aa" / "federation-1.pub").read_text())
    sealed = seal({"student": "Ana"}, key)
    event = new_event(
        node="bb", service="mobility", aggregate="nomination", action="sent",
        subject="x", data=sealed, version=1,
    )  # fmt: skip
    opened = open_sealed(event, node_private_keys(tmp_path / "aa", "aa"))
    assert opened.data == {"student": "Ana"}
    wrong = {"aa:1": node_private_keys(tmp_path / "bb", "bb")["bb:1"]}
    with pytest.raises(PermanentEventError, match="cannot be opened"):
        open_sealed(event, wrong)
    assert b"Ana" not in event.to_bytes()
