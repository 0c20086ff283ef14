"""Attacks on the event streams of whole nodes (issue 16, items 3 and 4): a hub and two real
`edunode up` nodes, `fr` and `it`, each with its own signing key in one trust list.

The attacker reaches a node's NATS and publishes into the node's own stream `EVT_<NODE>`: an
unsigned event, or one signed with `it`'s real key about an `fr` record `it` has no authority
over. Neither may be applied by any service, at `it` or at its peers; each is quarantined and
alarms (metric, health "degraded", federation status). A replica corrupted behind the events'
back shows as a divergence and `edunode federation resync --from fr` repairs it.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import nats
import pytest

from edunode.demo import DemoFederation
from edunode.natsserver import NatsServer, find_free_port
from edunode.node import NodeConfig
from shared.events import CloudEvent, new_event, replica_stream_name
from shared.resync import read_stream
from shared.signing import load_node_signer
from tests.federation.whole_nodes import ready_token, start_node
from tests.support.network import free_port_block

pytestmark = pytest.mark.slow

NODES = ("fr", "it")


@dataclass
class Nodes:
    hub: NatsServer
    demo: DemoFederation
    configs: dict[str, NodeConfig]
    tokens: dict[str, str]

    def url(self, node: str) -> str:
        return self.configs[node].service_url("gateway")

    def auth(self, node: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[node]}"}


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nodes]:
    root = tmp_path_factory.mktemp("attacks")
    demo = DemoFederation(
        data_dir=root,
        hub_port=find_free_port(),
        leafnode_port=find_free_port(),
        monitoring_port=find_free_port(),
        nodes={node: free_port_block() for node in NODES},
    )
    demo.write_trust_list()
    hub = demo.hub().server()
    hub.start()
    configs = {config.node_id: config for config in demo.node_configs()}
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for node in NODES:
            processes[node] = start_node(configs[node], root / f"{node}.log")
        tokens = {
            node: ready_token(configs[node], processes[node], root / f"{node}.log")
            for node in NODES
        }
        hub.wait_for_leafnodes(len(NODES), timeout=30)
        yield Nodes(hub, demo, configs, tokens)
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


def _eventually(check: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout:.0f} s: {what}")
        time.sleep(0.3)


def _get(url: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(url, params=params, timeout=15)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _create_at_fr(nodes: Nodes, name: str) -> dict[str, Any]:
    response = httpx.post(
        f"{nodes.url('fr')}/v1/institutions",
        json={"name": name, "country": "FR", "city": "Lyon"},
        headers=nodes.auth("fr"),
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _replicated_everywhere(nodes: Nodes, record: dict[str, Any], name: str) -> bool:
    """`fr`'s record at `it` with `name` in the directory and in quality's copy, and every
    copy of institutions at `it` matching the directory (recognition's included)."""
    it = nodes.url("it")
    seen = httpx.get(f"{it}/v1/institutions/{record['id']}", timeout=15)
    copy = httpx.get(f"{it}/v1/quality/institutions/{record['id']}", timeout=15)
    if seen.status_code != 200 or copy.status_code != 200:
        return False
    if seen.json()["name"] != name or copy.json()["name"] != name:
        return False
    status = _get(f"{it}/v1/federation/status")
    return not _divergent_institution_copies(nodes) and status["events_pending"] == 0


def _divergent_institution_copies(nodes: Nodes) -> set[str]:
    """The copies of institutions at `it` its federation status calls divergent (the first
    test leaves a QA status quality never derived, signed by `it` itself: divergent too)."""
    divergent = _get(f"{nodes.url('it')}/v1/federation/status")["divergent"]
    return {d["copy"] for d in divergent if d["record_type"] == "institution"}


def _resync(nodes: Nodes, owner: str) -> None:
    """`edunode federation resync --from OWNER` at `it`, as its operator runs it."""
    config = nodes.configs["it"]
    command = [
        sys.executable, "-m", "edunode.cli", "federation", "resync",
        "--node", "it", "--from", owner, "--trust", str(nodes.demo.trust_file),
        "--data-dir", str(config.data_dir), "--port", str(config.port),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def _stream_event(nodes: Nodes, node: str, record_id: str, subject: str) -> CloudEvent:
    """The newest event about `record_id` under `subject` in `node`'s replica stream."""

    async def read() -> CloudEvent:
        nc = await nats.connect(nodes.configs[node].effective_nats_url)
        try:
            messages = await read_stream(nc, replica_stream_name(node), subject)
        finally:
            await nc.close()
        events = [CloudEvent.from_bytes(m.payload) for m in messages]
        return [event for event in events if event.subject == record_id][-1]

    return asyncio.run(read())


def _publish(nodes: Nodes, node: str, event: CloudEvent, headers: dict[str, str]) -> None:
    """Publish into `node`'s own stream as anyone who reaches its NATS could."""

    async def publish() -> None:
        nc = await nats.connect(nodes.configs[node].effective_nats_url)
        try:
            await nc.jetstream().publish(
                f"evt.{node}.{event.service}.{event.aggregate}.{event.action}",
                event.to_bytes(),
                headers={"Nats-Msg-Id": event.id, **headers},
            )
        finally:
            await nc.close()

    asyncio.run(publish())


def _signed_by(nodes: Nodes, node: str, event: CloudEvent) -> dict[str, str]:
    signer = load_node_signer(nodes.configs[node].federation_keys_dir, node)
    assert signer is not None
    return dict(signer.headers(event.to_bytes()))


def _status_event(node: str, institution_id: str, version: int) -> CloudEvent:
    return new_event(
        node=node,
        service="quality",
        aggregate="status",
        action="changed",
        subject=institution_id,
        data={
            "institution_id": institution_id,
            "status": "accredited",
            "as_of": date.today().isoformat(),
            "evaluation_ids": [],
        },
        version=version,
    )


def _quarantined_from(nodes: Nodes, node: str, peer: str) -> int:
    """How many of `peer`'s events `node` quarantined, as its federation status says."""
    peers = _get(f"{nodes.url(node)}/v1/federation/status")["peers"]
    return int(next(p["quarantined"] for p in peers if p["id"] == peer))


def _own_stream_refused(nodes: Nodes, node: str) -> int:
    return int(_get(f"{nodes.url(node)}/v1/federation/status")["own_stream_refused"])


def _metric(url: str, name: str) -> float:
    """The sum of a counter over its labels on a service's `/metrics`."""
    text = httpx.get(f"{url}/metrics", timeout=15).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name + "{") or line.startswith(name + " ")
    )


