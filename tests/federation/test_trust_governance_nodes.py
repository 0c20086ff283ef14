"""The governed trust list with whole nodes (issue 22, item 2): a hub and `cn`, `my` as real
`edunode up` processes started on the demo's signed list; a version published reaches both
gateways' `/v1/federation/nodes`, and `ke` joins the running federation (edunode/trust_demo.py)
without any other node restarting: its records reach `cn`, and `cn`'s reach it."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from edunode.demo import DemoFederation
from edunode.hub import HubConfig
from edunode.natsserver import NatsServer, find_free_port
from edunode.node import NodeConfig
from edunode.trust_cli import load_trust_file, publish, sign_draft
from edunode.trust_demo import (
    DRAFT_FILE,
    SECRETARIAT_DIR,
    govern_demo_trust,
    join_demo_node,
    publish_demo_trust,
)
from shared.trust import TrustList
from tests.federation.whole_nodes import ready_token, start_node
from tests.support.network import free_port_block

pytestmark = pytest.mark.slow


@dataclass
class Running:
    root: Path
    hub_config: HubConfig
    hub: NatsServer
    configs: dict[str, NodeConfig]
    processes: dict[str, subprocess.Popen[bytes]]
    tokens: dict[str, str]

    def url(self, node: str) -> str:
        return self.configs[node].service_url("gateway")


@pytest.fixture(scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    root = tmp_path_factory.mktemp("governed")
    demo = DemoFederation(
        data_dir=root,
        hub_port=find_free_port(),
        leafnode_port=find_free_port(),
        monitoring_port=find_free_port(),
        nodes={"cn": free_port_block(), "my": free_port_block()},
    )
    signed = govern_demo_trust(root, demo.write_trust_list())
    hub_config = demo.hub()
    hub = hub_config.server()
    hub.start()
    configs = {config.node_id: config for config in demo.node_configs()}
    for config in configs.values():
        config.trust_file = signed
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        await publish_demo_trust(hub_config, hub, root)
        for node, config in configs.items():
            processes[node] = start_node(config, root / f"{node}.log")
        tokens = {
            node: await asyncio.to_thread(
                ready_token, configs[node], processes[node], root / f"{node}.log"
            )
            for node in configs
        }
        yield Running(root, hub_config, hub, configs, processes, tokens)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        hub.stop()


async def _until(check: Callable[[], bool], what: str, timeout: float = 90.0) -> float:
    started = time.monotonic()
    while not await asyncio.to_thread(check):
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not reached in {timeout:.0f} s: {what}")
        await asyncio.sleep(0.2)
    return time.monotonic() - started


def _nodes(running: Running, node: str) -> dict[str, Any]:
    response = httpx.get(f"{running.url(node)}/v1/federation/nodes", timeout=10)
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()["items"]}


async def test_a_new_version_shows_at_every_gateway(running: Running) -> None:
    draft_file = running.root / DRAFT_FILE
    draft = load_trust_file(draft_file)
    renamed = [
        node.model_copy(update={"name": "Malaysia (renamed)"}) if node.id == "my" else node
        for node in draft.nodes
    ]
    draft = TrustList.model_validate({**dict(draft), "nodes": renamed})
    draft, token = sign_draft(draft, running.root / SECRETARIAT_DIR)
    draft.dump(draft_file)
    await publish(running.hub.url, running.hub_config.data_dir / "admin.nk", token)

    def shown() -> bool:
        return all(
            _nodes(running, node)["my"]["name"] == "Malaysia (renamed)" for node in ("cn", "my")
        )

    seconds = await _until(shown, "the renamed node at both gateways")
    print(f"\nwhole nodes: version {draft.version} at both gateways {seconds:.2f} s after publish")


def _institution(running: Running, node: str, token: str, name: str) -> str:
    response = httpx.post(
        f"{running.url(node)}/v1/institutions",
        json={"name": name, "country": node.upper(), "city": "Test"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _has(running: Running, node: str, record_id: str) -> bool:
    response = httpx.get(f"{running.url(node)}/v1/institutions/{record_id}", timeout=10)
    return response.status_code == 200


async def test_a_node_joins_the_running_federation(running: Running) -> None:
    pids = {node: process.pid for node, process in running.processes.items()}
    ke = NodeConfig(
        node_id="ke",
        data_dir=running.root / "ke",
        port=free_port_block(),
        hub=running.configs["cn"].hub,
        hub_ca=running.configs["cn"].hub_ca,
    )
    started = time.monotonic()
    ke.trust_file = await join_demo_node(running.root, running.hub_config, running.hub, ke)
    process = start_node(ke, running.root / "ke.log")
    running.processes["ke"] = process
    token = await asyncio.to_thread(ready_token, ke, process, running.root / "ke.log")
    ready = time.monotonic()
    running.configs["ke"] = ke
    await _until(
        lambda: "ke" in _nodes(running, "cn") and "ke" in _nodes(running, "my"), "ke listed"
    )
    from_ke = _institution(running, "ke", token, "Kenyatta University (test)")
    from_cn = _institution(running, "cn", running.tokens["cn"], "Tsinghua University (test)")
    await _until(
        lambda: _has(running, "cn", from_ke) and _has(running, "ke", from_cn),
        "ke's and cn's records across",
    )
    done = time.monotonic()
    print(
        f"\nwhole nodes: ke admitted, listed, started in {ready - started:.1f} s; "
        f"records across {done - ready:.1f} s after it was ready ({done - started:.1f} s in all)"
    )
    for node, pid in pids.items():
        assert running.processes[node].pid == pid and running.processes[node].poll() is None
