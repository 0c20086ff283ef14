"""Reference records (BRIEF §3, "countries without a node"): a node admin enters an institution
of a country no node has authority over, with its source; it is published and marked as such;
it is refused for a country that has a node; the country's own node's record supersedes it;
a peer's reference record is accepted by the trust list but never overrides a record."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient

from shared.auth import Role
from shared.authority import country_of_record
from shared.events import new_event
from shared.inbox import PermanentEventError
from shared.signing import init_node_key, load_node_signer
from shared.trust import TrustedKey, TrustedNode, TrustList
from tests.conftest import (
    MakeToken,
    RunningService,
    ServiceLauncher,
    bearer,
    eventually,
    stream_events,
)
from tests.institutions.test_institutions_authority import apply_replica

SOURCE = "Ministry of Education ID register, 2026-10-01"
# Universitas Indonesia: its ROR id and its code in the Indonesian higher-education database.
UI_ROR = "0116zj450"
UI_NATIONAL = "001002"


def universitas_indonesia(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Universitas Indonesia",
        "country": "ID",
        "city": "Depok",
        "type": "university",
        "names": [{"value": "University of Indonesia", "lang": "en", "kind": "english"}],
        "identifiers": [
            {"resource": "ror", "value": UI_ROR},
            {"resource": "national", "value": UI_NATIONAL},
        ],
    } | overrides


def write_trust_list(tmp_path: Path, node_id: str) -> Path:
    """This node for CN, `my` for MY and `de` for DE (its keys in `tmp_path/de-keys`):
    Indonesia has no node."""
    keys = tmp_path / "de-keys"
    init_node_key(keys, "de")
    nodes = [
        TrustedNode(id=node_id, countries=["CN"]),
        TrustedNode(id="my", countries=["MY"]),
        TrustedNode(
            id="de",
            countries=["DE"],
            keys=[
                TrustedKey(kid=f"de:{p.stem.split('-')[1]}", public_key=p.read_text())
                for p in keys.glob("federation-*.pub")
            ],
        ),
    ]
    path = tmp_path / "trust.yaml"
    TrustList(nodes=nodes).dump(path)
    return path


@pytest.fixture
def trust_file(tmp_path: Path, node_id: str) -> Path:
    return write_trust_list(tmp_path, node_id)


@pytest.fixture
async def directory(services: ServiceLauncher, node_id: str, trust_file: Path) -> RunningService:
    return await services.institutions(node_id, trust_file=trust_file)


@pytest.fixture
def admin(make_token: MakeToken, node_id: str) -> dict[str, str]:
    return bearer(make_token(Role.NODE_ADMIN, node=node_id))


async def test_admin_enters_a_reference_record_with_its_source(
    directory: RunningService, admin: dict[str, str], nats_client: NatsClient, node_id: str
) -> None:
    await directory.wait_connected()
    response = await directory.client.post(
        "/v1/institutions", json=universitas_indonesia(reference_source=SOURCE), headers=admin
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["is_reference"] is True
    assert created["reference_source"] == SOURCE
    assert created["origin_node"] == node_id and created["superseded_by"] is None
    found = await directory.client.get(f"/v1/institutions/by-identifier/ror/{UI_ROR}")
    assert found.json()["id"] == created["id"]

    async def published() -> list[Any]:
        return [
            e for _, e in await stream_events(nats_client, node_id) if e.subject == created["id"]
        ]

    events = await eventually(published, what="the reference record's event")
    assert events[0].data["reference_source"] == SOURCE and events[0].data["country"] == "ID"

    # entered twice, it is one record: the second entry is refused, naming the first
    again = await directory.client.post(
        "/v1/institutions", json=universitas_indonesia(reference_source=SOURCE), headers=admin
    )
    assert again.status_code == 409 and created["id"] in again.json()["detail"]

    # its writer may correct it; it stays a reference record with its source
    changed = await directory.client.patch(
        f"/v1/institutions/{created['id']}",
        json={"city": "Depok, West Java"},
        headers=admin | {"If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["reference_source"] == SOURCE and changed.json()["is_reference"]


async def test_only_a_node_admin_enters_reference_records(
    directory: RunningService, make_token: MakeToken, node_id: str
) -> None:
    registrar = bearer(make_token(Role.REGISTRAR, node=node_id))
    refused = await directory.client.post(
        "/v1/institutions", json=universitas_indonesia(reference_source=SOURCE), headers=registrar
    )
    assert refused.status_code == 403
    assert "node_admin" in refused.json()["detail"]
    listed = await directory.client.get("/v1/institutions", params={"country": "ID"})
    assert listed.json()["items"] == []


async def test_a_country_with_a_node_cannot_have_reference_records(
    directory: RunningService, admin: dict[str, str], node_id: str
) -> None:
    malaya = universitas_indonesia(
        name="Universiti Malaya", country="MY", identifiers=[], reference_source=SOURCE
    )
    refused = await directory.client.post("/v1/institutions", json=malaya, headers=admin)
    assert refused.status_code == 403
    problem = refused.json()
    assert problem["owner_node"] == "my" and "has a node" in problem["detail"]
    # this node's own country: its own record, not a reference one
    own = universitas_indonesia(name="Peking University", country="CN", identifiers=[])
    refused = await directory.client.post(
        "/v1/institutions", json=own | {"reference_source": SOURCE}, headers=admin
    )
    assert refused.status_code == 403 and refused.json()["owner_node"] == node_id
    # without a source, a country of no node is refused as before, saying what would work
    refused = await directory.client.post(
        "/v1/institutions", json=universitas_indonesia(), headers=admin
    )
    assert refused.status_code == 403 and "reference_source" in refused.json()["detail"]
    # a blank source is no source
    blank = await directory.client.post(
        "/v1/institutions", json=universitas_indonesia(reference_source="  "), headers=admin
    )
    assert blank.status_code == 422


async def test_the_countrys_own_node_supersedes_the_reference_record(
    directory: RunningService, admin: dict[str, str]
) -> None:
    reference = (
        await directory.client.post(
            "/v1/institutions",
            json=universitas_indonesia(
                reference_source=SOURCE, identifiers=[{"resource": "national", "value": "001002"}]
            ),
            headers=admin,
        )
    ).json()
    # an `id` node joins and publishes the same institution (same national identifier)
    owner = await apply_replica(
        directory,
        "id",
        name="Universitas Indonesia",
        country="ID",
        identifiers=[{"resource": "national", "value": UI_NATIONAL}],
    )
    retired = (await directory.client.get(f"/v1/institutions/{reference['id']}")).json()
    assert retired["superseded_by"] == owner["id"]
    assert retired["is_reference"] and retired["reference_source"] == SOURCE
    listed = (await directory.client.get("/v1/institutions", params={"country": "ID"})).json()
    assert [item["id"] for item in listed["items"]] == [owner["id"]]  # not duplicated
    held = await directory.client.get(f"/v1/institutions/by-identifier/national/{UI_NATIONAL}")
    assert held.json()["id"] == owner["id"]
    matched = await directory.client.get(
        "/v1/institutions/match", params={"affiliation": "Universitas Indonesia, Depok"}
    )
    assert reference["id"] not in {c["institution"]["id"] for c in matched.json()["items"]}
    # a superseded record no longer changes
    stale = await directory.client.patch(
        f"/v1/institutions/{reference['id']}",
        json={"city": "Jakarta"},
        headers=admin | {"If-Match": f'"{retired["version"]}"'},
    )
    assert stale.status_code == 409


async def test_a_peers_reference_record_never_overrides_a_record(
    directory: RunningService, trust_file: Path, tmp_path: Path
) -> None:
    owner = await apply_replica(
        directory,
        "id",
        name="Universitas Indonesia",
        country="ID",
        identifiers=[{"resource": "ror", "value": UI_ROR}],
    )
    peer_reference = universitas_indonesia(
        id=str(uuid.uuid4()),
        origin_node="de",
        reference_source="DAAD Hochschulkompass, 2026-09",
        updated_at="2026-10-02T00:00:00+00:00",
    )
    event = new_event(
        node="de",
        service="institutions",
        aggregate="institution",
        action="created",
        subject=peer_reference["id"],
        data=peer_reference,
        version=1,
    )
    # The trust list accepts it as the `de` node's own record (signed by `de`), although `de`
    # has no authority over ID: a reference record is its entering node's.
    signer = load_node_signer(tmp_path / "de-keys", "de")
    assert signer is not None
    payload = event.to_bytes()
    trust = TrustList.load(trust_file)
    verdict = trust.check(
        event, payload, signer.sign(payload), authority_country=country_of_record(event)
    )
    assert verdict.accepted, verdict.reason
    # ...but the same record without its reference source is an ID record `de` cannot sign
    plain = new_event(
        node="de",
        service="institutions",
        aggregate="institution",
        action="created",
        subject=peer_reference["id"],
        data={k: v for k, v in peer_reference.items() if k != "reference_source"},
        version=1,
    )
    plain_payload = plain.to_bytes()
    refused = trust.check(
        plain, plain_payload, signer.sign(plain_payload), authority_country=country_of_record(plain)
    )
    assert not refused.accepted and refused.code == "no_authority"

    runtime = directory.runtime
    async with directory.runtime.database.session() as session:
        await runtime.apply_event(session, event)
    kept = (await directory.client.get(f"/v1/institutions/{peer_reference['id']}")).json()
    assert kept["is_reference"] and kept["origin_node"] == "de"
    assert kept["superseded_by"] == owner["id"]  # arrived after the owner's: retired at once
    held = await directory.client.get(f"/v1/institutions/by-identifier/ror/{UI_ROR}")
    assert held.json()["id"] == owner["id"]

    # A reference record claiming the id of an owner's record is refused, never applied.
    hijack = new_event(
        node="de",
        service="institutions",
        aggregate="institution",
        action="updated",
        subject=owner["id"],
        data=peer_reference | {"id": owner["id"]},
        version=5,
    )
    with pytest.raises(PermanentEventError):
        async with directory.runtime.database.session() as session:
            await runtime.apply_event(session, hijack)
    assert (await directory.client.get(f"/v1/institutions/{owner['id']}")).json()[
        "origin_node"
    ] == "id"
