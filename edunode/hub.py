"""`edunode hub`: the community hub, a nats-server that national nodes join as leaf nodes.

Nothing reaches it without credentials. Each admitted node is named, with its leaf NKey's
public key, in `<data-dir>/leaf-nodes.yaml` (`edunode hub admit` / `edunode hub revoke`); the
node proves it holds the seed when its leaf connects, over TLS (`<data-dir>/tls/`, from
`edunode deploy certs`), and may then let only JetStream stream sourcing between it and the
hub cross (`jetstream_sourcing_permissions`). The client port serves the hub's administrator
alone (`<data-dir>/admin.nk`). The running hub re-reads the list when it changes: a revoked
node's link is closed and its reconnection refused.

The hub aggregates the federation (shared/federation.py): beside its nats-server, a keeper
(`HubStreamKeeper`, a thread of the process running the server) provisions its two streams,
`FED_EVENTS` and `FED_DIRECT`, sourcing each admitted node's own streams; it follows the list
of admitted nodes, and when a node's JetStream becomes reachable (its link up after the hub
or the node restarted, or its streams just made) it resets that node's sources, which
otherwise retry only after a backoff of tens of seconds. A deployed hub (compose, Kubernetes)
runs the same keeper as its own process beside its nats-server: `edunode hub keep`
(`keep_hub_streams`).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
import orjson
import structlog
import yaml
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.errors import NoServersError
from nats.js.errors import NotFoundError

from edunode.deploy import HUB_ADMIN_SEED_VARIABLE
from edunode.natsserver import (
    LeafUser,
    NatsServer,
    NatsServerConfig,
    TlsConfig,
    jetstream_sourcing_permissions,
)
from shared.direct import direct_stream_name
from shared.events import node_stream_name
from shared.federation import hub_streams, reply_prefix, reset_sources, source_shape
from shared.nkeys import UserNkey, is_public_user_nkey, load_or_create_seed
from shared.settings import NODE_ID_PATTERN
from shared.trust import load_yaml_strict
from shared.trust_governance import HUB_DOMAIN

log = structlog.get_logger("edunode.hub")

LEAF_NODES_FILE = "leaf-nodes.yaml"
ADMIN_SEED_FILE = "admin.nk"


class HubError(ValueError):
    """A leaf-node list that cannot be used, or a change to it that is refused."""


def load_leaf_nodes(path: Path) -> dict[str, str]:
    """The admitted nodes: node id → public leaf NKey. A missing file admits nobody."""
    if not path.exists():
        return {}
    try:
        document = load_yaml_strict(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise HubError(f"{path}: {error}") from None
    nodes = document.get("nodes") if isinstance(document, dict) else None
    if not isinstance(nodes, dict):
        raise HubError(f"{path}: expected `nodes:` mapping node ids to leaf NKeys")
    admitted: dict[str, str] = {}
    for node, nkey in nodes.items():
        _check(node, nkey)
        if nkey in admitted.values():
            raise HubError(f"{path}: the leaf NKey of {node} is also another node's")
        admitted[node] = nkey
    return admitted


def _check_node_id(node: object) -> None:
    if not isinstance(node, str) or not re.match(NODE_ID_PATTERN, node):
        raise HubError(f"{node!r} is not a node id (lowercase ISO 3166 code, e.g. my or be-fl)")


def _check(node: object, nkey: object) -> None:
    _check_node_id(node)
    if not isinstance(nkey, str) or not is_public_user_nkey(nkey):
        raise HubError(f"{node}: {nkey!r} is not a public user NKey (U…)")


def write_leaf_nodes(path: Path, nodes: dict[str, str]) -> None:
    """Replace the list with `nodes` (node id → public leaf NKey)."""
    for node, nkey in nodes.items():
        _check(node, nkey)
    if len(set(nodes.values())) != len(nodes):
        raise HubError("two nodes with one leaf NKey")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# The nodes admitted to this hub: node id → public leaf NKey (edunode hub admit).\n"
    text += yaml.safe_dump({"nodes": dict(sorted(nodes.items()))}, sort_keys=False)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def admit(path: Path, node: str, nkey: str) -> None:
    """Add `node` with its public leaf NKey; refused if the node or the key is already there."""
    _check(node, nkey)
    nodes = load_leaf_nodes(path)
    if node in nodes:
        raise HubError(f"{node} is already admitted (revoke it first to change its key)")
    if nkey in nodes.values():
        raise HubError("this leaf NKey is already admitted for another node")
    write_leaf_nodes(path, {**nodes, node: nkey})


def revoke(path: Path, node: str) -> None:
    """Remove `node`: the running hub closes its link and refuses it from then on."""
    nodes = load_leaf_nodes(path)
    if node not in nodes:
        raise HubError(f"{node} is not admitted")
    del nodes[node]
    write_leaf_nodes(path, nodes)


@dataclass
class HubConfig:
    """The community hub: JetStream domain `hub`, a TLS leaf-node listener for the admitted
    nodes, and a client port for its administrator only."""

    data_dir: Path
    port: int = 4222
    leafnode_port: int = 7422
    # The leaf-node port's interface: what is exposed. The client and monitoring ports stay
    # on `client_host` (this machine only, by default).
    host: str = "127.0.0.1"
    http_port: int | None = None
    tls_dir: Path | None = None
    client_host: str = "127.0.0.1"

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.resolve()
        self.tls_dir = (self.tls_dir or self.data_dir / "tls").resolve()

    @property
    def leaf_nodes_file(self) -> Path:
        return self.data_dir / LEAF_NODES_FILE

    @property
    def admin_key(self) -> UserNkey:
        return load_or_create_seed(self.data_dir / ADMIN_SEED_FILE)

    def nats_config(self) -> NatsServerConfig:
        assert self.tls_dir is not None
        certificate, key = self.tls_dir / "tls.crt", self.tls_dir / "tls.key"
        if not certificate.exists() or not key.exists():
            raise HubError(
                f"no TLS certificate for the leaf-node port in {self.tls_dir} (tls.crt, "
                f"tls.key): `edunode deploy certs --out {self.tls_dir} --hub HUB-NAME` makes a "
                "throwaway one; a real hub uses one from a real CA"
            )
        nodes = load_leaf_nodes(self.leaf_nodes_file)
        return NatsServerConfig(
            name="edunode-hub",
            host=self.client_host,
            port=self.port,
            leafnode_host=self.host,
            store_dir=self.data_dir / "store",
            domain="hub",
            leafnode_port=self.leafnode_port,
            leafnode_no_advertise=True,
            leafnode_tls=TlsConfig(cert_file=str(certificate), key_file=str(key)),
            http_port=self.http_port,
            leaf_users=[
                LeafUser(
                    user=node,
                    nkey=nkey,
                    permissions=jetstream_sourcing_permissions(node),
                )
                for node, nkey in nodes.items()
            ],
            admin_nkey=self.admin_key.public_key,
            pid_file=self.data_dir / "nats.pid",
        )

    def server(self) -> HubServer:
        return HubServer(self.nats_config(), self.data_dir, client_key=self.admin_key)


class HubServer(NatsServer):
    """The hub's nats-server, with its `HubStreamKeeper` running while it runs (started once
    the server answers, stopped before it stops). `nodes` names the nodes to aggregate when
    the configuration has no leaf users to name them (an open hub, in tests)."""

    keeper: HubStreamKeeper | None = None

    def __init__(self, *args: Any, nodes: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = sorted(nodes)

    def admitted(self) -> list[str]:
        """The nodes admitted now (the leaf users of the configuration running)."""
        return sorted(user.user for user in self.config.leaf_users) or self.nodes

    def start(self) -> None:
        super().start()
        self.keeper = HubStreamKeeper(self.url, self.client_key, self.admitted)
        self.keeper.start()

    def stop(self) -> None:
        self._stop_keeper()
        super().stop()

    def kill(self) -> None:
        self._stop_keeper()
        super().kill()

    def _stop_keeper(self) -> None:
        if self.keeper is not None:
            self.keeper.stop()
            self.keeper = None


class HubStreamKeeper:
    """Keeps the hub's streams: created, sourcing the admitted nodes, and each node's sources
    reset when its JetStream becomes reachable. A thread with its own event loop, so that the
    synchronous `NatsServer` API (tests, the demo's supervisor) keeps the hub's streams as
    `edunode hub` does. `url` is the hub's client port, `key` its administrator's (none: an
    open hub), `admitted` says which nodes to aggregate now."""

    def __init__(
        self,
        url: str,
        key: UserNkey | None,
        admitted: Callable[[], list[str]],
        interval: float = 1.0,
        min_kick_interval: float = 5.0,
    ):
        self.url, self.key, self.admitted = url, key, admitted
        self.interval = interval
        self.min_kick_interval = min_kick_interval
        self.provisioned = threading.Event()
        self.resets = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-stream-keeper", daemon=True)

    def start(self, timeout: float = 15.0) -> None:
        """Start, and wait (up to `timeout`) until the streams exist."""
        self._thread.start()
        if not self.provisioned.wait(timeout):
            log.warning("hub_streams_not_provisioned", seconds=timeout)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(15)

    def _run(self) -> None:
        asyncio.run(self._keep())

    async def _keep(self) -> None:
        client: Client | None = None
        reachable: set[str] = set()
        kicked: dict[str, float] = {}
        key, inbox = self.key, reply_prefix(HUB_DOMAIN)
        while not self._stopping.is_set():
            try:
                if client is None or client.is_closed:
                    client = (
                        await connect_admin(self.url, key, reconnect=True, inbox_prefix=inbox)
                        if key is not None
                        else await nats.connect(self.url, inbox_prefix=inbox)
                    )
                reachable = await self.tick(client, reachable, kicked)
            except Exception as error:
                log.warning("hub_stream_keeper_tick_failed", error=str(error) or repr(error))
            await asyncio.to_thread(self._stopping.wait, self.interval)
        if client is not None:
            with contextlib.suppress(Exception):
                await client.close()

    async def tick(self, client: Client, reachable: set[str], kicked: dict[str, float]) -> set[str]:
        """Provision the streams for the nodes admitted now; reset the sources of each node
        that became reachable, or whose source reports an error (at most every
        `min_kick_interval` seconds). Returns the nodes reachable now."""
        nodes = self.admitted()
        jsm = client.jsm(timeout=5)
        infos = {}
        for spec in hub_streams(nodes):
            config = spec.to_config()
            try:
                info = await jsm.stream_info(spec.name)
            except NotFoundError:
                info = await jsm.add_stream(config)
                log.info("hub_stream_created", stream=spec.name, nodes=len(nodes))
            else:
                if source_shape(info.config) != source_shape(config):
                    info = await jsm.update_stream(config)
                    log.info("hub_stream_sources_updated", stream=spec.name, nodes=len(nodes))
            infos[spec.name] = info
        self.provisioned.set()
        answers = await asyncio.gather(*(self._reachable(client, node) for node in nodes))
        now_reachable = {node for node, up in zip(nodes, answers, strict=True) if up}
        errored = {
            source.name for info in infos.values() for source in info.sources or [] if source.error
        }
        now = time.monotonic()
        kick = {
            node
            for node in now_reachable
            if node not in reachable
            or (
                {node_stream_name(node), direct_stream_name(node)} & errored
                and now - kicked.get(node, 0.0) >= self.min_kick_interval
            )
        }
        if kick:
            streams = {
                name for node in kick for name in (node_stream_name(node), direct_stream_name(node))
            }
            for info in infos.values():
                await reset_sources(jsm, info.config, streams)
            kicked.update(dict.fromkeys(kick, now))
            self.resets += 1
            log.info("hub_sources_reset", nodes=sorted(kick))
        return now_reachable

    @staticmethod
    async def _reachable(client: Client, node: str) -> bool:
        """Whether `node`'s own events stream answers through its JetStream domain."""
        subject = f"$JS.{node}.API.STREAM.INFO.{node_stream_name(node)}"
        try:
            reply = await client.request(subject, b"", timeout=1.0)
            return "error" not in orjson.loads(reply.data)
        except Exception:
            return False


def admin_key_from(environ: Mapping[str, str], seed_file: Path | None) -> UserNkey:
    """The administrator's key from a file holding its seed (`<data-dir>/admin.nk`) or else
    from the environment (`$HUB_ADMIN_SEED`); never from a command line."""
    seed = environ.get(HUB_ADMIN_SEED_VARIABLE)
    if seed_file is not None:
        try:
            seed = seed_file.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise HubError(f"{seed_file}: {error}") from None
    if not seed or not seed.strip():
        raise HubError(f"no administrator seed: set ${HUB_ADMIN_SEED_VARIABLE} or --seed-file")
    try:
        return UserNkey(seed.strip())
    except ValueError:
        raise HubError("the administrator seed is not a user NKey seed (SU…)") from None


def check_node_ids(nodes: Iterable[str]) -> list[str]:
    """The node ids, each checked."""
    checked = list(nodes)
    for node in checked:
        _check_node_id(node)
    return checked


async def keep_hub_streams(
    url: str, key: UserNkey, nodes: list[str], stop: asyncio.Event
) -> HubStreamKeeper:
    """Until `stop`: keep the streams of the hub at `url` (its client port) for `nodes`,
    signing in as its administrator: what a deployed hub runs beside its nats-server
    (`edunode hub keep`). A hub not reachable yet is retried every second."""
    nodes = check_node_ids(nodes)
    keeper = HubStreamKeeper(url, key, lambda: nodes)
    await asyncio.to_thread(keeper.start)
    try:
        await stop.wait()
    finally:
        await asyncio.to_thread(keeper.stop)
    return keeper


class _NkeyClient(Client):
    """A NATS client that signs in with an NKey held by shared/nkeys (nats-py does it only
    through the `nkeys` package, which the project does without)."""

    def __init__(self, key: UserNkey) -> None:
        super().__init__()
        self._nkey = key

    def _setup_nkeys_connect(self) -> None:
        self._public_nkey = self._nkey.public_key
        self._signature_cb = lambda nonce: self._nkey.sign_nonce(nonce).encode()


async def connect_admin(
    url: str,
    key: UserNkey,
    *,
    attempts: int = 5,
    reconnect: bool = False,
    inbox_prefix: str = "_INBOX",
) -> Client:
    """A connection to the hub's client port as its administrator (`<data-dir>/admin.nk`):
    what publishes the community's signed trust list (edunode/trust_cli.py). A hub that is
    reloading (a node admitted) may drop a connection being made, or refuse its key while it
    applies its new configuration ("Authorization Violation"; a full `make test` met it once,
    the trust list published right after `edunode demo join` admitted the node): tried
    `attempts` times, so a key the hub really refuses is reported after a few seconds."""
    for attempt in range(1, attempts + 1):
        client = _NkeyClient(key)
        try:
            await client.connect(
                servers=[url],
                nkeys_seed_str=key.seed,
                connect_timeout=5,
                allow_reconnect=reconnect,
                max_reconnect_attempts=-1 if reconnect else 0,
                name="edunode-hub-admin",
                inbox_prefix=inbox_prefix,
            )
            return client
        except (OSError, NoServersError, NatsError) as error:
            refused = isinstance(error, NatsError) and "authorization" in str(error).lower()
            if attempt == attempts or not (refused or isinstance(error, OSError | NoServersError)):
                raise
            log.info("hub_admin_connect_retry", error=str(error) or type(error).__name__)
            await asyncio.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def apply_leaf_nodes(hub: HubConfig, server: NatsServer) -> str:
    """Give the running `server` the current leaf-node list. A reload applies a change to new
    links only: it refuses a revoked key from then on but leaves an established link open. So
    a revocation restarts the server (the other nodes' links reconnect by themselves within
    seconds, and sourcing resumes where it stopped); an admission, which changes no
    established link (each node's permissions are its own, whoever its peers), is a reload,
    and the hub's keeper adds the new node's sources."""
    current = hub.nats_config()
    before = {user.nkey: user.permissions for user in server.config.leaf_users}
    after = {user.nkey: user.permissions for user in current.leaf_users}
    revoked = before.keys() - after.keys()
    changed = {nkey for nkey in before.keys() & after.keys() if before[nkey] != after[nkey]}
    server.config = current
    if revoked or changed:
        server.restart()
        return "restarted"
    server.reload()
    return "reloaded"


async def follow_leaf_nodes(
    hub: HubConfig, server: NatsServer, stop: asyncio.Event, interval: float = 1.0
) -> None:
    """Until `stop`: when the leaf-node list changes, apply it to the running server (a list
    that cannot be read is logged and the running configuration kept). The server is
    restarted from this thread, the one that started it (see `die_with_parent`)."""

    def stamp() -> float | None:
        with contextlib.suppress(FileNotFoundError):
            return hub.leaf_nodes_file.stat().st_mtime
        return None

    seen = stamp()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
        current = stamp()
        if current == seen:
            continue
        seen = current
        try:
            how = apply_leaf_nodes(hub, server)
        except HubError as error:
            log.error("leaf_nodes_unreadable", error=str(error))
            continue
        log.info("leaf_nodes_applied", how=how, nodes=[u.user for u in server.config.leaf_users])
