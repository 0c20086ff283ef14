"""The governed trust list in `edunode demo`: the demo's list made a signed one, and a node
joining the running demo (docs/federation.md, "Governance").

`govern_demo_trust` turns the list the demo writes into version 1 of a governed list (a
secretariat key under the demo's data dir, the draft, the signed file the nodes start with);
`publish_demo_trust` puts it on the running hub; `join_demo_node` does what a new member and
the secretariat do for a node joining the running federation — its keys, its leaf key admitted
at the hub, its entry in the list, the next version signed and published — and returns the
signed list to start it with (`edunode up --trust`). No other node restarts: each takes the
new version within seconds and sources the new node.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from edunode.hub import HubConfig, admit, apply_leaf_nodes
from edunode.natsserver import NatsServer
from edunode.node import NodeConfig
from edunode.trust_cli import add_entries, add_secretariat_key, load_trust_file, publish, sign_draft
from shared.signing import init_node_key
from shared.trust import TrustedKey, TrustedNode, TrustList

SECRETARIAT_DIR = "secretariat"
DRAFT_FILE = "trust-draft.yaml"
SIGNED_FILE = "trust.jws"


def govern_demo_trust(data_dir: Path, trust: TrustList) -> Path:
    """Version 1 of a governed list naming `trust`'s nodes, signed by a secretariat key made
    under `data_dir` (once: a demo started again keeps its key and draft). Returns the signed
    file."""
    draft_file, signed_file = data_dir / DRAFT_FILE, data_dir / SIGNED_FILE
    keys_dir = data_dir / SECRETARIAT_DIR
    draft = load_trust_file(draft_file)
    if draft.governed and signed_file.exists():
        return signed_file
    draft = add_secretariat_key(
        TrustList.model_validate({**dict(trust), "secretariat": []}), keys_dir, rotate=False
    )
    draft, token = sign_draft(draft, keys_dir)
    draft.dump(draft_file)
    signed_file.write_text(token + "\n", encoding="utf-8")
    return signed_file


async def publish_demo_trust(hub: HubConfig, server: NatsServer, data_dir: Path) -> TrustList:
    """Put the demo's signed list on the running hub (refused if the nodes would refuse it)."""
    signed = (data_dir / SIGNED_FILE).read_text(encoding="utf-8")
    return await publish(server.url, hub.data_dir / "admin.nk", signed)


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
    data_dir: Path, hub: HubConfig, server: NatsServer, config: NodeConfig
) -> Path:
    """`config`'s node joins the running demo: keys, leaf key admitted (the running hub
    restarts; the links reconnect), entry added, the next version signed and published.
    Returns the signed list to start the node with."""
    entry = demo_entry(config)
    admit(hub.leaf_nodes_file, config.node_id, config.leaf_key().public_key)
    apply_leaf_nodes(hub, server)
    keys_dir = data_dir / SECRETARIAT_DIR
    draft = add_entries(load_trust_file(data_dir / DRAFT_FILE), [entry])
    draft, token = sign_draft(draft, keys_dir)
    await publish(server.url, hub.data_dir / "admin.nk", token)
    draft.dump(data_dir / DRAFT_FILE)
    signed_file = data_dir / SIGNED_FILE
    signed_file.write_text(token + "\n", encoding="utf-8")
    return signed_file
