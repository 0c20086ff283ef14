"""Federation at scale: the hub and N node nats-servers, without the Python services.

Each node is the nats-server `edunode up --hub` runs (a leaf of the hub that signs in with its
leaf NKey over TLS, with the sourcing-only permissions `edunode hub` gives it) and provisions
the streams its services provision (`shared.runtime.node_streams`: its own `EVT_<NODE>`, a
`REPLICA_<NODE>` sourcing its peers' events from the hub's `FED_EVENTS`, and the
direct-message streams), with the replica watchdog its gateway runs
(`shared.federation.ReplicaWatchdog`). The hub is `edunode hub`'s server with every node
admitted, and its keeper (`edunode.hub.HubStreamKeeper`: the hub's two streams, sourcing every
node). In place of the services, one synthetic publisher per node: the events go round the
nodes, one at a time, each published into its origin's own stream as a relay does.

For each N it prints:
- propagation from one node to all the others: the time from the origin's publish
  acknowledgement to the event being stored in each peer's replica stream, p50/p99 over
  every (event, peer) pair;
- the hub's CPU (its own `/varz`, averaged over the run) and resident memory, and the nodes'
  resident memory in all;
- convergence after a hub restart: the hub stopped, every node publishing `--offline` events
  into its own stream meanwhile, the hub started again, and the time until every node's
  replica holds every peer's events.

Targets (issue 22): at N = 50, propagation p99 ≤ 2 s and convergence ≤ 30 s.

    .venv/bin/python -m bench.federation_scale [--nodes 5,10,25,50] [--events 200] [--offline 5]

What grows with N: the hub's two streams source N streams each, and each node sources the
hub's two: 4N sourcing consumers in all (each replica sourcing every peer would need 2N(N-1),
which did not converge at N = 50); docs/federation.md discusses it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nats
import yaml
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js.api import (
    DeliverPolicy,
)

from bench.conditions import machine_load
from edunode.deploy import write_dev_certificates
from edunode.hub import HubConfig, write_leaf_nodes
from edunode.natsserver import (
    NatsServer,
    NatsServerError,
    find_free_port,
)
from edunode.node import NodeConfig, nats_server_for
from shared.bus import Bus
from shared.events import node_subject_prefix, replica_stream_name
from shared.federation import ReplicaWatchdog, reply_prefix
from shared.runtime import node_streams
from shared.trust import TrustList

PROPAGATION_P99_TARGET_S = 2.0
CONVERGENCE_TARGET_S = 30.0
TARGET_NODES = 50


# Members of the regional communities (ISO 3166-1 alpha-2, as node ids are): Asia, Europe,
# Africa, Latin America.
COUNTRIES = (
    "cn",
    "my",
    "id",
    "th",
    "vn",
    "ph",
    "sg",
    "kh",
    "la",
    "mm",
    "bn",
    "kz",
    "uz",
    "pk",
    "bd",
    "lk",
    "np",
    "mn",
    "de",
    "fr",
    "it",
    "es",
    "pt",
    "nl",
    "be",
    "at",
    "pl",
    "cz",
    "hu",
    "ro",
    "bg",
    "gr",
    "se",
    "fi",
    "dk",
    "ie",
    "ke",
    "za",
    "ng",
    "gh",
    "et",
    "eg",
    "ma",
    "tz",
    "ug",
    "rw",
    "sn",
    "ci",
    "br",
    "ar",
    "mx",
    "cl",
    "co",
    "pe",
    "uy",
    "py",
    "bo",
    "ec",
)


def node_ids(count: int) -> list[str]:
    """The first `count` member countries' node ids."""
    if count > len(COUNTRIES):
        raise SystemExit(f"at most {len(COUNTRIES)} nodes")
    return list(COUNTRIES[:count])


def write_trust_list(path: Path, nodes: list[str]) -> TrustList:
    document = {
        "version": 1,
        "nodes": [
            {"id": node, "countries": [node.upper()], "gateway_url": f"https://{node}.example"}
            for node in nodes
        ],
    }
    path.write_text(yaml.safe_dump(document))
    return TrustList.load(path)


