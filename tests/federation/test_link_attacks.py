"""The hub and its links, attacked: a real hub (`edunode hub`'s configuration: NKey users,
TLS on the leaf port, an administrator-only client port) and two nodes `it` and `fr` (the
nats-servers `edunode up` runs). JetStream sourcing crosses; everything else an attacker tries
with a node's link, or with no credentials at all, is refused (issue 16).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import nats
import pytest
import yaml
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig
from nats.js.errors import NoStreamResponseError

from edunode.deploy import write_dev_certificates
from edunode.hub import HubConfig, apply_leaf_nodes, connect_admin, revoke, write_leaf_nodes
from edunode.natsserver import NatsServer, NatsServerConfig, TlsConfig, find_free_port
from edunode.node import NodeConfig, nats_server_for
from shared.bus import Bus
from shared.federation import reply_prefix
from shared.nkeys import UserNkey
from shared.runtime import node_streams
from shared.trust import TrustList
from tests.conftest import eventually

NODES = ("it", "fr")
REFUSED = (NoRespondersError, NatsTimeoutError, NoStreamResponseError)


@dataclass
class Federation:
    root: Path
    hub_config: HubConfig
    hub: NatsServer
    configs: dict[str, NodeConfig]
    servers: dict[str, NatsServer]
    clients: dict[str, NatsClient]

    def leaf_count(self) -> int:
        return int(self.hub.monitoring("leafz").get("leafnodes", 0))

    def hub_log(self) -> str:
        return self.hub.log_path.read_text(errors="replace")


def _trust(root: Path) -> TrustList:
    path = root / "trust.yaml"
    document = {
        "version": 1,
        "nodes": [
            {"id": node, "countries": [node.upper()], "gateway_url": f"https://{node}.example"}
            for node in NODES
        ],
    }
    path.write_text(yaml.safe_dump(document))
    return TrustList.load(path)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, HubConfig]]:
    """The hub as an operator sets it up: certificates, every node admitted with its NKey."""
    root = tmp_path_factory.mktemp("links")
    hub_config = HubConfig(
        data_dir=root / "hub",
        port=find_free_port(),
        leafnode_port=find_free_port(),
        http_port=find_free_port(),
    )
    assert hub_config.tls_dir is not None
    write_dev_certificates(hub_config.tls_dir, ["127.0.0.1", "localhost"])
    yield root, hub_config


@pytest.fixture(scope="module")
async def federation(running: tuple[Path, HubConfig]) -> AsyncIterator[Federation]:
    root, hub_config = running
    assert hub_config.tls_dir is not None
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
    # nats_server_for uses the node port + 5; find a free one for each node instead.
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
    clients: dict[str, NatsClient] = {}
    try:
        for server in servers.values():
            server.start()
        await asyncio.to_thread(hub.wait_for_leafnodes, 2, 30)
        trust = _trust(root)
        for node, server in servers.items():
            # Answers to its requests across the hub come back under its reply prefix only.
            clients[node] = await nats.connect(server.url, inbox_prefix=reply_prefix(node))
            bus = Bus(url=server.url, name=f"{node}-test", nc=clients[node])
            await bus.provision(node_streams(node, trust))
        for node in NODES:
            await clients[node].jetstream().publish(f"evt.{node}.institutions.created", b"{}")
        federation = Federation(root, hub_config, hub, configs, servers, clients)
        for node, peer in (("it", "fr"), ("fr", "it")):
            await _wait_replicated(federation, node, 1, what=f"EVT_{peer.upper()} at {node}")
        yield federation
    finally:
        for client in clients.values():
            await client.close()
        for server in servers.values():
            server.stop()
        hub.stop()


async def _messages(client: NatsClient, stream: str) -> int:
    return int((await client.jsm().stream_info(stream)).state.messages)


async def _wait_replicated(federation: Federation, node: str, count: int, what: str) -> None:
    client = federation.clients[node]
    replica = f"REPLICA_{node.upper()}"

    async def done() -> bool:
        return await _messages(client, replica) >= count

    await eventually(done, timeout=60, interval=0.2, what=what)


def _raw_connect(host: str, port: int, connect: dict[str, object], key: UserNkey | None) -> str:
    """Speak the NATS protocol to a client port: CONNECT (signing the nonce with `key`), PING;
    the server's first answer (`PONG`, or `-ERR ...`)."""
    with socket.create_connection((host, port), timeout=5) as sock:
        reader = sock.makefile("rb")
        info = json.loads(reader.readline()[5:])
        if key is not None:
            connect = {**connect, "nkey": key.public_key, "sig": key.sign_nonce(info["nonce"])}
        sock.sendall(f"CONNECT {json.dumps({'verbose': False, **connect})}\r\nPING\r\n".encode())
        return reader.readline().decode(errors="replace").strip()