REFUSED = "edunode_own_stream_events_refused_total"


def test_an_unsigned_status_event_in_the_own_stream_is_quarantined_and_alarms(
    nodes: Nodes,
) -> None:
    target = _create_at_fr(nodes, "Université de Lyon (target)")
    control = _create_at_fr(nodes, "Université de Lille (control)")
    it = nodes.url("it")
    _eventually(
        lambda: all(_replicated_everywhere(nodes, r, r["name"]) for r in (target, control)),
        "fr's institutions replicated at it",
    )
    assert _get(f"{it}/v1/node/health")["status"] == "healthy"
    institutions = nodes.configs["it"].service_url("institutions")
    refused_before = _metric(institutions, REFUSED)

    _publish(nodes, "it", _status_event("it", target["id"], 50), headers={})

    # The directory and recognition both consume it's own quality events: both refuse it.
    _eventually(
        lambda: _own_stream_refused(nodes, "it") >= 2,
        "the forged status quarantined by every consumer of it's quality events",
    )
    assert _metric(institutions, REFUSED) >= refused_before + 1
    health = _get(f"{it}/v1/node/health")
    assert health["status"] == "degraded" and health["healthy"] is False
    assert health["alarms"], health
    assert health["services"]["institutions"]["own_stream_refused"] >= 1
    # Someone else's doing: not counted against the peer the event claims to come from.
    assert all(peer["quarantined"] == 0 for peer in _get(f"{it}/v1/federation/status")["peers"])

    # The same event signed by it itself is applied: only the signature made the difference.
    _publish(
        nodes,
        "it",
        event := _status_event("it", control["id"], 50),
        headers=_signed_by(nodes, "it", event),
    )
    _eventually(
        lambda: _get(f"{it}/v1/institutions/{control['id']}").get("qa_status") == "accredited",
        "it's own signed status applied",
    )
    assert _get(f"{it}/v1/institutions/{target['id']}").get("qa_status") != "accredited"
    accredited = {
        item["id"] for item in _get(f"{it}/v1/institutions", qa_status="accredited")["items"]
    }
    assert control["id"] in accredited
    assert target["id"] not in accredited