def resident_kib(pid: int | None) -> int:
    """A process's resident set, from /proc (0 when it is gone)."""
    if pid is None:
        return 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time a process has used so far, from /proc."""
    if pid is None:
        return 0.0
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


@dataclass
class ScaleFederation:
    nodes: list[str]
    hub: NatsServer
    servers: dict[str, NatsServer]
    clients: dict[str, NatsClient] = field(default_factory=dict)
    buses: dict[str, Bus] = field(default_factory=dict)
    watchdogs: list[ReplicaWatchdog] = field(default_factory=list)

    async def replica_messages(self, node: str) -> int:
        info = await self.clients[node].jsm().stream_info(replica_stream_name(node))
        return int(info.state.messages)

    async def wait_converged(self, expected: dict[str, int], timeout: float) -> float:
        """Seconds until each node's replica holds its `expected` messages; raises on
        `timeout`."""
        started = time.monotonic()
        pending = set(self.nodes)
        while pending:
            if time.monotonic() - started > timeout:
                counts = {node: await self.replica_messages(node) for node in sorted(pending)}
                raise TimeoutError(f"not converged after {timeout:.0f} s: {counts}")
            for node in list(pending):
                with contextlib.suppress(Exception):
                    if await self.replica_messages(node) >= expected[node]:
                        pending.discard(node)
            if pending:
                await asyncio.sleep(0.1)
        return time.monotonic() - started


def start_on_a_free_port(server: NatsServer, attempts: int = 3) -> None:
    """Start `server`; on a busy machine the free port chosen a moment ago can be taken by
    another process before it binds: then choose another."""
    for attempt in range(attempts):
        try:
            server.start()
            return
        except NatsServerError:
            if attempt == attempts - 1:
                raise
            server.config.port = find_free_port()


@contextlib.asynccontextmanager
async def federation(root: Path, count: int) -> AsyncIterator[ScaleFederation]:
    nodes = node_ids(count)
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
        for node in nodes
    }
    write_leaf_nodes(
        hub_config.leaf_nodes_file,
        {node: config.leaf_key().public_key for node, config in configs.items()},
    )
    servers: dict[str, NatsServer] = {}
    for node, config in configs.items():
        server = nats_server_for(config)
        server.config.port = find_free_port()
        servers[node] = server
    hub = hub_config.server()
    scale = ScaleFederation(nodes, hub, servers)
    trust = write_trust_list(root / "trust.yaml", nodes)
    hub.start()
    try:
        for server in servers.values():
            start_on_a_free_port(server)
        await asyncio.to_thread(hub.wait_for_leafnodes, count, 60 + 2 * count)
        for node, server in servers.items():
            scale.clients[node] = await nats.connect(server.url, inbox_prefix=reply_prefix(node))
            # What a node's services provision, and the watchdog its gateway runs.
            bus = Bus(url=server.url, name=f"{node}-bench", streams=node_streams(node, trust))
            bus.start()
            scale.buses[node] = bus
        for node, bus in scale.buses.items():
            await asyncio.wait_for(bus.wait_ready(), 60)
            peers = [peer.id for peer in trust.peers_of(node)]
            watchdog = ReplicaWatchdog(bus, node, peers)
            watchdog.start()
            scale.watchdogs.append(watchdog)
        yield scale
    finally:
        for watchdog in scale.watchdogs:
            await watchdog.stop()
        for bus in scale.buses.values():
            with contextlib.suppress(Exception):
                await bus.close()
        for client in scale.clients.values():
            with contextlib.suppress(Exception):
                await client.close()
        for server in servers.values():
            server.stop()
        hub.stop()


async def publish(client: NatsClient, node: str, number: int) -> float:
    """One synthetic event into `node`'s own stream; the moment its store acknowledged it."""
    await client.jetstream().publish(
        f"{node_subject_prefix(node)}bench.event.published",
        str(number).encode(),
        headers={"Nats-Msg-Id": f"{node}-{number}"},
    )
    return time.monotonic()