# -- what must keep working ----------------------------------------------------------------


async def test_sourcing_crosses_the_authenticated_tls_links(federation: Federation) -> None:
    before = await _messages(federation.clients["fr"], "REPLICA_FR")
    await federation.clients["it"].jetstream().publish("evt.it.quality.published", b"{}")
    await _wait_replicated(federation, "fr", before + 1, what="a live event from it at fr")
    # What the replica watchdog asks the hub is answered across the link.
    reply = await federation.clients["it"].request(
        "$JS.hub.API.STREAM.INFO.FED_EVENTS", b"", timeout=5
    )
    assert json.loads(reply.data)["config"]["name"] == "FED_EVENTS"
    assert federation.leaf_count() == 2


# -- nothing unauthenticated -----------------------------------------------------------------


async def test_an_anonymous_client_on_the_hub_is_refused(federation: Federation) -> None:
    with pytest.raises(Exception, match=r"(?i)authorization"):
        await nats.connect(
            federation.hub.url, connect_timeout=3, max_reconnect_attempts=0, allow_reconnect=False
        )


def test_a_node_key_opens_no_client_session_on_the_hub(federation: Federation) -> None:
    """A node's leaf NKey is good for a leaf connection only: on the client port it is refused,
    while the hub's administrator key is let in."""
    hub = federation.hub.config
    it_key = federation.configs["it"].leaf_key()
    answer = _raw_connect(hub.host, hub.port, {}, it_key)
    assert answer.startswith("-ERR") and "authorization" in answer.lower()
    assert _raw_connect(hub.host, hub.port, {}, federation.hub_config.admin_key) == "PONG"


async def _leaf(federation: Federation, name: str, **remote: object) -> NatsServer:
    """Another nats-server dialling the hub's leaf port as a leaf, with the given remote."""
    hub_config = federation.hub_config
    assert hub_config.tls_dir is not None
    directory = federation.root / name
    config = NatsServerConfig(
        name=f"attacker-{name}",
        port=find_free_port(),
        store_dir=directory / "store",
        domain=str(remote.pop("domain", name)),
        leaf_remotes=[str(remote.pop("url", f"nats-leaf://127.0.0.1:{hub_config.leafnode_port}"))],
        leaf_remote_tls=TlsConfig(ca_file=str(hub_config.tls_dir / "ca.crt")),
        leaf_remote_nkey=str(remote.pop("nkey")) if "nkey" in remote else None,
    )
    environment = {name: str(value) for name, value in remote.items()}
    server = NatsServer(config, directory, environment=environment)
    server.start()
    return server


async def _refused_leaf(federation: Federation, name: str, **remote: object) -> None:
    leaves = federation.leaf_count()
    server = await _leaf(federation, name, **remote)
    try:

        async def tried() -> bool:
            log = server.log_path.read_text(errors="replace").lower()
            return "authorization violation" in log or "authentication error" in log

        await eventually(tried, timeout=30, interval=0.2, what=f"{name}: its leaf refused")
        await asyncio.sleep(1.0)
        assert federation.leaf_count() == leaves
    finally:
        server.stop()


async def test_an_anonymous_leaf_is_refused(federation: Federation) -> None:
    await _refused_leaf(federation, "anonymous")


async def test_a_leaf_with_an_unadmitted_key_is_refused(federation: Federation) -> None:
    """A leaf signing in with a key of its own, calling itself `fr`: not in the hub's list."""
    intruder = UserNkey.generate()
    await _refused_leaf(federation, "intruder", domain="fr", nkey="$SEED", SEED=intruder.seed)


async def test_a_nodes_key_gives_no_other_nodes_place(federation: Federation) -> None:
    """A leaf signing in with `it`'s key while calling its JetStream domain `fr` is let in
    (the key is good) but gets `it`'s permissions: the hub's requests to `fr`'s domain (its
    keeper's, its sourcing's) never reach it, the real `fr` keeps answering them."""
    hub = federation.hub_config
    assert hub.tls_dir is not None
    seed = federation.configs["it"].leaf_key().seed
    leaves = federation.leaf_count()
    impostor = await _leaf(federation, "impostor", domain="fr", nkey="$SEED", SEED=seed)
    admin = await connect_admin(federation.hub.url, hub.admin_key, inbox_prefix="_INBOX.hub")
    try:

        async def joined() -> bool:
            return federation.leaf_count() == leaves + 1

        await eventually(joined, timeout=30, interval=0.2, what="the impostor's leaf up")
        for _ in range(10):
            reply = await admin.request("$JS.fr.API.STREAM.INFO.EVT_FR", b"", timeout=5)
            assert json.loads(reply.data)["config"]["name"] == "EVT_FR"
        async with _client(impostor.url) as client:
            seen: list[str] = []

            async def record(message: Msg) -> None:
                seen.append(message.subject)

            await client.subscribe("$JS.fr.API.>", cb=record)
            await client.flush()
            await asyncio.sleep(0.5)
            await admin.request("$JS.fr.API.STREAM.INFO.EVT_FR", b"", timeout=5)
            await asyncio.sleep(1.5)  # the keeper's probes too
            assert seen == []
    finally:
        await admin.close()
        impostor.stop()