def test_an_event_signed_by_it_about_an_fr_record_is_refused_everywhere(nodes: Nodes) -> None:
    record = _create_at_fr(nodes, "Université de Nantes")
    _eventually(
        lambda: _replicated_everywhere(nodes, record, record["name"]),
        "fr's institution replicated at it",
    )
    genuine = _stream_event(nodes, "it", record["id"], "evt.fr.institutions.institution.*")
    it, fr = nodes.url("it"), nodes.url("fr")
    refused_at_it = _own_stream_refused(nodes, "it")
    quarantined_at_fr = _quarantined_from(nodes, "fr", "it")

    # it's real key, it as origin, version 99, fr's record renamed: it has no authority over FR.
    forged = new_event(
        node="it",
        service="institutions",
        aggregate="institution",
        action="updated",
        subject=record["id"],
        data={**genuine.data, "name": "Forged by it"},
        version=99,
    )
    _publish(nodes, "it", forged, headers=_signed_by(nodes, "it", forged))

    # Quality's and recognition's consumers of it's own stream refuse it ...
    _eventually(
        lambda: _own_stream_refused(nodes, "it") >= refused_at_it + 2,
        "the forged update quarantined by quality and recognition at it",
    )
    # ... and so do fr's consumers of it's stream (directory, quality, recognition).
    _eventually(
        lambda: _quarantined_from(nodes, "fr", "it") >= quarantined_at_fr + 3,
        "the forged update quarantined at fr",
    )
    assert _get(f"{it}/v1/quality/institutions/{record['id']}")["name"] == record["name"]
    assert _get(f"{it}/v1/institutions/{record['id']}")["name"] == record["name"]

    # fr's genuine update (version 2) is applied everywhere: the forged 99 blocks nothing.
    response = httpx.patch(
        f"{fr}/v1/institutions/{record['id']}",
        json={"name": "Nantes Université"},
        headers={**nodes.auth("fr"), "If-Match": f'"{record["version"]}"'},
    )
    assert response.status_code == 200, response.text
    _eventually(
        lambda: _replicated_everywhere(nodes, record, "Nantes Université"),
        "fr's genuine update applied by every service at it",
    )
    assert _get(f"{it}/v1/quality/institutions/{record['id']}")["version"] == 2
    fr_records = _get(f"{fr}/v1/federation/status")["records"]
    it_records = _get(f"{it}/v1/federation/status")["records"]
    for name in ("institution", "institution@quality", "institution@recognition"):
        assert it_records[name] == fr_records[name], name


def test_a_corrupted_replica_shows_as_divergent_and_resync_repairs_it(nodes: Nodes) -> None:
    record = _create_at_fr(nodes, "Université de Rennes")
    _eventually(
        lambda: _replicated_everywhere(nodes, record, record["name"]),
        "fr's institution replicated at it",
    )
    it_config = nodes.configs["it"]
    it = nodes.url("it")
    record_key = uuid.UUID(record["id"]).hex  # how SQLite stores a UUID column
    intruder = uuid.uuid4().hex
    # Behind the events' back: quality's copy renamed at version 99, and a French institution
    # no node ever published slipped into recognition's copy.
    with sqlite3.connect(it_config.data_dir / "db" / "quality.db") as db:
        changed = db.execute(
            "UPDATE institution_ref SET name = 'Forged', version = 99 WHERE id = ?",
            (record_key,),
        ).rowcount
    assert changed == 1
    with sqlite3.connect(it_config.data_dir / "db" / "recognition.db") as db:
        db.execute(
            "INSERT INTO institution_replica (id, origin_node, country, name, names, "
            "identifiers, status, version) VALUES (?, 'fr', 'FR', 'Fake', '[]', '[]', "
            "'active', 1)",
            (intruder,),
        )

    assert _divergent_institution_copies(nodes) == {
        "institution@quality",
        "institution@recognition",
    }

    _resync(nodes, "fr")

    assert _divergent_institution_copies(nodes) == set()
    copy = _get(f"{it}/v1/quality/institutions/{record['id']}")
    assert (copy["name"], copy["version"]) == (record["name"], 1)
    with sqlite3.connect(it_config.data_dir / "db" / "recognition.db") as db:
        assert db.execute(
            "SELECT count(*) FROM institution_replica WHERE id = ?", (intruder,)
        ).fetchone() == (0,)
    fr_records = _get(f"{nodes.url('fr')}/v1/federation/status")["records"]
    it_records = _get(f"{it}/v1/federation/status")["records"]
    for name in ("institution@quality", "institution@recognition"):
        assert it_records[name] == fr_records[name], name


