"""The bigger demo (issue 22): `edunode demo --nodes cn,my,de,ke,br` builds a five-node
federation, while the default stays the three nodes that fit a laptop. The configuration is
built and checked for real (ports, trust list, hub admission, each node's national law), and
the new nodes are seeded into real SQLite databases with the same commands the demo runs. The
five nodes are not started here: 35 service processes do not fit the 2-core test machine."""

from __future__ import annotations

import asyncio
import gzip
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from contracts.institutions import Identifier, InstitutionState
from edunode.cli import app as cli
from edunode.demo import (
    DEMO_AGENCIES,
    DEMO_INSTITUTIONS,
    DEMO_NODES,
    DemoFederation,
    demo_nodes,
    seed_demo_institutions,
    seed_demo_quality,
)
from services.quality.agencies.schemas import AgencyCreate
from services.quality.institutions.service import InstitutionCopyService
from services.recognition.settings import RecognitionSettings
from shared.cli import CommandNode
from shared.db import Database, new_id, utcnow
from shared.trust import TrustList

FIVE = "cn,my,de,ke,br"


def _ror_file(country: str) -> list[dict[str, Any]]:
    data = resources.files("edunode") / "demo_data" / f"ror-{country}.json.gz"
    records: list[dict[str, Any]] = json.loads(gzip.decompress(data.read_bytes()))
    return records


def test_the_default_demo_stays_the_three_nodes() -> None:
    assert DEMO_NODES == {"cn": 8000, "my": 8010, "de": 8020}
    assert demo_nodes("cn,my,de") == DEMO_NODES
    assert DemoFederation(data_dir=Path("unused")).nodes == DEMO_NODES


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("cn,zz", "no demo node zz"),
        ("cn,my,cn", "cn named more than once"),
        (" , ", "name at least one demo node"),
    ],
)
def test_a_bad_node_list_is_refused_naming_the_problem(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        demo_nodes(spec)


def test_the_cli_refuses_a_bad_node_list_before_starting_anything(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--nodes", "cn,zz", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "no demo node zz" in result.output
    assert not (tmp_path / "trust.yaml").exists()


def test_the_five_node_demo_configuration(tmp_path: Path) -> None:
    federation = DemoFederation(data_dir=tmp_path, nodes=demo_nodes(FIVE))
    configs = federation.node_configs()
    assert [c.node_id for c in configs] == ["cn", "my", "de", "ke", "br"]
    assert [c.countries for c in configs] == [["CN"], ["MY"], ["DE"], ["KE"], ["BR"]]

    # Every port of every node and of the hub is distinct: nothing collides when all start.
    ports = [federation.hub_port, federation.leafnode_port, federation.monitoring_port]
    for config in configs:
        ports += list(config.listening_ports())
    assert len(ports) == len(set(ports)) == 3 + 5 * 7
    assert {c.node_id: c.port for c in configs}["br"] == 8040

    # Each node names its own national law for its decisions.
    for config in configs:
        env = config.service_env("recognition")
        values = {
            key.removeprefix("EDUNODE_RECOGNITION_").lower(): value for key, value in env.items()
        }
        assert RecognitionSettings.model_validate(values).national_law
    laws = {c.node_id: c.national_legal_basis or "" for c in configs}
    assert "No. 22 of 2014" in laws["ke"]
    assert "9.394/1996" in laws["br"]

    # One trust list names the five nodes, each with its country, gateway and key.
    federation.write_trust_list()
    trust = TrustList.load(federation.trust_file)
    by_id = {node.id: node for node in trust.nodes}
    assert set(by_id) == {"cn", "my", "de", "ke", "br"}
    assert by_id["ke"].countries == ["KE"] and by_id["br"].countries == ["BR"]
    assert by_id["ke"].gateway_url == "http://127.0.0.1:8030"
    for node in trust.nodes:
        assert node.keys and all(key.kid.startswith(f"{node.id}:") for key in node.keys)
    assert len({key.public_key for node in trust.nodes for key in node.keys}) == 5

    # The hub admits the five nodes' leaf connections.
    hub = federation.hub()
    admitted = yaml.safe_load(hub.leaf_nodes_file.read_text())["nodes"]
    assert set(admitted) == {"cn", "my", "de", "ke", "br"}
    assert len(set(admitted.values())) == 5


@pytest.mark.parametrize("country", ["ke", "br"])
def test_each_new_node_has_its_demo_data(country: str) -> None:
    records = _ror_file(country)
    # Only education organisations of the country, from ROR.
    for record in records:
        assert "education" in record["types"]
        assert any(
            location["geonames_details"]["country_code"] == country.upper()
            for location in record["locations"]
        )
    in_file = {record["id"] for record in records}
    assert {ror for ror, _ in DEMO_INSTITUTIONS[country]} <= in_file
    agency = AgencyCreate.model_validate(DEMO_AGENCIES[country])
    assert agency.country == country.upper()


async def _institution_copies(url: str, country: str) -> None:
    """The demo institutions in the quality service's reference table, as the directory's
    events leave them once the node runs."""
    database = Database(url)
    async with database.session() as session:
        for ror, name in DEMO_INSTITUTIONS[country]:
            state = InstitutionState(
                id=new_id(), origin_node=country, country=country.upper(), name=name,
                status="active", identifiers=[Identifier(resource="ROR", value=ror)],
                updated_at=utcnow(),
            )  # fmt: skip
            await InstitutionCopyService(session).apply_institution_state(state, 1)
    await database.dispose()


@pytest.mark.parametrize("country", ["ke", "br"])
def test_a_new_node_is_seeded_with_its_institutions_and_its_agency(
    country: str, tmp_path: Path
) -> None:
    node = CommandNode.from_options(country, tmp_path / country)
    expected = len(_ror_file(country))
    assert asyncio.run(seed_demo_institutions(node)) == expected
    assert asyncio.run(seed_demo_institutions(node)) == 0  # idempotent

    asyncio.run(_institution_copies(node.migrated_database_url("quality"), country))
    # The agency and one evaluation of each of the four demo institutions; then nothing new.
    assert asyncio.run(seed_demo_quality(node, wait_seconds=1)) == 5
    assert asyncio.run(seed_demo_quality(node, wait_seconds=1)) == 0
