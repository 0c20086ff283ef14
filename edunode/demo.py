"""`edunode demo`: a node seeded with real demo data, with an admin client ready to use.

The demo data are real institutions from the Research Organization Registry (CC0), shipped in
`edunode/demo_data/`, imported with the same code as `edunode import institutions`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

from edunode.deploy import write_dev_certificates
from edunode.hub import HubConfig, write_leaf_nodes
from edunode.node import Node, NodeConfig
from services.gateway.clients.service import create_client, create_client_async
from services.institutions.cli import ImportFormat, import_institutions
from services.quality.cli import enter_agencies, import_evaluations
from services.quality.evaluations.bulk import Row
from shared.auth import ROLE_SCOPES, Role
from shared.cli import CommandNode
from shared.signing import init_node_key
from shared.trust import TrustedKey, TrustedNode, TrustList

ADMIN_CREDENTIALS_FILE = "admin-client.json"


def ensure_admin_client(config: NodeConfig) -> dict[str, str]:
    """Create the node's demo admin client once (as `edunode clients create` does) and keep
    its credentials in the data dir."""
    path = config.data_dir / ADMIN_CREDENTIALS_FILE
    if path.exists():
        credentials: dict[str, str] = json.loads(path.read_text())
        return credentials
    client_id, client_secret = create_client(
        config.database_url_for("gateway"),
        name=f"{config.node_id} demo admin",
        role=Role.NODE_ADMIN,
        scopes=sorted(ROLE_SCOPES[Role.NODE_ADMIN]),
    )
    credentials = {
        "client_id": client_id,
        "client_secret": client_secret,
        "token_url": f"{config.service_url('gateway')}/v1/auth/token",
    }
    path.write_text(json.dumps(credentials, indent=2))
    path.chmod(0o600)
    return credentials


async def seed_node(node: Node) -> int:
    """Seed a demo node as its operator would, through the services' commands: its admin
    client (`edunode clients create`), its country's real institutions (`edunode import
    institutions --format ror`: their events go to the outbox; the running service publishes
    them and picks the rows up into its search index), then its QA agency (`edunode import
    agencies`) and evaluations of some of those institutions (`edunode import evaluations`).
    Returns how many records were created."""
    ensure_admin_client(node.config)
    target = command_node(node.config)
    created = await asyncio.to_thread(asyncio.run, seed_demo_institutions(target))
    return created + await seed_demo_quality(target)


def command_node(config: NodeConfig) -> CommandNode:
    """The node a command works on, as a running node's configuration names it."""
    return CommandNode(
        node_id=config.node_id,
        data_dir=config.data_dir,
        database_url=config.database_url,
        countries=config.countries,
    )


async def seed_demo_institutions(node: CommandNode) -> int:
    """Import the node's countries' real education institutions (ROR, CC0) shipped in
    `edunode/demo_data/ror-<country>.json.gz`; idempotent. Returns how many were created."""
    created = 0
    for country in node.countries:
        data = resources.files("edunode") / "demo_data" / f"ror-{country.lower()}.json.gz"
        if not data.is_file():
            continue
        with resources.as_file(data) as path:
            summary = await import_institutions(node, path, ImportFormat.ROR)
        created += summary.created
    return created


async def seed_demo_quality(node: CommandNode, *, wait_seconds: float = 30.0) -> int:
    """Seed the node's demo agency and evaluations of its demo institutions; returns how many
    records were created or changed (0 on a second run: everything goes by acronym and local
    identifier). The evaluations name the institutions by ROR id, which the quality service
    knows once the directory's events have brought them: the rows refused for an institution
    not there yet are imported again (up to `wait_seconds`), as an operator would."""
    template = DEMO_AGENCIES.get(node.node_id)
    if template is None:
        return 0
    agencies, _ = await enter_agencies(node, [template], keep_existing=True)
    changed = len(agencies)
    acronym = template["acronym"]
    rows: list[Row] = [
        {
            "agency": acronym,
            "local_identifier": f"DEMO-{acronym}-{position + 1:03d}",
            "activity_type": template["activities"][-1]["type"],
            "decision": decision,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "institutions": [ror],
            "summary": f"Demo {decision} result ({valid_from} to {valid_to}).",
            "files": [{"url": template["website"], "languages": ["en"]}],
        }
        for position, ((ror, _), (decision, valid_from, valid_to)) in enumerate(
            zip(DEMO_INSTITUTIONS[node.node_id], DEMO_OUTCOMES, strict=True)
        )
    ]
    deadline = asyncio.get_running_loop().time() + wait_seconds
    while rows:
        report = await import_evaluations(node, rows)
        changed += report.summary.created + report.summary.updated
        rows = [
            rows[result.index]
            for result in report.results
            if result.result == "rejected" and result.index is not None
        ]
        if asyncio.get_running_loop().time() > deadline:
            break
        if rows:
            await asyncio.sleep(0.5)
    return changed


# Illustrative records: the agencies are real, their register windows approximate.
DEMO_AGENCIES: dict[str, dict[str, Any]] = {
    "cn": {
        "name": "Higher Education Evaluation Center of the Ministry of Education",
        "acronym": "HEEC",
        "country": "CN",
        "website": "https://www.heec.edu.cn/",
        "focus_countries": [{"country": "CN", "kind": "official"}],
        "registrations": [
            {"register": "national", "valid_from": "2004-08-01", "decision": "admission"}
        ],
        "activities": [{"type": "institutional", "name": "Undergraduate teaching audit"}],
        "framework": "national",
    },
    "my": {
        "name": "Malaysian Qualifications Agency",
        "acronym": "MQA",
        "names": [{"value": "Agensi Kelayakan Malaysia", "lang": "ms"}],
        "country": "MY",
        "website": "https://www.mqa.gov.my/",
        "focus_countries": [{"country": "MY", "kind": "official"}],
        "registrations": [
            {"register": "AQAN", "valid_from": "2008-07-01", "decision": "admission"},
            {"register": "national", "valid_from": "2007-11-01", "decision": "admission"},
        ],
        "activities": [
            {"type": "programme", "name": "Programme accreditation"},
            {"type": "institutional", "name": "Institutional audit"},
        ],
        "framework": "AQAF",
    },
    "de": {
        "name": "Accreditation, Certification and Quality Assurance Institute",
        "acronym": "ACQUIN",
        "country": "DE",
        "website": "https://www.acquin.org/",
        "focus_countries": [{"country": "DE", "kind": "official"}],
        "registrations": [
            {
                "register": "EQAR",
                "valid_from": "2009-01-01",
                "valid_to": "2013-12-31",
                "decision": "admission",
            },
            {"register": "EQAR", "valid_from": "2014-01-01", "decision": "renewal"},
        ],
        "activities": [
            {"type": "programme", "name": "Programme accreditation"},
            {"type": "institutional", "name": "System accreditation"},
        ],
        "framework": "ESG 2015",
    },
    "ke": {
        # Universities Act, 2012 (No. 42 of 2012): the CUE accredits universities and their
        # programmes; it replaced the Commission for Higher Education (1985).
        "name": "Commission for University Education",
        "acronym": "CUE",
        "country": "KE",
        "website": "https://www.cue.or.ke/",
        "focus_countries": [{"country": "KE", "kind": "official"}],
        "registrations": [
            {"register": "national", "valid_from": "2012-12-13", "decision": "admission"}
        ],
        "activities": [
            {"type": "programme", "name": "Programme accreditation"},
            {"type": "institutional", "name": "University accreditation (charter)"},
        ],
        "framework": "national",
    },
    "br": {
        # Lei nº 10.861/2004 (SINAES): INEP carries out the external evaluation of
        # institutions and undergraduate courses on which MEC's accreditation rests.
        "name": "Instituto Nacional de Estudos e Pesquisas Educacionais Anísio Teixeira",
        "acronym": "INEP",
        "country": "BR",
        "website": "https://www.gov.br/inep/",
        "focus_countries": [{"country": "BR", "kind": "official"}],
        "registrations": [
            {"register": "national", "valid_from": "2004-04-14", "decision": "admission"}
        ],
        "activities": [
            {"type": "programme", "name": "Avaliação de cursos de graduação (SINAES)"},
            {"type": "institutional", "name": "Avaliação institucional externa (SINAES)"},
        ],
        "framework": "national",
    },
}
# (decision, valid_from, valid_to) of the evaluations of the first four demo institutions:
# a positive, a conditional, a negative and an expired one.
DEMO_OUTCOMES = [
    ("positive", "2021-03-01", "2027-02-28"),
    ("positive with conditions or restrictions", "2022-09-01", "2028-08-31"),
    ("negative", "2023-05-01", "2029-04-30"),
    ("positive", "2014-01-01", "2019-12-31"),
]


# The demo institutions evaluated (ROR id, display name), from `demo_data/ror-<country>.json.gz`.
DEMO_INSTITUTIONS: dict[str, list[tuple[str, str]]] = {
    "cn": [
        ("https://ror.org/013q1eq08", "Fudan University"),
        ("https://ror.org/01rxvg760", "Nanjing University"),
        ("https://ror.org/02v51f717", "Peking University"),
        ("https://ror.org/03cve4549", "Tsinghua University"),
    ],
    "my": [
        ("https://ror.org/00rzspn62", "University of Malaya"),
        ("https://ror.org/00bw8d226", "National University of Malaysia"),
        ("https://ror.org/02e91jd64", "Universiti Putra Malaysia"),
        ("https://ror.org/02rgb2k63", "Universiti Sains Malaysia"),
    ],
    "de": [
        ("https://ror.org/038t36y30", "Heidelberg University"),
        ("https://ror.org/03s7gtk40", "Leipzig University"),
        ("https://ror.org/042aqky30", "Technische Universität Dresden"),
        ("https://ror.org/03bnmw459", "University of Potsdam"),
    ],
    "ke": [
        ("https://ror.org/02y9nww90", "University of Nairobi"),
        ("https://ror.org/05p2z3x69", "Kenyatta University"),
        ("https://ror.org/01jk2zc89", "Egerton University"),
        ("https://ror.org/023pskh72", "Maseno University"),
    ],
    "br": [
        ("https://ror.org/036rp1748", "Universidade de São Paulo"),
        ("https://ror.org/04wffgt70", "Universidade Estadual de Campinas (UNICAMP)"),
        ("https://ror.org/03490as77", "Universidade Federal do Rio de Janeiro"),
        ("https://ror.org/02xfp8v59", "Universidade de Brasília"),
    ],
}


# Every node the demo can run: node id → gateway port (BRIEF §5). A node listens on its
# gateway's port and the next six (services and its nats-server: `edunode.node`), so gateways
# ten apart never share a port, and none comes near the hub's 4222, 7422 and 8222.
DEMO_NODE_PORTS = {"cn": 8000, "my": 8010, "de": 8020, "ke": 8030, "br": 8040}
# What `edunode demo` runs unless asked for more (three nodes fit a laptop: `make run`).
DEFAULT_DEMO_NODES = ("cn", "my", "de")
DEMO_NODES = {node: DEMO_NODE_PORTS[node] for node in DEFAULT_DEMO_NODES}


def demo_nodes(spec: str) -> dict[str, int]:
    """The demo nodes named by `--nodes` (`cn,my,de,ke,br`), in the order given, with their
    gateway ports; ValueError naming what is wrong (an unknown node, one named twice, none)."""
    names = [name.strip().lower() for name in spec.split(",") if name.strip()]
    if not names:
        raise ValueError("name at least one demo node, e.g. cn,my,de")
    unknown = [name for name in names if name not in DEMO_NODE_PORTS]
    if unknown:
        raise ValueError(
            f"no demo node {', '.join(unknown)}: the demo nodes are {', '.join(DEMO_NODE_PORTS)}"
        )
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"demo node {', '.join(twice)} named more than once")
    return {name: DEMO_NODE_PORTS[name] for name in names}


# Each demo node's national legal basis for recognising foreign qualifications, by name: what
# its decisions cite when no agreement or convention binds both countries.
DEMO_LEGAL_BASES = {
    # adopted 2024-04-26, in force 2025-01-01, replacing the 1980 Regulations on Academic Degrees
    "cn": "Degree Law of the People's Republic of China (2024)",
    # the Act establishing the MQA and the Malaysian Qualifications Framework
    "my": "Malaysian Qualifications Agency Act 2007 (Act 679)",
    # academic recognition is a matter for the Länder and their universities
    "de": "Higher education acts of the Länder (Landeshochschulgesetze)",
    # KNQA recognises ("equates") foreign qualifications under the Act and its Regulations
    "ke": "Kenya National Qualifications Framework Act, 2014 (No. 22 of 2014) and the "
    "KNQF Regulations, 2018",
    # foreign diplomas are revalidated (graduação) or recognised (pós-graduação) by universities
    "br": "Lei nº 9.394/1996 (Lei de Diretrizes e Bases da Educação Nacional), art. 48",
}


@dataclass
class DemoFederation:
    """A hub and the demo nodes, each a leaf of the hub with its own JetStream domain, all
    trusting each other through one generated trust list."""

    data_dir: Path
    hub_port: int = 4222
    leafnode_port: int = 7422
    monitoring_port: int = 8222
    nodes: dict[str, int] = field(default_factory=lambda: dict(DEMO_NODES))

    @property
    def trust_file(self) -> Path:
        return self.data_dir / "trust.yaml"

    def node_configs(self) -> list[NodeConfig]:
        return [
            NodeConfig(
                node_id=node_id,
                data_dir=self.data_dir / node_id,
                port=port,
                hub=f"nats-leaf://127.0.0.1:{self.leafnode_port}",
                hub_ca=self.hub_tls_dir / "ca.crt",
                trust_file=self.trust_file,
                national_legal_basis=DEMO_LEGAL_BASES.get(node_id),
            )
            for node_id, port in self.nodes.items()
        ]

    @property
    def hub_tls_dir(self) -> Path:
        return self.data_dir / "hub" / "tls"

    def hub_config(self) -> HubConfig:
        """The demo's hub as it is (nothing written)."""
        return HubConfig(
            data_dir=self.data_dir / "hub",
            port=self.hub_port,
            leafnode_port=self.leafnode_port,
            http_port=self.monitoring_port,
            tls_dir=self.hub_tls_dir,
        )

    def hub(self) -> HubConfig:
        """The hub, as an operator sets it up: a certificate for its leaf-node port (from a
        throwaway CA the nodes are given), and every demo node admitted with its leaf NKey."""
        if not (self.hub_tls_dir / "tls.crt").exists():
            write_dev_certificates(self.hub_tls_dir, ["127.0.0.1", "localhost"])
        hub = self.hub_config()
        nodes = {config.node_id: config.leaf_key().public_key for config in self.node_configs()}
        write_leaf_nodes(hub.leaf_nodes_file, nodes)
        return hub

    def write_trust_list(self) -> TrustList:
        """Keys for every node (created once) and the trust list naming them all."""
        entries = []
        for config in self.node_configs():
            init_node_key(config.federation_keys_dir, config.node_id)
            keys = [
                TrustedKey(
                    kid=f"{config.node_id}:{path.stem.split('-')[1]}", public_key=path.read_text()
                )
                for path in sorted(config.federation_keys_dir.glob("federation-*.pub"))
            ]
            entries.append(
                TrustedNode(
                    id=config.node_id,
                    countries=config.countries,
                    gateway_url=config.service_url("gateway"),
                    keys=keys,
                )
            )
        trust = TrustList(nodes=entries)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        trust.dump(self.trust_file)
        return trust


def convergence_gaps(
    statuses: Mapping[str, Mapping[str, Any]], healths: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """What keeps the federation from having converged (empty when it has), from each node's
    `/v1/federation/status` and `/v1/node/health`: every node sees every peer connected with
    nothing left to copy or apply, has published all its own events, and holds the same
    records at the same versions as every other node (equal counts and checksums). Peers
    outside the nodes given are not looked at."""
    gaps: list[str] = []
    for node, status in statuses.items():
        for peer in status["peers"]:
            if peer["id"] not in statuses:
                continue
            if not peer["connected"]:
                gaps.append(f"{node} does not reach {peer['id']}")
            elif peer["source_lag"] != 0:
                lag = "an unknown number of" if peer["source_lag"] is None else peer["source_lag"]
                gaps.append(f"{node} has {lag} events of {peer['id']} still to copy")
        if status["events_pending"]:
            gaps.append(f"{node} has {status['events_pending']} peers' events still to apply")
        if status["divergent"]:
            gaps.append(f"{node} has copies differing from their record type")
        if status.get("unavailable_services"):
            gaps.append(f"{node}: {', '.join(status['unavailable_services'])} did not answer")
    for node, health in healths.items():
        backlog = sum(
            report["outbox"]["backlog"] for report in health["services"].values() if report
        )
        if backlog:
            gaps.append(f"{node} has {backlog} of its own events still to publish")
    nodes = list(statuses)
    for node in nodes[1:]:
        first, other = statuses[nodes[0]]["records"], statuses[node]["records"]
        for record_type in sorted(set(first) | set(other)):
            if first.get(record_type) != other.get(record_type):
                gaps.append(f"{nodes[0]} and {node} hold different {record_type} records")
    return gaps


def converged_summary(statuses: Mapping[str, Mapping[str, Any]]) -> str:
    """The one line saying the federation is ready and converged."""
    records = next(iter(statuses.values()))["records"]
    total = sum(digest["count"] for name, digest in records.items() if "@" not in name)
    return (
        f"federation {', '.join(statuses)} is ready and converged: every node holds the same "
        f"{total} records (counts and checksums equal), nothing left to publish, copy or apply"
    )


async def wait_converged(
    gateways: Mapping[str, str], timeout: float = 300.0, interval: float = 1.0
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Poll every node's gateway until the federation has converged, or `timeout` seconds;
    returns the gaps left (empty: converged) and the nodes' last federation status. Two
    consecutive converged readings are asked for, so that a moment before an event is
    published does not count."""
    deadline = time.monotonic() + timeout
    calm = 0
    gaps: list[str] = ["no answer yet"]
    statuses: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(timeout=10.0) as client:
        while True:
            try:
                statuses, healths = {}, {}
                for node, url in gateways.items():
                    status = await client.get(f"{url}/v1/federation/status")
                    health = await client.get(f"{url}/v1/node/health")
                    status.raise_for_status()
                    statuses[node], healths[node] = status.json(), health.json()
                gaps = convergence_gaps(statuses, healths)
            except httpx.HTTPError as error:
                gaps = [f"a gateway did not answer: {error}"]
            calm = calm + 1 if not gaps else 0
            if calm >= 2 or time.monotonic() > deadline:
                return gaps, statuses
            await asyncio.sleep(interval)


# -- credentials: a diploma issued at cn, verified at de with cn's services stopped -----------

DEMO_DIPLOMA_INSTITUTION = ("cn", "Tsinghua University")
DEMO_DIPLOMA: dict[str, Any] = {
    "holder": {
        "given_name": "Wei",
        "family_name": "Li",
        "birth_date": "2001-03-14",
        "identifier": {"scheme": "student-id", "value": "DEMO-2020011234"},
    },
    "qualification": {
        "titles": [
            {"lang": "zh", "value": "工学学士"},
            {"lang": "en", "value": "Bachelor of Engineering"},
        ],
        "level": {"framework": "CNDL", "level": "xueshi"},
        "referenced_levels": [{"framework": "EQF", "level": "6"}],
        "isced_f": "0714",
        "credits": 160,
        "credit_system": "CN-credits",
        "award_date": "2024-06-30",
        "mode_of_study": "full_time",
    },
}


async def _university_token(client: httpx.AsyncClient, config: NodeConfig, name: str) -> str:
    """A university client of `name` at the node (as `edunode clients create --role
    university` makes it), and its access token."""
    return (await university_client(client, config, name))[0]


async def university_client(
    client: httpx.AsyncClient, config: NodeConfig, name: str
) -> tuple[str, str]:
    """A university client of `name` at the node: its access token and the institution's
    directory id."""
    found = await client.get(
        f"{config.service_url('gateway')}/v1/institutions/match",
        params={"affiliation": name, "limit": 1},
    )
    found.raise_for_status()
    institution_id = found.json()["items"][0]["institution"]["id"]
    client_id, secret = await create_client_async(
        config.database_url_for("gateway"),
        name=f"{name} registrar (demo)",
        role=Role.UNIVERSITY,
        scopes=sorted(ROLE_SCOPES[Role.UNIVERSITY]),
        institution_id=institution_id,
    )
    token = await client.post(
        f"{config.service_url('gateway')}/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    token.raise_for_status()
    return str(token.json()["access_token"]), str(institution_id)


async def _stop_services(node: Node) -> None:
    """Stop every service process of a running node, its supervisor not restarting them."""
    await node.stop_services()


async def _start_services(node: Node) -> None:
    await node.start_services()


async def demo_diploma(
    nodes: Mapping[str, Node], say: Any, *, wait_seconds: float = 120.0
) -> dict[str, Any] | None:
    """The credentials step of the demo: a diploma issued by a cn university at cn's gateway;
    once de holds cn's status list and the university (replicated), cn's services are stopped
    and de verifies it — the report is said — then cn is started again. Returns de's report
    (None when the demo has no cn or de)."""
    issuer_id, institution = DEMO_DIPLOMA_INSTITUTION
    if issuer_id not in nodes or "de" not in nodes:
        return None
    issuer, verifier = nodes[issuer_id], nodes["de"]
    verify_url = f"{verifier.config.service_url('gateway')}/v1/credentials/verify"
    async with httpx.AsyncClient(timeout=30) as client:
        token = await _university_token(client, issuer.config, institution)
        issued = await client.post(
            f"{issuer.config.service_url('gateway')}/v1/credentials/diplomas",
            json=DEMO_DIPLOMA,
            headers={"authorization": f"Bearer {token}"},
        )
        issued.raise_for_status()
        jwt = issued.json()["jwt"]
        say(f"[bold]credentials[/] a diploma of {institution} issued at {issuer_id}")
        deadline = time.monotonic() + wait_seconds
        while True:  # until de holds what it checks against (the directory, the status list)
            report = (await client.post(verify_url, json={"credential": jwt})).json()
            if report["valid"] or time.monotonic() > deadline:
                break
            await asyncio.sleep(1.0)
        await _stop_services(issuer)
        try:
            unreachable = False
            try:
                await client.get(f"{issuer.config.service_url('gateway')}/readyz", timeout=2)
            except httpx.HTTPError:
                unreachable = True
            report = (await client.post(verify_url, json={"credential": jwt})).json()
            say(
                f"[bold]credentials[/] with {issuer_id}'s services stopped "
                f"({'unreachable' if unreachable else 'still answering?'}), de verifies it: "
                + ("[green]valid[/]" if report["valid"] else "[red]not valid[/]")
            )
            for check in report["checks"]:
                say(f"    {check['name']:<16} {check['outcome']:<12} {check['reason']}")
            for level in report.get("levels", []):
                say(f"    level in {level['framework']}: {level['reason']}")
            say(
                f"    paste it at {verifier.config.service_url('gateway')}/verify "
                f"(the credential is in {issuer.config.data_dir / 'demo-diploma.jwt'})"
            )
            (issuer.config.data_dir / "demo-diploma.jwt").write_text(jwt)
        finally:
            await _start_services(issuer)
            say(f"[bold]credentials[/] {issuer_id}'s services started again")
    return dict(report)
