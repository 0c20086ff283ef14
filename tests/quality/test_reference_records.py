"""Reference records in the quality service (BRIEF §3, "countries without a node"): a node admin
enters the QA agency of a country no node has authority over and its evaluations, each with
its source; they count for the QA status like any other; the country's own node's agency
supersedes the reference agency; a peer's reference records pass the trust list as their
entering node's own and never override another node's record."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient

from services.quality.events import authority_of
from shared.db import utcnow
from shared.events import new_event
from shared.inbox import PermanentEventError
from tests.conftest import MakeToken, ServiceLauncher, eventually
from tests.institutions.test_reference_records import write_trust_list
from tests.quality.conftest import QualityNode, agency_payload, evaluation_payload, published_events

SOURCE = "BAN-PT accreditation directory, 2026-10-01"


@pytest.fixture
async def quality(
    services: ServiceLauncher, node_id: str, make_token: MakeToken, tmp_path: Path
) -> QualityNode:
    running = await services.quality(
        node_id, expiry_interval_seconds=3600, trust_file=write_trust_list(tmp_path, node_id)
    )
    await running.wait_connected()
    return QualityNode(running, node_id, make_token)


def ban_pt(**overrides: Any) -> dict[str, Any]:
    """Indonesia's national accreditation agency for higher education."""
    return (
        agency_payload(
            name="Badan Akreditasi Nasional Perguruan Tinggi",
            acronym="BAN-PT",
            country="ID",
            focus_countries=[{"country": "ID", "kind": "official"}],
            registrations=[
                {"register": "national", "valid_from": "1994-01-01", "decision": "admission"}
            ],
            reference_source=SOURCE,
        )
        | overrides
    )


async def test_admin_enters_a_reference_agency_and_its_evaluations(
    quality: QualityNode, nats_client: NatsClient
) -> None:
    created = await quality.client.post(
        "/v1/quality/agencies", json=ban_pt(), headers=quality.admin
    )
    assert created.status_code == 201, created.text
    agency = created.json()
    assert agency["reference_source"] == SOURCE and agency["origin_node"] == quality.node
    institution = await quality.add_institution("ID")  # the directory's reference record

    evaluation = evaluation_payload(
        "BAN-PT-2019-001",
        [institution],
        agency_id=agency["id"],
        valid_from="2019-03-01",
        valid_to="2024-02-29",
        reference_source=SOURCE,
    )
    # without its source: refused, naming the field
    missing = await quality.client.post(
        "/v1/quality/evaluations",
        json={k: v for k, v in evaluation.items() if k != "reference_source"},
        headers=quality.admin,
    )
    assert missing.status_code == 422
    assert [e["path"] for e in missing.json()["errors"]] == ["reference_source"]
    # an agency client cannot enter reference records, even for that agency
    as_agency = await quality.client.post(
        "/v1/quality/evaluations", json=evaluation, headers=quality.agency_client(agency["id"])
    )
    assert as_agency.status_code == 403
    accepted = await quality.client.post(
        "/v1/quality/evaluations", json=evaluation, headers=quality.admin
    )
    assert accepted.status_code == 201, accepted.text
    read = (await quality.client.get(f"/v1/quality/evaluations/{accepted.json()['id']}")).json()
    assert read["reference_source"] == SOURCE

    status = await quality.status(institution, "2021-06-30")
    assert status["status"] == "accredited"

    async def published() -> list[Any]:
        events = await published_events(nats_client, quality.node)
        return [e for e in events if e.aggregate in ("agency", "evaluation")]

    events = await eventually(lambda: _both(published), what="the agency and evaluation events")
    for event in events:
        assert event.data["reference_source"] == SOURCE
        # peers check these against the entering node's signature only (no country authority)
        assert authority_of(event) is None


async def _both(published: Any) -> list[Any] | None:
    events = await published()
    return events if {e.aggregate for e in events} == {"agency", "evaluation"} else None


