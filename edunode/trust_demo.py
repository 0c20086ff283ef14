"""The governed trust list in `edunode demo`: the demo's list made a signed one, and a node
joining the running demo (docs/federation.md, "Governance").

`govern_demo_trust` turns the list the demo writes into version 1 of a governed list (a
secretariat key under the demo's data dir, the draft, the signed file the nodes start with);
`publish_demo_trust` puts it on the running hub; `join_demo_node` does what a new member and
the secretariat do for a node joining the running federation — its keys, its leaf key admitted
at the hub, its entry in the list, the next version signed and published — and returns the
signed list to start it with (`edunode up --trust`). No other node restarts: each takes the
new version within seconds and sources the new node. `join_running_demo` is
`edunode demo join NODE`: all of it against the demo running in another process, then the
node itself started and seeded, and the time until the federation has converged.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from edunode.hub import HubConfig, admit, apply_leaf_nodes
from edunode.natsserver import NatsServer
from edunode.node import NodeConfig
from edunode.trust_cli import (
    add_entries,
    add_secretariat_key,
    latest_published,
    load_trust_file,
    publish,
    sign_draft,
)
from shared.signing import init_node_key
from shared.trust import SignedTrustList, TrustedKey, TrustedNode, TrustList

SECRETARIAT_DIR = "secretariat"
DRAFT_FILE = "trust-draft.yaml"
SIGNED_FILE = "trust.jws"


def govern_demo_trust(data_dir: Path, trust: TrustList) -> Path:
    """A governed list naming `trust`'s nodes, signed by a secretariat key made under
    `data_dir`: version 1 the first time; a demo started again keeps its key, draft and
    version, and a node it did not name yet is added in the next version. Returns the signed
    file."""
    draft_file, signed_file = data_dir / DRAFT_FILE, data_dir / SIGNED_FILE
    keys_dir = data_dir / SECRETARIAT_DIR
    draft = load_trust_file(draft_file)
    if draft.governed and signed_file.exists():
        missing = [node for node in trust.nodes if draft.node(node.id) is None]
        if not missing:
            return signed_file
        draft = add_entries(draft, missing)
    else:
        draft = add_secretariat_key(
            TrustList.model_validate({**dict(trust), "secretariat": []}), keys_dir, rotate=False
        )
    draft, token = sign_draft(draft, keys_dir)
    draft.dump(draft_file)
    signed_file.write_text(token + "\n", encoding="utf-8")
    return signed_file


async def publish_demo_trust(hub: HubConfig, server: NatsServer, data_dir: Path) -> TrustList:
    """Put the demo's signed list on the running hub, unless the nodes hold it already (a
    demo started again); refused if the nodes would refuse it."""
    signed = (data_dir / SIGNED_FILE).read_text(encoding="utf-8").strip()
    admin_key = hub.data_dir / "admin.nk"
    held = await latest_published(server.url, admin_key)
    if held is not None and held.strip() == signed:
        return SignedTrustList.parse(signed).self_verified()
    return await publish(server.url, admin_key, signed)


def demo_entry(config: NodeConfig) -> TrustedNode:
    """The node's keys (made once) and its entry, as `edunode keys init` prints it."""
    init_node_key(config.federation_keys_dir, config.node_id)
    keys = [
        TrustedKey(
            kid=f"{config.node_id}:{path.stem.split('-')[1]}",
            public_key=path.read_text(encoding="utf-8"),
            # valid from when it was made, as `edunode keys init` says
            valid_from=datetime.fromtimestamp(int(path.stat().st_mtime), UTC),
        )
        for path in sorted(config.federation_keys_dir.glob("federation-*.pub"))
    ]
    return TrustedNode(
        id=config.node_id,
        name=f"{config.node_id} node",
        countries=config.countries,
        gateway_url=config.service_url("gateway"),
        keys=keys,
    )


