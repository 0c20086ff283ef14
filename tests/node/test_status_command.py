"""`edunode status` against a node served over real sockets: the command reads the gateway's
`/v1/node/health` and `/v1/federation/status` over HTTP, as it would from another machine."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from joserfc.jwk import OKPKey
from typer.testing import CliRunner

from edunode.cli import app
from edunode.natsserver import NatsServer
from shared.auth import Role
from shared.trust import TrustList
from tests.conftest import MakeToken, TokenKeys, bearer, ensure_running
from tests.gateway.conftest import unused_url
from tests.served import served_node


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        body: dict[str, Any] = json.loads(self.out)
        return body


async def edunode_status(*args: str) -> Outcome:
    """Run `edunode status ARGS` in a thread while this loop keeps serving the node (in this
    process: a fresh interpreter spends seconds importing what is loaded here already)."""

    def run() -> Outcome:
        runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
        result = runner.invoke(app, ["status", *args])
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return await asyncio.wait_for(asyncio.to_thread(run), 60)


async def test_a_healthy_node_is_summarised_and_exits_0(
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    node_id: str,
) -> None:
    async with served_node(
        node_id,
        nats_url=ensure_running(nats_server).url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
    ) as node:
        for service in node.apps:
            await asyncio.wait_for(node.runtime(service).bus.wait_ready(), 10)
        table = await edunode_status("--url", node.gateway_url)
        as_json = await edunode_status("--url", node.gateway_url, "--json")

    assert table.code == 0, table.out + table.err
    for expected in ("institutions", "quality", "recognition", "ready", "healthy"):
        assert expected in table.out
    assert f"{node_id}_quality_institutions" in table.out  # the consumers table
    assert "runs on its own" in table.out  # no trust list: no federation peers
    assert as_json.code == 0
    health = as_json.json()["health"]
    assert health["healthy"] is True and health["problems"] == []
    assert set(health["services"]) == {
        "institutions",
        "quality",
        "recognition",
        "credentials",
        "mobility",
    }
    quality = health["services"]["quality"]
    assert quality["checks"] == {"database": "ok", "nats": "ok"}
    assert {c["name"] for c in quality["consumers"]} >= {f"{node_id}_quality_institutions"}
    assert all(c["pending"] == 0 for c in quality["consumers"])
    assert as_json.json()["federation"] is None


async def test_a_broker_outage_shows_as_backlog_and_unreadiness_and_exits_1(
    private_nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    make_token: MakeToken,
    node_id: str,
) -> None:
    broker = private_nats_server
    async with served_node(
        node_id,
        nats_url=broker.url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
    ) as node:
        for service in node.apps:
            await asyncio.wait_for(node.runtime(service).bus.wait_ready(), 10)
        broker.stop()
        async with httpx.AsyncClient(base_url=node.gateway_url, timeout=10) as client:
            for n in range(2):
                response = await client.post(
                    "/v1/institutions",
                    json={"name": f"Stranded University {n}", "country": "CN"},
                    headers=bearer(make_token(Role.REGISTRAR, node=node_id)),
                )
                assert response.status_code == 201, response.text
        outcome = await edunode_status("--url", node.gateway_url, "--json")
        table = await edunode_status("--url", node.gateway_url)
        broker.start()

    assert outcome.code == 1, outcome.out + outcome.err
    health = outcome.json()["health"]
    assert health["healthy"] is False
    institutions = health["services"]["institutions"]
    assert institutions["outbox"]["backlog"] == 2
    assert institutions["outbox"]["oldest_age_seconds"] > 0
    assert institutions["ready"] is False
    assert institutions["checks"]["nats"].startswith("failing")
    assert any(p.startswith("institutions: not ready (nats failing") for p in health["problems"])
    # The lag of a consumer is unknown while the broker is away, not reported as 0.
    assert all(c["pending"] is None for c in health["services"]["quality"]["consumers"])
    assert table.code == 1
    assert "unhealthy" in table.out and "problem:" in table.out


async def test_federation_peers_are_listed_and_a_missing_peer_is_a_warning(
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    node_id: str,
    tmp_path: Path,
) -> None:
    peer_key = OKPKey.generate_key("Ed25519").as_pem(private=False).decode()
    trust_file = tmp_path / "trust.yaml"
    TrustList.model_validate(
        {
            "nodes": [
                {"id": node_id, "countries": ["CN"]},
                {
                    "id": "zz",
                    "countries": ["ZZ"],
                    "keys": [{"kid": "zz:1", "public_key": peer_key}],
                },
            ]
        }
    ).dump(trust_file)
    async with served_node(
        node_id,
        nats_url=ensure_running(nats_server).url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
        trust_file=trust_file,
    ) as node:
        for service in node.apps:
            await asyncio.wait_for(node.runtime(service).bus.wait_ready(), 10)
        table = await edunode_status("--url", node.gateway_url)
        as_json = await edunode_status("--url", node.gateway_url, "--json")

    # An unreachable peer is a warning: a partitioned node keeps serving its own records.
    assert table.code == 0, table.out + table.err
    assert "federation peers" in table.out
    assert "warning: peer zz is not connected" in table.out
    federation = as_json.json()["federation"]
    assert [(peer["id"], peer["connected"]) for peer in federation["peers"]] == [("zz", False)]
    consumers = as_json.json()["health"]["services"]["quality"]["consumers"]
    assert f"REPLICA_{node_id.upper().replace('-', '_')}" in {c["stream"] for c in consumers}


async def test_a_dead_service_is_named_and_exits_1(
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    node_id: str,
) -> None:
    async with served_node(
        node_id,
        nats_url=ensure_running(nats_server).url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
        services=("institutions", "quality"),
    ) as node:
        outcome = await edunode_status("--url", node.gateway_url)

    assert outcome.code == 1, outcome.out + outcome.err
    assert "problem: recognition: unreachable" in outcome.out


async def test_no_gateway_at_the_url_exits_2() -> None:
    outcome = await edunode_status("--url", unused_url(), "--timeout", "2")
    assert outcome.code == 2
    assert "cannot read the node's health" in outcome.err