async def test_reference_agencies_are_refused_where_a_node_has_authority(
    quality: QualityNode,
) -> None:
    mqa = ban_pt(name="Malaysian Qualifications Agency", acronym="MQA", country="MY")
    refused = await quality.client.post("/v1/quality/agencies", json=mqa, headers=quality.admin)
    assert refused.status_code == 403 and refused.json()["owner_node"] == "my"
    own = await quality.create_agency()  # a CN agency of this node
    evaluation = evaluation_payload(
        "HEEC-1", [await quality.add_institution("CN")], reference_source=SOURCE
    )
    wrong = await quality.client.post(
        "/v1/quality/evaluations", json=evaluation, headers=quality.agency_client(own["id"])
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["type"] == "not-a-reference-agency"


async def test_the_countrys_own_agency_supersedes_the_reference_agency(
    quality: QualityNode,
) -> None:
    reference = (
        await quality.client.post("/v1/quality/agencies", json=ban_pt(), headers=quality.admin)
    ).json()
    runtime = quality.service.runtime
    apply_agency = runtime.apply_event
    owner = {
        "id": str(uuid.uuid4()), "origin_node": "id", "name": reference["name"],
        "acronym": "ban-pt", "country": "ID", "focus_countries": [], "registrations": [],
        "activities": [{"type": "institutional"}], "framework": "national",
        "updated_at": utcnow().isoformat(),
    }  # fmt: skip
    event = new_event(
        node="id", service="quality", aggregate="agency", action="created",
        subject=owner["id"], data=owner, version=1,
    )  # fmt: skip
    async with runtime.database.session() as session:
        await apply_agency(session, event)
    retired = (await quality.client.get(f"/v1/quality/agencies/{reference['id']}")).json()
    assert retired["superseded_by"] == owner["id"] and retired["reference_source"] == SOURCE
    listed = (await quality.client.get("/v1/quality/agencies", params={"country": "ID"})).json()[
        "items"
    ]
    assert [a["id"] for a in listed] == [owner["id"]]
    stale = await quality.client.patch(
        f"/v1/quality/agencies/{reference['id']}",
        json={"website": "https://banpt.or.id/"},
        headers=quality.admin | {"If-Match": f'"{retired["version"]}"'},
    )
    assert stale.status_code == 409

    # a peer's reference copy of the same agency arriving later is kept, already superseded
    peer_copy = owner | {
        "id": str(uuid.uuid4()), "origin_node": "de", "reference_source": "DAAD, 2026",
    }  # fmt: skip
    async with runtime.database.session() as session:
        await apply_agency(
            session,
            new_event(
                node="de", service="quality", aggregate="agency", action="created",
                subject=peer_copy["id"], data=peer_copy, version=1,
            ),
        )  # fmt: skip
    kept = (await quality.client.get(f"/v1/quality/agencies/{peer_copy['id']}")).json()
    assert kept["superseded_by"] == owner["id"]


async def test_a_peers_reference_evaluation_never_overrides_an_evaluation(
    quality: QualityNode,
) -> None:
    agency = await quality.create_agency()
    institution = await quality.add_institution("CN")
    own = await quality.submit(agency["id"], evaluation_payload("HEEC-9", [institution]))
    runtime = quality.service.runtime
    apply_evaluation = runtime.apply_event
    forged = {
        "id": own["id"], "origin_node": "de", "agency_id": str(uuid.uuid4()),
        "local_identifier": "X", "activity_type": "institutional",
        "status": "part of obligatory EQA system", "decision": "negative",
        "valid_from": "2020-01-01", "valid_to": "2025-12-31",
        "institution_ids": [str(institution)], "updated_at": utcnow().isoformat(),
        "reference_source": "whatever", "agency_country": "ID",
    }  # fmt: skip
    with pytest.raises(PermanentEventError):
        async with runtime.database.session() as session:
            await apply_evaluation(
                session,
                new_event(
                    node="de", service="quality", aggregate="evaluation", action="updated",
                    subject=own["id"], data=forged, version=9,
                ),
            )  # fmt: skip
    read = (await quality.client.get(f"/v1/quality/evaluations/{own['id']}")).json()
    assert read["origin_node"] == quality.node and read["decision"] == "positive"
