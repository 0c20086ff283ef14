"""Who may write what: every write route refuses the wrong role, another node's principal,
another country, a replica and (for programmes) another university — and changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

from shared.auth import Role, Scope
from shared.events import new_event
from tests.conftest import MakeToken, RunningService, bearer
from tests.institutions.conftest import create, tsinghua


async def apply_replica(service: RunningService, origin: str, **fields: Any) -> dict[str, Any]:
    """Apply another node's institution event, as the federation would."""
    state = {
        "id": str(uuid.uuid4()),
        "origin_node": origin,
        "name": "Universiti Malaya",
        "country": "MY",
        "status": "active",
        "type": "university",
        "updated_at": "2026-01-01T00:00:00+00:00",
    } | fields
    event = new_event(
        node=origin,
        service="institutions",
        aggregate="institution",
        action="created",
        subject=state["id"],
        data=state,
        version=1,
    )
    runtime = service.runtime
    async with service.runtime.database.session() as session:
        await runtime.apply_event(session, event)
    return state


async def test_every_write_route_checks_authority(
    directory: RunningService, make_token: MakeToken, node_id: str, registrar: dict[str, str]
) -> None:
    client = directory.client
    own = await create(directory, registrar)
    replica = await apply_replica(directory, "my")
    programme = (
        await client.post(
            "/v1/programmes",
            json={"institution_id": own["id"], "name": "Physics"},
            headers=registrar,
        )
    ).json()
    officer = bearer(
        make_token(
            Role.RECOGNITION_OFFICER,
            [Scope.INSTITUTIONS_WRITE, Scope.PROGRAMMES_WRITE],
            node=node_id,
        )
    )
    foreign = bearer(make_token(Role.REGISTRAR, node="my"))
    no_scope = bearer(make_token(Role.REGISTRAR, [], node=node_id))
    other_university = bearer(
        make_token(Role.UNIVERSITY, node=node_id, institution_id=uuid.uuid4())
    )
    own_university = bearer(
        make_token(Role.UNIVERSITY, node=node_id, institution_id=uuid.UUID(own["id"]))
    )
    if_match = {"If-Match": '"1"'}

    attempts: list[tuple[str, str, str, dict[str, Any], dict[str, str], int]] = [
        ("no token", "POST", "/v1/institutions", tsinghua(), {}, 401),
        ("no scope", "POST", "/v1/institutions", tsinghua(), no_scope, 403),
        ("wrong role", "POST", "/v1/institutions", tsinghua(), officer, 403),
        ("university", "POST", "/v1/institutions", tsinghua(), own_university, 403),
        ("other node", "POST", "/v1/institutions", tsinghua(), foreign, 403),
        ("other country", "POST", "/v1/institutions", tsinghua(country="MY"), registrar, 403),
        (
            "wrong role",
            "PATCH",
            f"/v1/institutions/{own['id']}",
            {"city": "X"},
            officer | if_match,
            403,
        ),
        (
            "other node",
            "PATCH",
            f"/v1/institutions/{own['id']}",
            {"city": "X"},
            foreign | if_match,
            403,
        ),
        (
            "replica",
            "PATCH",
            f"/v1/institutions/{replica['id']}",
            {"city": "X"},
            registrar | if_match,
            403,
        ),
        (
            "wrong role",
            "POST",
            "/v1/programmes",
            {"institution_id": own["id"], "name": "P"},
            officer,
            403,
        ),
        (
            "other university",
            "POST",
            "/v1/programmes",
            {"institution_id": own["id"], "name": "P"},
            other_university,
            403,
        ),
        (
            "other university",
            "POST",
            f"/v1/institutions/{own['id']}/programmes",
            {"name": "P"},
            other_university,
            403,
        ),
        (
            "replica institution",
            "POST",
            "/v1/programmes",
            {"institution_id": replica["id"], "name": "P"},
            registrar,
            403,
        ),
        (
            "other node",
            "POST",
            "/v1/programmes",
            {"institution_id": own["id"], "name": "P"},
            foreign,
            403,
        ),
        (
            "other university",
            "PATCH",
            f"/v1/programmes/{programme['id']}",
            {"name": "X"},
            other_university | if_match,
            403,
        ),
        (
            "wrong role",
            "PATCH",
            f"/v1/programmes/{programme['id']}",
            {"name": "X"},
            officer | if_match,
            403,
        ),
    ]
    for label, method, url, body, headers, expected in attempts:
        response = await client.request(method, url, json=body, headers=headers)
        assert response.status_code == expected, (label, method, url, response.text)
    replica_refusal = await client.patch(
        f"/v1/institutions/{replica['id']}", json={"city": "X"}, headers=registrar | if_match
    )
    assert replica_refusal.json()["owner_node"] == "my"

    listed = (await client.get("/v1/institutions")).json()["items"]
    assert sorted(i["id"] for i in listed) == sorted([own["id"], replica["id"]])
    assert all(i["version"] == 1 for i in listed)
    programmes = (await client.get("/v1/programmes")).json()["items"]
    assert [(p["id"], p["version"], p["name"]) for p in programmes] == [
        (programme["id"], 1, "Physics")
    ]

    # ... and the university may change its own institution's programmes.
    allowed = await client.patch(
        f"/v1/programmes/{programme['id']}",
        json={"name": "Physics (Hons)"},
        headers=own_university | if_match,
    )
    assert allowed.status_code == 200 and allowed.json()["version"] == 2