async def join_demo_node(
    data_dir: Path, hub: HubConfig, server: NatsServer | None, config: NodeConfig
) -> Path:
    """`config`'s node joins the running demo: keys, leaf key admitted (the running hub
    reloads its list: `server`'s, or, without it, the process running the hub follows the
    list), entry added, the next version signed and published. Returns the signed list to
    start the node with."""
    entry = demo_entry(config)
    admit(hub.leaf_nodes_file, config.node_id, config.leaf_key().public_key)
    if server is not None:
        apply_leaf_nodes(hub, server)
    keys_dir = data_dir / SECRETARIAT_DIR
    draft = add_entries(load_trust_file(data_dir / DRAFT_FILE), [entry])
    draft, token = sign_draft(draft, keys_dir)
    await publish(hub_url(hub), hub.data_dir / "admin.nk", token)
    draft.dump(data_dir / DRAFT_FILE)
    signed_file = data_dir / SIGNED_FILE
    signed_file.write_text(token + "\n", encoding="utf-8")
    return signed_file


def hub_url(hub: HubConfig) -> str:
    """The hub's client URL (its administrator's)."""
    return f"nats://{hub.client_host}:{hub.port}"


class DemoJoinError(ValueError):
    """A node that cannot join the demo (unknown, or no demo running to join)."""


async def join_running_demo(
    data_dir: Path, node_id: str, say: Callable[[str], None], *, wait_seconds: float = 180.0
) -> None:
    """`edunode demo join NODE`: `node_id` joins the demo running in another process (its
    hub follows its list of admitted nodes), then runs here, seeded as the demo's nodes are,
    until Ctrl-C; the time from the start of the join until every node's federation status
    agrees is said. A node that joined already is only started again."""
    from edunode.demo import DEMO_NODE_PORTS, DemoFederation, seed_node, wait_converged
    from edunode.node import Node, install_signal_handlers

    if node_id not in DEMO_NODE_PORTS:
        raise DemoJoinError(
            f"no demo node {node_id}: the demo nodes are {', '.join(DEMO_NODE_PORTS)}"
        )
    draft = load_trust_file(data_dir / DRAFT_FILE)
    if not draft.governed:
        raise DemoJoinError(f"no demo in {data_dir}: start it first with `edunode demo`")
    members = [node.id for node in draft.nodes if node.id in DEMO_NODE_PORTS]
    federation = DemoFederation(
        data_dir=data_dir,
        nodes={node: DEMO_NODE_PORTS[node] for node in [*members, node_id]},
    )
    configs = {config.node_id: config for config in federation.node_configs()}
    config = configs[node_id]
    hub = federation.hub_config()
    started = time.monotonic()
    if node_id in members:
        say(f"{node_id} is a member already (trust list version {draft.version}): starting it")
        signed = data_dir / SIGNED_FILE
    else:
        try:  # a hub listening, before anything is admitted
            socket.create_connection((hub.client_host, hub.port), timeout=3).close()
        except OSError as error:
            raise DemoJoinError(
                f"no hub answers at {hub_url(hub)} ({error}): is `edunode demo` running?"
            ) from None
        signed = await join_demo_node(data_dir, hub, None, config)
        version = load_trust_file(data_dir / DRAFT_FILE).version
        say(f"{node_id} admitted at the hub; trust list version {version} signed and published")
    config.trust_file = signed

    async def ready(running: Node) -> None:
        created = await seed_node(running)
        say(f"{node_id} is up at {config.service_url('gateway')}: {created} demo records created")
        gaps, _ = await wait_converged(
            {node: each.service_url("gateway") for node, each in configs.items()},
            timeout=wait_seconds,
        )
        elapsed = time.monotonic() - started
        if gaps:
            say(f"federation not converged after {elapsed:.1f} s: {'; '.join(gaps)}")
        else:
            say(f"{node_id} joined: every node converged {elapsed:.1f} s after the join began")

    node = Node(config, on_ready=ready)
    install_signal_handlers(node.request_stop)
    await node.run()