def test_a_corrupted_copy_of_the_nodes_own_record_is_rebuilt_from_its_own_stream(
    nodes: Nodes,
) -> None:
    """A state forged before every consumer checked its own stream carried the node's own
    origin (an unsigned `evt.it.…` naming `it`): no origin tells it apart, so the copy is
    rebuilt from the node's own signed events."""
    it = nodes.url("it")
    response = httpx.post(
        f"{it}/v1/institutions",
        json={"name": "Università di Bologna", "country": "IT", "city": "Bologna"},
        headers=nodes.auth("it"),
    )
    assert response.status_code == 201, response.text
    record = response.json()
    copy_url = f"{it}/v1/quality/institutions/{record['id']}"
    _eventually(lambda: httpx.get(copy_url).status_code == 200, "it's institution in quality")
    _eventually(lambda: not _divergent_institution_copies(nodes), "it's copies converged")
    recognition_db = nodes.configs["it"].data_dir / "db" / "recognition.db"
    with sqlite3.connect(recognition_db) as db:
        changed = db.execute(
            "UPDATE institution_replica SET name = 'Forged', version = 99 WHERE id = ?",
            (uuid.UUID(record["id"]).hex,),
        ).rowcount
    assert changed == 1
    assert _divergent_institution_copies(nodes) == {"institution@recognition"}

    _resync(nodes, "it")

    assert _divergent_institution_copies(nodes) == set()
    with sqlite3.connect(recognition_db) as db:
        assert db.execute(
            "SELECT name, version FROM institution_replica WHERE id = ?",
            (uuid.UUID(record["id"]).hex,),
        ).fetchone() == ("Università di Bologna", 1)


def test_a_forged_qa_status_applied_before_the_fix_is_removed_by_resync(nodes: Nodes) -> None:
    """The issue's first attack, as it was before every consumer checked the node's own
    stream: an unsigned `quality.status.changed` made an `fr` institution "accredited" in
    it's directory. Nothing signed by `it` backs that status, so resync removes it, and the
    running directory (search and `?qa_status=`) follows."""
    record = _create_at_fr(nodes, "Université de Strasbourg")
    _eventually(
        lambda: _replicated_everywhere(nodes, record, record["name"]),
        "fr's institution replicated at it",
    )
    it = nodes.url("it")
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(nodes.configs["it"].data_dir / "db" / "institutions.db") as db:
        db.execute(
            "INSERT INTO institution_qa_status (subject_id, institution_id, programme_id, "
            "status, as_of, version, updated_at) VALUES (?, ?, NULL, 'accredited', NULL, 50, ?)",
            (uuid.UUID(record["id"]).hex, uuid.UUID(record["id"]).hex, now),
        )

    def accredited() -> set[str]:
        items = _get(f"{it}/v1/institutions", qa_status="accredited", limit=100)["items"]
        return {item["id"] for item in items}

    # The forged state as the attack left it: shown, and the copy diverges from quality's.
    _eventually(lambda: record["id"] in accredited(), "the forged status in search")
    divergent = _get(f"{it}/v1/federation/status")["divergent"]
    assert "qa_status@institutions" in {d["copy"] for d in divergent}

    _resync(nodes, "it")

    _eventually(lambda: record["id"] not in accredited(), "the forged status gone from search")
    assert _get(f"{it}/v1/institutions/{record['id']}").get("qa_status") != "accredited"
