"""A QA result uploaded right after its institution was created on the same node (issue 15
item 7): the quality service learns institutions from the directory's events, a moment later;
until then it asks the node's institutions service, so the write succeeds instead of a 422
"unknown-institution" for an institution that exists. A truly unknown institution is still
422; a directory that cannot be asked gives 409 with Retry-After."""

from __future__ import annotations

import uuid

import httpx

from services.institutions.app import create_app as create_institutions_app
from services.institutions.settings import InstitutionsSettings
from services.quality.app import create_app as create_quality_app
from services.quality.settings import QualitySettings
from shared.auth import Role
from shared.db import new_id
from tests.conftest import MakeToken, ServiceLauncher, bearer
from tests.gateway.conftest import serve, unused_url
from tests.institutions.conftest import tsinghua
from tests.quality.conftest import QualityNode, evaluation_payload


async def _quality(
    services: ServiceLauncher, node: str, make_token: MakeToken, institutions_url: str
) -> QualityNode:
    """A quality service that never consumes the directory's events (its background workers
    are off): whatever it knows of an institution, it learnt by asking the directory."""
    url = services.new_migrated_database_url("services.quality", "qual")
    settings = services._settings(node, url, None) | {
        "institutions_url": institutions_url,
        "background_workers": False,
    }
    running = await services.start(create_quality_app(QualitySettings(**settings)))
    return QualityNode(running, node, make_token)


async def _directory_url(services: ServiceLauncher, node: str) -> str:
    url = services.new_migrated_database_url("services.institutions", "inst")
    app = create_institutions_app(InstitutionsSettings(**services._settings(node, url, None)))
    return await services.stack.enter_async_context(serve(app))


async def test_an_evaluation_of_a_just_created_institution_is_accepted(
    services: ServiceLauncher, node_id: str, make_token: MakeToken
) -> None:
    directory_url = await _directory_url(services, node_id)
    quality = await _quality(services, node_id, make_token, directory_url)
    agency = await quality.create_agency()
    async with httpx.AsyncClient(base_url=directory_url) as directory:
        created = await directory.post(
            "/v1/institutions",
            json=tsinghua(identifiers=[]),
            headers=bearer(make_token(Role.REGISTRAR, node=node_id)),
        )
    assert created.status_code == 201, created.text
    institution_id = created.json()["id"]

    submitted = await quality.submit(agency["id"], evaluation_payload("E-1", [institution_id]))
    assert submitted["institution_ids"] == [institution_id]
    known = await quality.client.get(f"/v1/quality/institutions/{institution_id}")
    assert known.status_code == 200, known.text
    assert known.json()["version"] == created.json()["version"]

    # An institution the directory does not have is still refused as unknown.
    unknown = str(new_id())
    response = await quality.client.post(
        "/v1/quality/evaluations",
        json=evaluation_payload("E-2", [unknown]),
        headers=quality.agency_client(agency["id"]),
    )
    assert response.status_code == 422, response.text
    assert [e["type"] for e in response.json()["errors"]] == ["unknown-institution"]


async def test_an_institution_named_by_its_identifiers_is_found_too(
    services: ServiceLauncher, node_id: str, make_token: MakeToken
) -> None:
    directory_url = await _directory_url(services, node_id)
    quality = await _quality(services, node_id, make_token, directory_url)
    agency = await quality.create_agency()
    async with httpx.AsyncClient(base_url=directory_url) as directory:
        created = await directory.post(
            "/v1/institutions",
            json=tsinghua(),  # ROR 03cve4549, Wikidata Q16955
            headers=bearer(make_token(Role.REGISTRAR, node=node_id)),
        )
    assert created.status_code == 201, created.text
    institution_id = created.json()["id"]
    by_ror = await quality.submit(
        agency["id"], evaluation_payload("E-5", ["https://ror.org/03cve4549"])
    )
    assert by_ror["institution_ids"] == [institution_id]
    by_wikidata = await quality.submit(
        agency["id"],
        evaluation_payload("E-6", [])
        | {"institutions": [{"identifier": "Q16955", "resource": "wikidata"}]},
    )
    assert by_wikidata["institution_ids"] == [institution_id]
    # An identifier no institution holds is still unknown.
    response = await quality.client.post(
        "/v1/quality/evaluations",
        json=evaluation_payload("E-7", [])
        | {"institutions": [{"identifier": "Q1", "resource": "wikidata"}]},
        headers=quality.agency_client(agency["id"]),
    )
    assert response.status_code == 422, response.text
    assert [e["type"] for e in response.json()["errors"]] == ["unknown-institution"]


async def test_a_directory_that_cannot_be_asked_gives_409_with_retry_after(
    services: ServiceLauncher, node_id: str, make_token: MakeToken
) -> None:
    quality = await _quality(services, node_id, make_token, unused_url())
    agency = await quality.create_agency()
    payload = evaluation_payload("E-3", [uuid.uuid4()])
    response = await quality.client.post(
        "/v1/quality/evaluations", json=payload, headers=quality.agency_client(agency["id"])
    )
    assert response.status_code == 409, response.text
    assert int(response.headers["Retry-After"]) >= 1
    # In a batch, the row is refused and the batch is not.
    batch = await quality.client.post(
        "/v1/quality/evaluations:batch",
        json=[payload, evaluation_payload("E-4", [uuid.uuid4()])],
        headers=quality.agency_client(agency["id"]),
    )
    assert batch.status_code == 200, batch.text
    assert [r["result"] for r in batch.json()["results"]] == ["rejected", "rejected"]
