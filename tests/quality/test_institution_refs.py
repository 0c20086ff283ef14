"""The quality service's read-only view of the directory, kept from its events, on SQLite and
PostgreSQL: what the institutions service creates and changes shows up here, versioned, and
nothing here can change it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest

from contracts.institutions import InstitutionState
from services.quality.institutions.service import InstitutionCopyService
from shared.auth import Role
from shared.db import new_id, utcnow
from shared.pagination import PAGE_SIZE_MAX
from tests.conftest import MakeToken, RunningService, ServiceLauncher, bearer, eventually


@pytest.fixture
async def quality_refs(services: ServiceLauncher, node_id: str) -> RunningService:
    running = await services.quality(node_id)
    await running.wait_connected()
    return running


def state(node: str, **fields: Any) -> InstitutionState:
    values: dict[str, Any] = {
        "id": new_id(),
        "origin_node": node,
        "country": "CN",
        "name": "Fudan University",
        "status": "active",
        "updated_at": utcnow(),
    }
    return InstitutionState.model_validate(values | fields)


async def apply(service: RunningService, institution: InstitutionState, version: int) -> bool:
    async with service.runtime.database.session() as session:
        return await InstitutionCopyService(session).apply_institution_state(institution, version)


async def test_institutions_created_and_changed_in_the_directory_show_up_here(
    services: ServiceLauncher, node_id: str, make_token: MakeToken
) -> None:
    institutions = await services.institutions(node_id)
    quality = await services.quality(node_id)
    await institutions.wait_connected()
    registrar = bearer(make_token(Role.REGISTRAR, node=node_id))
    created = await institutions.client.post(
        "/v1/institutions",
        json={"name": "Fudan University", "country": "CN", "city": "Shanghai"},
        headers=registrar,
    )
    assert created.status_code == 201, created.text
    url = f"/v1/quality/institutions/{created.json()['id']}"

    async def version_of_ref(version: int) -> dict[str, Any] | None:
        response = await quality.client.get(url)
        if response.status_code == 200 and response.json()["version"] == version:
            body: dict[str, Any] = response.json()
            return body
        return None

    first = await eventually(lambda: version_of_ref(1), what="the reference copy")
    updated = await institutions.client.patch(
        f"/v1/institutions/{created.json()['id']}",
        json={"name": "Fudan University (复旦大学)", "status": "merged"},
        headers=registrar | {"If-Match": '"1"'},
    )
    assert updated.status_code == 200, updated.text
    second = await eventually(lambda: version_of_ref(2), what="the updated reference copy")
    assert first is not None and second is not None

    assert {k: first[k] for k in ("id", "origin_node", "country", "name", "status")} == {
        "id": created.json()["id"],
        "origin_node": node_id,
        "country": "CN",
        "name": "Fudan University",
        "status": "active",
    }
    assert (second["name"], second["status"]) == ("Fudan University (复旦大学)", "merged")
    assert datetime.fromisoformat(second["updated_at"]) == datetime.fromisoformat(
        updated.json()["updated_at"]
    )
    listed = await quality.client.get("/v1/quality/institutions")
    assert [item["id"] for item in listed.json()["items"]] == [created.json()["id"]]


async def test_the_reference_list_is_paginated_and_filtered(
    quality_refs: RunningService, node_id: str
) -> None:
    chinese = [state(node_id, name=f"University {n}") for n in range(5)]
    malaysian = state("my", country="MY", name="Universiti Malaya")
    for institution in [*chinese, malaysian]:
        assert await apply(quality_refs, institution, 1)

    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2, "country": "cn"}
    for _ in range(5):
        page = (await quality_refs.client.get("/v1/quality/institutions", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]

    assert seen == sorted(str(i.id) for i in chinese)  # in id (creation) order, once each
    everything = await quality_refs.client.get("/v1/quality/institutions")
    assert len(everything.json()["items"]) == 6
    oversized = await quality_refs.client.get(
        "/v1/quality/institutions", params={"limit": PAGE_SIZE_MAX + 1}
    )
    bad_cursor = await quality_refs.client.get(
        "/v1/quality/institutions", params={"cursor": "bm90IGEgY3Vyc29y"}
    )
    assert oversized.status_code == 422
    assert bad_cursor.status_code == 400
    assert bad_cursor.headers["content-type"] == "application/problem+json"


async def test_the_reference_table_is_read_only(
    quality_refs: RunningService, node_id: str, make_token: MakeToken
) -> None:
    institution = state(node_id)
    await apply(quality_refs, institution, 1)
    admin = bearer(make_token(Role.NODE_ADMIN, node=node_id))
    url = f"/v1/quality/institutions/{institution.id}"

    attempts = [
        await quality_refs.client.post("/v1/quality/institutions", json={}, headers=admin),
        await quality_refs.client.put(url, json={"name": "x"}, headers=admin),
        await quality_refs.client.patch(url, json={"name": "x"}, headers=admin),
        await quality_refs.client.delete(url, headers=admin),
    ]

    for response in attempts:
        assert response.status_code == 405
        assert response.headers["content-type"] == "application/problem+json"
    assert (await quality_refs.client.get(url)).json()["name"] == "Fudan University"


async def test_an_unknown_institution_is_a_404_problem(quality_refs: RunningService) -> None:
    response = await quality_refs.client.get(f"/v1/quality/institutions/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "is not known to this node" in response.json()["detail"]


async def test_applying_is_idempotent_and_ignores_stale_versions(
    quality_refs: RunningService, node_id: str
) -> None:
    institution_id = new_id()
    v1 = state(node_id, id=institution_id, name="First name")
    v2 = state(node_id, id=institution_id, name="Second name")
    v3 = state(node_id, id=institution_id, name="Third name", status="closed")

    assert await apply(quality_refs, v2, 2)
    assert not await apply(quality_refs, v1, 1)  # older: ignored
    assert not await apply(quality_refs, v2, 2)  # again: ignored
    middle = (await quality_refs.client.get(f"/v1/quality/institutions/{institution_id}")).json()
    assert await apply(quality_refs, v3, 3)
    last = (await quality_refs.client.get(f"/v1/quality/institutions/{institution_id}")).json()

    assert (middle["version"], middle["name"]) == (2, "Second name")
    assert (last["version"], last["name"], last["status"]) == (3, "Third name", "closed")