@contextlib.asynccontextmanager
async def _client(url: str) -> AsyncIterator[NatsClient]:
    client = await nats.connect(url)
    try:
        yield client
    finally:
        await client.close()


async def test_a_leaf_with_a_user_name_and_password_is_refused(federation: Federation) -> None:
    port = federation.hub_config.leafnode_port
    await _refused_leaf(federation, "password", url=f"nats-leaf://fr:guess@127.0.0.1:{port}")


async def test_a_plaintext_leaf_is_refused(federation: Federation) -> None:
    """TLS is required on the leaf port: a leaf that will not speak it does not get in, even
    with an admitted node's seed."""
    hub_config = federation.hub_config
    directory = federation.root / "plaintext"
    config = NatsServerConfig(
        name="attacker-plaintext",
        port=find_free_port(),
        store_dir=directory / "store",
        domain="plaintext",
        leaf_remotes=[f"nats-leaf://127.0.0.1:{hub_config.leafnode_port}"],
        leaf_remote_nkey="$SEED",
    )
    leaves = federation.leaf_count()
    seed = federation.configs["it"].leaf_key().seed
    server = NatsServer(config, directory, environment={"SEED": seed})
    server.start()
    try:
        await asyncio.sleep(3.0)
        assert federation.leaf_count() == leaves
    finally:
        server.stop()


def test_the_hub_certificate_is_checked_by_the_node(federation: Federation) -> None:
    """The leaf port speaks TLS with the certificate from `edunode deploy certs`."""
    hub_config = federation.hub_config
    assert hub_config.tls_dir is not None
    context = ssl.create_default_context(cafile=str(hub_config.tls_dir / "ca.crt"))
    with socket.create_connection(("127.0.0.1", hub_config.leafnode_port), timeout=5) as raw:
        raw.recv(4096)  # the INFO, sent in the clear before the handshake
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")


# -- least privilege ----------------------------------------------------------------------