async def propagation(scale: ScaleFederation, events: int) -> list[float]:
    """Latency of `events` events, origins going round the nodes, to every peer's replica."""
    arrivals: dict[tuple[str, str], float] = {}
    expected = events * (len(scale.nodes) - 1)
    all_arrived = asyncio.Event()
    subscriptions = []
    for node in scale.nodes:

        async def arrived(msg: Msg, node: str = node) -> None:
            arrivals[(node, msg.subject + ":" + msg.data.decode())] = time.monotonic()
            if len(arrivals) >= expected:
                all_arrived.set()

        subscriptions.append(
            await scale.clients[node]
            .jetstream()
            .subscribe(
                "",
                stream=replica_stream_name(node),
                cb=arrived,
                ordered_consumer=True,
                deliver_policy=DeliverPolicy.NEW,
            )
        )
    published: dict[str, tuple[str, float]] = {}
    for number in range(events):
        origin = scale.nodes[number % len(scale.nodes)]
        at = await publish(scale.clients[origin], origin, number)
        published[f"{node_subject_prefix(origin)}bench.event.published:{number}"] = (origin, at)
        # A steady trickle, as relays publish: about 20 events a second in all.
        await asyncio.sleep(0.05)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_arrived.wait(), 60)
    for subscription in subscriptions:
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()
    if len(arrivals) < expected:
        raise RuntimeError(f"only {len(arrivals)} of {expected} deliveries within 60 s")
    return [
        arrivals[(node, key)] - at
        for key, (origin, at) in published.items()
        for node in scale.nodes
        if node != origin
    ]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(count: int, events: int, offline: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"edunode-scale-{count}-") as tmp:
        async with federation(Path(tmp), count) as scale:
            # Sourcing starts with backoff while the peers' streams are being created: one
            # event from each node, and every replica holding its peers' before timing.
            for node in scale.nodes:
                await publish(scale.clients[node], node, -1)
            set_up = await scale.wait_converged({node: count - 1 for node in scale.nodes}, 300)
            hub_cpu_before = cpu_seconds(scale.hub.pid)
            window = time.monotonic()
            latencies = await propagation(scale, events)
            hub_cpu = (cpu_seconds(scale.hub.pid) - hub_cpu_before) / (time.monotonic() - window)
            hub_rss = resident_kib(scale.hub.pid)
            nodes_rss = sum(resident_kib(server.pid) for server in scale.servers.values())
            held = {
                node: count - 1 + sum(1 for n in range(events) if scale.nodes[n % count] != node)
                for node in scale.nodes
            }
            await scale.wait_converged(held, 60)

            # The hub goes away; every node keeps publishing into its own stream.
            scale.hub.stop()
            for node in scale.nodes:
                for number in range(offline):
                    await publish(scale.clients[node], node, 1_000_000 + number)
            restarted = time.monotonic()
            # The hub's keeper and the nodes' watchdogs reset the sources as the links return.
            scale.hub.start()
            await scale.wait_converged(
                {node: held[node] + offline * (count - 1) for node in scale.nodes}, 180
            )
            convergence = time.monotonic() - restarted
    return {
        "nodes": count,
        "p50": statistics.median(latencies),
        "p99": quantile(latencies, 0.99),
        "samples": len(latencies),
        "hub_cpu": hub_cpu * 100,
        "hub_rss_mib": hub_rss / 1024,
        "nodes_rss_mib": nodes_rss / 1024,
        "convergence": convergence,
        "set_up": set_up,
    }


def report(row: dict[str, float]) -> None:
    targets = ""
    if row["nodes"] >= TARGET_NODES:
        ok_p99 = "met" if row["p99"] <= PROPAGATION_P99_TARGET_S else "MISSED"
        ok_conv = "met" if row["convergence"] <= CONVERGENCE_TARGET_S else "MISSED"
        targets = (
            f"  [p99 ≤ {PROPAGATION_P99_TARGET_S:.0f} s: {ok_p99};"
            f" convergence ≤ {CONVERGENCE_TARGET_S:.0f} s: {ok_conv}]"
        )
    print(
        f"N={int(row['nodes']):>3}  propagation p50 {row['p50'] * 1000:7.1f} ms"
        f"  p99 {row['p99'] * 1000:7.1f} ms ({int(row['samples'])} deliveries)"
        f"  hub CPU {row['hub_cpu']:5.1f} %  hub RSS {row['hub_rss_mib']:6.1f} MiB"
        f"  nodes' RSS {row['nodes_rss_mib']:7.1f} MiB"
        f"  convergence after hub restart {row['convergence']:6.1f} s"
        f"  (first convergence {row['set_up']:5.1f} s){targets}",
        flush=True,
    )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nodes", default="5,10,25,50", help="comma-separated N values")
    parser.add_argument("--events", type=int, default=200, help="events timed per N")
    parser.add_argument("--offline", type=int, default=5, help="events per node while hub down")
    return parser.parse_args(argv)


def rows(arguments: argparse.Namespace) -> Iterator[int]:
    yield from (int(value) for value in arguments.nodes.split(","))


def main(argv: list[str] | None = None) -> None:
    arguments = parse(argv)
    print(
        f"targets at N={TARGET_NODES}: propagation p99 ≤ {PROPAGATION_P99_TARGET_S:.0f} s, "
        f"convergence after a hub restart ≤ {CONVERGENCE_TARGET_S:.0f} s",
        flush=True,
    )
    with machine_load():
        for count in rows(arguments):
            try:
                row = asyncio.run(measure(count, arguments.events, arguments.offline))
            except TimeoutError as error:
                print(f"N={count:>3}  no figure: {error}"[:400], flush=True)
                continue
            report(row)


if __name__ == "__main__":
    main()
