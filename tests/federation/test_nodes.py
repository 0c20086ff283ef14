"""Whole nodes federating: a hub and `cn`, `my`, `de` as real `edunode up` processes.

`my` reaches the hub through a TCP relay the test controls, so a partition cuts exactly `my`'s
leaf connection while `cn` and `de` keep talking.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from edunode.demo import DemoFederation, wait_converged
from edunode.natsserver import NatsServer, find_free_port
from edunode.node import NodeConfig
from shared.auth import ROLE_SCOPES, Role
from tests.federation.whole_nodes import ready_token, start_node
from tests.support.network import Link, free_port_block

pytestmark = pytest.mark.slow

NODES = ("cn", "my", "de")
LATE = "fr"  # in the trust list from the start, started only by the late-joiner test


@dataclass
class RunningFederation:
    hub: NatsServer
    link: Link
    configs: dict[str, NodeConfig]
    processes: dict[str, subprocess.Popen[bytes]]
    tokens: dict[str, str]
    root: Path

    def url(self, node: str) -> str:
        return self.configs[node].service_url("gateway")

    def auth(self, node: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[node]}"}


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFederation]:
    root = tmp_path_factory.mktemp("nodes")
    ports: dict[str, int] = {}
    for node in (*NODES, LATE):
        ports[node] = free_port_block()
    demo = DemoFederation(
        data_dir=root,
        hub_port=find_free_port(),
        leafnode_port=find_free_port(),
        monitoring_port=find_free_port(),
        nodes=ports,
    )
    demo.write_trust_list()
    hub = demo.hub().server()
    hub.start()
    link = Link(target_port=demo.leafnode_port)
    configs = {config.node_id: config for config in demo.node_configs()}
    configs["my"].hub = f"nats-leaf://127.0.0.1:{link.port}"
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for node in NODES:
            processes[node] = start_node(configs[node], root / f"{node}.log")
        tokens = {
            node: ready_token(configs[node], processes[node], root / f"{node}.log")
            for node in NODES
        }
        hub.wait_for_leafnodes(3, timeout=30)
        yield RunningFederation(hub, link, configs, processes, tokens, root)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        link.cut()
        hub.stop()


def _eventually(check: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout:.0f} s: {what}")
        time.sleep(0.25)


def _create(federation: RunningFederation, node: str, name: str) -> dict[str, Any]:
    response = httpx.post(
        f"{federation.url(node)}/v1/institutions",
        json={"name": name, "country": node.upper(), "city": "Test"},
        headers=federation.auth(node),
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _rename(federation: RunningFederation, node: str, record: dict[str, Any], name: str) -> None:
    response = httpx.patch(
        f"{federation.url(node)}/v1/institutions/{record['id']}",
        json={"name": name},
        headers={**federation.auth(node), "If-Match": f'"{record["version"]}"'},
    )
    assert response.status_code == 200, response.text


def _status(federation: RunningFederation, node: str) -> dict[str, Any]:
    response = httpx.get(f"{federation.url(node)}/v1/federation/status", timeout=10)
    assert response.status_code == 200, response.text
    status: dict[str, Any] = response.json()
    return status


def test_a_record_created_at_cn_is_visible_at_my_and_de(federation: RunningFederation) -> None:
    record = _create(federation, "cn", "Lanzhou University")

    def everywhere() -> bool:
        for node in ("my", "de"):
            seen = httpx.get(f"{federation.url(node)}/v1/institutions/{record['id']}")
            if seen.status_code != 200:
                return False
            assert seen.json()["origin_node"] == "cn"
        return True

    _eventually(everywhere, what="cn's record at my and de")


def test_a_write_to_a_replica_is_refused_naming_the_owner(federation: RunningFederation) -> None:
    record = _create(federation, "cn", "Sichuan University")
    url = f"{federation.url('my')}/v1/institutions/{record['id']}"
    _eventually(lambda: httpx.get(url).status_code == 200, what="replica at my")
    response = httpx.patch(
        url,
        json={"name": "Renamed by my"},
        headers={**federation.auth("my"), "If-Match": '"1"'},
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["owner_node"] == "cn"
    assert httpx.get(url).json()["name"] == "Sichuan University"


def test_nodes_lists_the_trust_list_without_secrets(federation: RunningFederation) -> None:
    nodes = httpx.get(f"{federation.url('de')}/v1/federation/nodes").json()
    assert {node["id"] for node in nodes["items"]} == {*NODES, LATE}
    assert all("PRIVATE" not in str(node) for node in nodes["items"])


def test_my_converges_after_a_partition(federation: RunningFederation) -> None:
    federation.link.cut()
    try:
        created = {
            node: [_create(federation, node, f"Partition {node} {i}") for i in range(25)]
            for node in ("cn", "de")
        }
        for node, records in created.items():
            for record in records:
                _rename(federation, node, record, f"{record['name']} (renamed)")
        probe = created["cn"][0]["id"]
        time.sleep(1)
        assert httpx.get(f"{federation.url('my')}/v1/institutions/{probe}").status_code == 404
        # my keeps serving reads and writes while cut off
        _create(federation, "my", "Written during the partition")
    finally:
        federation.link.heal()

    def converged() -> bool:
        digests = [_status(federation, node)["records"]["institution"] for node in NODES]
        return all(digest == digests[0] for digest in digests)

    _eventually(converged, timeout=90, what="equal institution counts and checksums")
    for node in NODES:
        status = _status(federation, node)
        assert all(peer["quarantined"] == 0 for peer in status["peers"])


def test_the_demo_convergence_check_sees_a_partition_then_convergence(
    federation: RunningFederation,
) -> None:
    """`edunode demo`'s last start-up line comes from `wait_converged`: it must not say
    converged while a node is cut off with a peer's write it has not got, and must once the
    link is back."""
    gateways = {node: federation.url(node) for node in NODES}
    federation.link.cut()
    try:
        _create(federation, "cn", "Written while my is cut off")
        gaps, _ = asyncio.run(wait_converged(gateways, timeout=5, interval=0.5))
        assert gaps and all("my" in gap.split() for gap in gaps), gaps  # only my is behind
    finally:
        federation.link.heal()
    gaps, statuses = asyncio.run(wait_converged(gateways, timeout=120, interval=0.5))
    assert gaps == []
    assert len({str(status["records"]) for status in statuses.values()}) == 1


APPLICANT = {
    "given_name": "Nur Aisyah",
    "family_name": "Binti Rahman",
    "birth_date": "1998-03-14",
    "nationality": "MY",
    "email": "aisyah.rahman@example.org",
    "phone": "+60 13 555 0101",
    "address": "7 Jalan Bukit Bintang, 55100 Kuala Lumpur",
}
UNIVERSITY_OF_MALAYA = "https://ror.org/00rzspn62"


async def _all_stream_payloads(nats_url: str) -> str:
    """Every message of every stream of one node, as text."""
    import nats

    client = await nats.connect(nats_url)
    try:
        jsm = client.jsm()
        texts = []
        for info in await jsm.streams_info():
            for sequence in range(info.state.first_seq, info.state.last_seq + 1):
                with contextlib.suppress(Exception):
                    message = await jsm.get_msg(str(info.config.name), sequence)
                    texts.append((message.data or b"").decode("utf-8", "replace"))
                    texts.append(str(message.headers or {}))
        return "\n".join(texts)
    finally:
        await client.close()


def test_the_brief_journey_a_malaysian_degree_recognised_at_cn(
    federation: RunningFederation,
) -> None:
    """BRIEF §1: MY publishes its university and MQA's accreditation; CN's officer assesses a
    Malaysian bachelor's with the replicated records, decides, and the anonymised decision
    reaches the other nodes while the applicant's data stays at CN."""
    from edunode.demo import command_node, seed_demo_institutions, seed_demo_quality
    from services.gateway.clients.service import create_client
    from services.institutions.bulk.formats import id_from_ror

    my = command_node(federation.configs["my"])
    assert asyncio.run(seed_demo_institutions(my)) > 0
    assert asyncio.run(seed_demo_quality(my)) > 0
    client_id, secret = create_client(
        federation.configs["cn"].database_url_for("gateway"),
        name="cn officer",
        role=Role.RECOGNITION_OFFICER,
        scopes=sorted(ROLE_SCOPES[Role.RECOGNITION_OFFICER]),
    )
    cn = federation.url("cn")
    token = httpx.post(
        f"{cn}/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    ).json()["access_token"]
    officer = {"Authorization": f"Bearer {token}"}
    university = str(id_from_ror(UNIVERSITY_OF_MALAYA))
    case = httpx.post(
        f"{cn}/v1/recognition/cases",
        headers=officer,
        json={
            "applicant": APPLICANT,
            "purpose": "further_study",
            "qualification": {
                "institution_id": university,
                "country": "MY",
                "title": "Bachelor of Computer Science",
                "level": "MQF:6",
                "field": "0613",
                "credits": 130,
                "credit_system": "MY",
                "mode": "full-time",
                "awarded_on": "2022-06-30",
            },
            "target_level": "CNDL:xueshi",
        },
    )
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    for target in ("submitted", "complete"):
        moved = httpx.post(
            f"{cn}/v1/recognition/cases/{case_id}/status",
            headers=officer,
            json={"to": target, "legal_reason": f"file {target}"},
        )
        assert moved.status_code == 200, moved.text

    assessment: dict[str, Any] = {}

    def recognised() -> bool:
        nonlocal assessment
        response = httpx.post(f"{cn}/v1/recognition/cases/{case_id}/assessment", headers=officer)
        assert response.status_code == 200, response.text
        assessment = response.json()
        return bool(assessment["recommendation"] == "recognised")

    _eventually(recognised, timeout=90, what="a recognised recommendation from replicated data")
    text = str(assessment)
    assert university in text  # the institution replicated from my
    assert "cn-my-2011" in text  # the 2011 agreement
    decided = httpx.post(
        f"{cn}/v1/recognition/cases/{case_id}/decision",
        headers=officer,
        json={
            "outcome": "recognised",
            "legal_basis": {"kind": "bilateral agreement", "reference": "cn-my-2011"},
        },
    )
    assert decided.status_code == 201, decided.text

    def published_everywhere() -> bool:
        for node in ("my", "de"):
            items = httpx.get(
                f"{federation.url(node)}/v1/recognition/decisions",
                params={"institution": university},
            ).json()["items"]
            if not any(item["origin_node"] == "cn" for item in items):
                return False
        return True

    _eventually(published_everywhere, what="cn's anonymised decision at my and de")
    for node in NODES:
        payloads = _assert_no_applicant_data(federation, node)
        assert "recognition.decision.published" in payloads or node != "cn"


def _assert_no_applicant_data(federation: RunningFederation, node: str) -> str:
    """Every stream of `node` as text, checked for the applicant's personal data."""
    payloads = asyncio.run(_all_stream_payloads(federation.configs[node].effective_nats_url))
    for value in APPLICANT.values():
        if value == "MY":
            continue  # also the country of the institution, not personal by itself
        assert value not in payloads, f"{value!r} is in a stream of {node}"
    return payloads


def test_an_indonesian_degree_is_recognised_at_cn_on_reference_records(
    federation: RunningFederation,
) -> None:
    """Indonesia has no node (docs/reference-records.md): cn's admin enters Universitas
    Indonesia, BAN-PT and its accreditation as reference records with their source, and an
    agreement with Indonesia; cn's officer gets "recognised", saying it rests on them; the
    records reach de as cn's reference records. A country with a node (fr, in the trust list
    though not running) is refused."""
    cn, admin = federation.url("cn"), federation.auth("cn")
    source = "Ministry of Education ID register, 2026-10-01"
    refused = httpx.post(
        f"{cn}/v1/institutions",
        headers=admin,
        json={"name": "Sorbonne Université", "country": "FR", "reference_source": source},
    )
    assert refused.status_code == 403 and refused.json()["owner_node"] == "fr"
    institution = httpx.post(
        f"{cn}/v1/institutions",
        headers=admin,
        json={
            "name": "Universitas Indonesia",
            "country": "ID",
            "city": "Depok",
            "identifiers": [{"resource": "ror", "value": "0116zj450"}],
            "reference_source": source,
        },
    )
    assert institution.status_code == 201, institution.text
    institution_id = institution.json()["id"]
    agency = httpx.post(
        f"{cn}/v1/quality/agencies",
        headers=admin,
        json={
            "name": "Badan Akreditasi Nasional Perguruan Tinggi",
            "acronym": "BAN-PT",
            "country": "ID",
            "registrations": [{"register": "national", "valid_from": "1994-01-01"}],
            "activities": [{"type": "institutional"}],
            "reference_source": "BAN-PT accreditation directory, 2026-10-01",
        },
    )
    assert agency.status_code == 201, agency.text
    _eventually(
        lambda: httpx.get(f"{cn}/v1/quality/institutions/{institution_id}").status_code == 200,
        what="the reference institution at cn's quality service",
    )
    evaluation = httpx.post(
        f"{cn}/v1/quality/evaluations",
        headers=admin,
        json={
            "agency_id": agency.json()["id"],
            "local_identifier": "BAN-PT-2019-001",
            "activity_type": "institutional",
            "decision": "positive",
            "valid_from": "2019-03-01",
            "valid_to": "2024-02-29",
            "institutions": [institution_id],
            "files": [{"url": "https://banpt.or.id/direktori", "languages": ["id"]}],
            "reference_source": "BAN-PT accreditation directory, 2026-10-01",
        },
    )
    assert evaluation.status_code == 201, evaluation.text
    agreement = httpx.post(
        f"{cn}/v1/recognition/agreements",
        headers=admin,
        json={
            "title": "China-Indonesia mutual recognition of higher education degrees (test)",
            "kind": "bilateral",
            "parties": ["CN", "ID"],
            "in_force_on": "2023-10-17",
            "levels": ["QF-EHEA:first", "QF-EHEA:second", "QF-EHEA:third"],
            "source": {"title": "test fixture"},
        },
    )
    assert agreement.status_code == 201, agreement.text

    from services.gateway.clients.service import create_client

    client_id, secret = create_client(
        federation.configs["cn"].database_url_for("gateway"),
        name="cn officer for ID",
        role=Role.RECOGNITION_OFFICER,
        scopes=sorted(ROLE_SCOPES[Role.RECOGNITION_OFFICER]),
    )
    token = httpx.post(
        f"{cn}/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    ).json()["access_token"]
    officer = {"Authorization": f"Bearer {token}"}
    case = httpx.post(
        f"{cn}/v1/recognition/cases",
        headers=officer,
        json={
            "applicant": APPLICANT,
            "purpose": "further_study",
            "qualification": {
                "institution_id": institution_id,
                "country": "ID",
                "title": "Sarjana Teknik",
                "level": "KKNI:6",
                "field": "0714",
                "credits": 144,
                "credit_system": "ID-SKS",
                "mode": "full-time",
                "awarded_on": "2022-08-31",
            },
            "target_level": "CNDL:xueshi",
        },
    )
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    for target in ("submitted", "complete"):
        moved = httpx.post(
            f"{cn}/v1/recognition/cases/{case_id}/status",
            headers=officer,
            json={"to": target, "legal_reason": f"file {target}"},
        )
        assert moved.status_code == 200, moved.text
    assessment: dict[str, Any] = {}

    def recognised() -> bool:
        nonlocal assessment
        response = httpx.post(f"{cn}/v1/recognition/cases/{case_id}/assessment", headers=officer)
        assert response.status_code == 200, response.text
        assessment = response.json()
        return bool(assessment["recommendation"] == "recognised")

    _eventually(recognised, timeout=90, what="a recognised recommendation on reference records")
    assert {r["kind"] for r in assessment["reference_records"]} == {
        "institution",
        "agency",
        "evaluation",
    }
    assert all(r["entered_by"] == "cn" for r in assessment["reference_records"])
    assert any(source in reason for reason in assessment["reasons"])

    def kept_at_de() -> bool:
        response = httpx.get(f"{federation.url('de')}/v1/institutions/{institution_id}")
        return response.status_code == 200

    _eventually(kept_at_de, what="cn's reference institution at de")
    at_de = httpx.get(f"{federation.url('de')}/v1/institutions/{institution_id}").json()
    assert at_de["is_reference"] and at_de["origin_node"] == "cn"
    assert at_de["reference_source"] == source


def test_a_node_that_joins_late_bootstraps_everything_public(
    federation: RunningFederation,
) -> None:
    """`fr` starts only now, after every other test has written records (and the journey has
    published an agency, an evaluation and a decision): the peers' streams give it all."""
    config = federation.configs[LATE]
    federation.processes[LATE] = start_node(config, federation.root / f"{LATE}.log")
    federation.tokens[LATE] = ready_token(
        config, federation.processes[LATE], federation.root / f"{LATE}.log"
    )

    def bootstrapped() -> bool:
        late = _status(federation, LATE)["records"]
        return bool(late["institution"]["count"]) and all(
            _status(federation, node)["records"] == late for node in NODES
        )

    _eventually(bootstrapped, timeout=120, what=f"{LATE} holding every public record")
    records = _status(federation, LATE)["records"]
    assert records["institution"]["count"] >= 50 and records["evaluation"]["count"] >= 1
    assert records["decision"]["count"] >= 1
    assert "recognition.decision.published" in _assert_no_applicant_data(federation, LATE)