async def test_publishing_a_peers_events_through_the_link_is_refused(
    federation: Federation,
) -> None:
    it, fr = federation.clients["it"], federation.clients["fr"]
    before = await _messages(fr, "EVT_FR")
    seen: list[bytes] = []

    async def record(message: Msg) -> None:
        seen.append(message.data)

    subscription = await fr.subscribe("evt.fr.>", cb=record)
    await fr.flush()
    try:
        await asyncio.sleep(0.5)  # the interest reaches it's server through the hub
        await it.publish("evt.fr.quality.status.changed", b"forged")
        with pytest.raises(REFUSED):
            await it.jetstream().publish("evt.fr.institutions.created", b"forged", timeout=2)
        await it.flush()
        await asyncio.sleep(1.0)
    finally:
        await subscription.unsubscribe()
    assert seen == []
    assert await _messages(fr, "EVT_FR") == before


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("$JS.fr.API.STREAM.DELETE.EVT_FR", b""),
        ("$JS.fr.API.STREAM.PURGE.EVT_FR", b""),
        ("$JS.fr.API.STREAM.DELETE.REPLICA_FR", b""),
        ("$JS.fr.API.STREAM.CREATE.EVIL", json.dumps({"name": "EVIL", "subjects": ["x.>"]})),
        (
            "$JS.fr.API.STREAM.UPDATE.EVT_FR",
            json.dumps({"name": "EVT_FR", "subjects": ["evt.fr.>", "evt.it.>"]}),
        ),
        ("$JS.fr.API.STREAM.MSG.DELETE.EVT_FR", json.dumps({"seq": 1})),
        ("$JS.fr.API.STREAM.MSG.GET.REPLICA_FR", json.dumps({"seq": 1})),
        ("$JS.fr.API.CONSUMER.CREATE.REPLICA_FR", json.dumps({"stream_name": "REPLICA_FR"})),
        ("$JS.fr.API.CONSUMER.DELETE.EVT_FR.anything", b""),
        ("$JS.fr.API.STREAM.NAMES", b""),
        ("$JS.fr.API.INFO", b""),
        ("$JS.hub.API.STREAM.CREATE.EVIL", json.dumps({"name": "EVIL", "subjects": ["y.>"]})),
        ("$JS.hub.API.STREAM.DELETE.FED_EVENTS", b""),
        ("$JS.hub.API.STREAM.PURGE.FED_DIRECT", b""),
        ("$JS.hub.API.STREAM.MSG.GET.FED_DIRECT", json.dumps({"seq": 1})),
        ("$JS.hub.API.STREAM.INFO.FED_DIRECT", b""),
        (
            "$JS.hub.API.CONSUMER.CREATE.FED_DIRECT",
            json.dumps({"stream_name": "FED_DIRECT", "config": {"ack_policy": "none"}}),
        ),
        (
            "$JS.hub.API.STREAM.UPDATE.FED_EVENTS",
            json.dumps({"name": "FED_EVENTS", "subjects": ["evt.>"]}),
        ),
    ],
)
async def test_a_peers_jetstream_api_is_closed_but_for_sourcing(
    federation: Federation, subject: str, body: str | bytes
) -> None:
    it, fr = federation.clients["it"], federation.clients["fr"]
    data = body.encode() if isinstance(body, str) else body
    before = {stream: await _messages(fr, stream) for stream in ("EVT_FR", "REPLICA_FR")}
    with pytest.raises(REFUSED):
        await it.request(subject, data, timeout=2)
    names = {info.config.name for info in await fr.jsm().streams_info()}
    assert names == {"EVT_FR", "REPLICA_FR", "DIRECT_FR", "INBOX_FR"}
    assert {stream: await _messages(fr, stream) for stream in before} == before
    config = (await fr.jsm().stream_info("EVT_FR")).config
    assert config.subjects == ["evt.fr.>"]


async def test_a_peer_cannot_take_over_a_nodes_own_consumer(federation: Federation) -> None:
    """A durable consumer a node's services keep on their own stream cannot be replaced or
    changed by a peer through the one call sourcing needs (creating a consumer)."""
    fr = federation.clients["fr"]
    await fr.jsm().add_consumer(
        "EVT_FR",
        ConsumerConfig(durable_name="svc", ack_policy=AckPolicy.EXPLICIT, max_deliver=5),
    )
    hijack = {
        "stream_name": "EVT_FR",
        "config": {"name": "svc", "durable_name": "svc", "ack_policy": "none", "max_deliver": 1},
    }
    for subject in ("$JS.fr.API.CONSUMER.CREATE.EVT_FR", "$JS.fr.API.CONSUMER.CREATE.EVT_FR.svc"):
        with contextlib.suppress(*REFUSED):
            reply = await federation.clients["it"].request(
                subject, json.dumps(hijack).encode(), timeout=2
            )
            assert "error" in json.loads(reply.data), reply.data
    info = await fr.jsm().consumer_info("EVT_FR", "svc")
    assert info.config.ack_policy == AckPolicy.EXPLICIT and info.config.max_deliver == 5
    await fr.jsm().delete_consumer("EVT_FR", "svc")


# -- revocation ---------------------------------------------------------------------------


async def test_a_revoked_node_is_cut_off_and_refused_on_reconnect(
    federation: Federation,
) -> None:
    """Last: `it` is removed from the hub's list and the list applied (what the running
    `edunode hub` does when the file changes). Its link goes, its reconnections with the
    revoked key are refused, and `fr` gets its own back."""
    revoke(federation.hub_config.leaf_nodes_file, "it")
    assert apply_leaf_nodes(federation.hub_config, federation.hub) == "restarted"

    def names() -> list[str]:
        leafz = federation.hub.monitoring("leafz")
        return sorted(str(leaf.get("name")) for leaf in leafz.get("leafs") or [])

    async def only_fr() -> bool:
        return names() == ["edunode-fr"]

    await eventually(only_fr, timeout=30, interval=0.2, what="fr back, it not")
    it_log = federation.servers["it"].log_path

    async def refused() -> bool:
        text = it_log.read_text(errors="replace").lower()
        return "authorization violation" in text or "authentication error" in text

    await eventually(refused, timeout=30, interval=0.2, what="it's reconnection refused")
    await asyncio.sleep(2.0)
    assert names() == ["edunode-fr"]
    # fr keeps sourcing nothing new from it, and its own stream is intact.
    assert await _messages(federation.clients["fr"], "EVT_FR") >= 1
