"""Events: one per change with the whole new state; applying events from any node by version;
QA status consumed from the quality service's events; reference copies superseded."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient

from contracts.institutions import InstitutionState, ProgrammeState
from shared.events import CloudEvent, new_event
from tests.conftest import RunningService, eventually, stream_events
from tests.institutions.conftest import create, version_in
from tests.institutions.test_institutions_authority import apply_replica


async def test_every_change_publishes_its_whole_state(
    directory: RunningService, registrar: dict[str, str], nats_client: NatsClient, node_id: str
) -> None:
    await directory.wait_connected()
    institution = await create(directory, registrar)
    url = f"/v1/institutions/{institution['id']}"
    await directory.client.patch(
        url, json={"city": "北京"}, headers=registrar | {"If-Match": '"1"'}
    )
    await directory.client.patch(
        url, json={"city": "北京"}, headers=registrar | {"If-Match": '"2"'}
    )
    programme = (
        await directory.client.post(
            "/v1/programmes",
            json={"institution_id": institution["id"], "name": "Physics"},
            headers=registrar,
        )
    ).json()
    await directory.client.patch(
        f"/v1/programmes/{programme['id']}",
        json={"mode": "part-time"},
        headers=registrar | {"If-Match": '"1"'},
    )

    async def four() -> list[Any]:
        events = await stream_events(nats_client, node_id)
        return events if len(events) >= 4 else []

    events = await eventually(four, what="four events")
    assert [(subject, e.type, e.aggregateversion) for subject, e in events] == [
        (
            f"evt.{node_id}.institutions.institution.created",
            "institutions.institution.created.v1",
            1,
        ),
        (
            f"evt.{node_id}.institutions.institution.updated",
            "institutions.institution.updated.v1",
            2,
        ),
        (f"evt.{node_id}.institutions.programme.created", "institutions.programme.created.v1", 1),
        (f"evt.{node_id}.institutions.programme.updated", "institutions.programme.updated.v1", 2),
    ]  # the change that changed nothing published nothing
    state = events[1][1].data
    assert state["city"] == "北京" and state["name"] == "Tsinghua University"
    assert state["origin_node"] == node_id and len(state["names"]) == 5
    assert {"id", "country", "identifiers", "type", "status", "updated_at"} <= set(state)
    assert events[3][1].data["mode"] == "part-time"
    # Each speaks the published language, which names every field published.
    for _, event in events:
        schema = InstitutionState if event.aggregate == "institution" else ProgrammeState
        assert str(schema.model_validate(event.data).id) == event.subject
        assert set(event.data) <= set(schema.model_fields), set(event.data) - set(
            schema.model_fields
        )


async def test_apply_by_version_ignores_stale_events(directory: RunningService) -> None:
    state = await apply_replica(directory, "my", city="Kuala Lumpur")
    runtime = directory.runtime

    async def apply(version: int, **changes: Any) -> None:
        event = new_event(
            node="my",
            service="institutions",
            aggregate="institution",
            action="updated",
            subject=state["id"],
            data=state | changes,
            version=version,
        )
        async with directory.runtime.database.session() as session:
            await runtime.apply_event(session, event)

    await apply(3, city="Petaling Jaya")
    await apply(2, city="Stale")
    await apply(3, city="Duplicate")
    read = (await directory.client.get(f"/v1/institutions/{state['id']}")).json()
    assert (read["city"], read["version"], read["origin_node"]) == ("Petaling Jaya", 3, "my")

    programme = {
        "id": str(uuid.uuid4()),
        "origin_node": "my",
        "country": "MY",
        "institution_id": state["id"],
        "name": "Bachelor of Computer Science",
        "levels": ["MQF:6"],
        "updated_at": "2026-01-01T00:00:00+00:00",
    }
    for version, name in ((2, "New"), (1, "Old")):
        event = new_event(
            node="my",
            service="institutions",
            aggregate="programme",
            action="updated",
            subject=programme["id"],
            data=programme | {"name": name},
            version=version,
        )
        async with directory.runtime.database.session() as session:
            await runtime.apply_event(session, event)
    read_programme = (await directory.client.get(f"/v1/programmes/{programme['id']}")).json()
    assert (read_programme["name"], read_programme["version"]) == ("New", 2)


async def test_quality_status_is_kept_for_search(
    directory: RunningService, registrar: dict[str, str], nats_client: NatsClient, node_id: str
) -> None:
    await directory.wait_connected()
    institution = await create(directory, registrar)
    url = f"/v1/institutions/{institution['id']}"
    before = (await directory.client.get(url)).headers["etag"]
    js = nats_client.jetstream()
    for version, status in ((1, "accredited with conditions"), (2, "accredited")):
        event = new_event(
            node=node_id,
            service="quality",
            aggregate="status",
            action="changed",
            subject=institution["id"],
            data={
                "institution_id": institution["id"],
                "programme_id": None,
                "status": status,
                "as_of": "2026-11-26",
                "evaluation_ids": [],
            },
            version=version,
        )
        await js.publish(event.nats_subject, event.to_bytes(), headers={"Nats-Msg-Id": event.id})

    async def accredited() -> bool:
        read = (await directory.client.get(f"/v1/institutions/{institution['id']}")).json()
        return bool(read["qa_status"] == "accredited")

    await eventually(accredited, what="qa_status applied")
    found = await directory.client.get("/v1/institutions", params={"qa_status": "accredited"})
    assert [i["id"] for i in found.json()["items"]] == [institution["id"]]
    # the record's version is the same, but a copy cached before is stale: a new ETag
    revalidated = await directory.client.get(url, headers={"If-None-Match": before})
    assert revalidated.status_code == 200
    assert revalidated.json()["qa_status"] == "accredited"
    assert revalidated.headers["etag"] != before
    assert version_in(revalidated.headers["etag"]) == version_in(before) == 1


async def test_owner_record_supersedes_the_reference_copy(directory: RunningService) -> None:
    from tests.institutions.test_bulk import SAMPLE, import_into

    summary = await import_into(directory, SAMPLE, "ror", reference=True)
    assert summary.created > 0
    reference = (await directory.client.get("/v1/institutions/by-identifier/ror/00bnk2e50")).json()
    assert reference["is_reference"] and reference["origin_node"] == "ror"
    assert reference["reference_source"] == f"ROR file {SAMPLE.name}"  # its source: the file
    owner_id = str(uuid.uuid4())
    await apply_replica(
        directory,
        "my",
        id=owner_id,
        identifiers=[{"resource": "ror", "value": "00bnk2e50"}],
    )
    owner = (await directory.client.get("/v1/institutions/by-identifier/ror/00bnk2e50")).json()
    assert owner["id"] == owner_id and not owner["is_reference"]
    # the reference copy is retired, not deleted nor left as a duplicate: readable by id,
    # pointing at the owner's record, and gone from lists
    retired = (await directory.client.get(f"/v1/institutions/{reference['id']}")).json()
    assert retired["superseded_by"] == owner_id and retired["is_reference"]
    listed = (await directory.client.get("/v1/institutions", params={"country": "MY"})).json()
    assert reference["id"] not in {item["id"] for item in listed["items"]}
    again = await import_into(directory, SAMPLE, "ror", reference=True)
    assert again.created == 0 and again.updated == 0  # the owner's record is not overwritten


def replica_event(state: dict[str, Any], version: int) -> CloudEvent:
    return new_event(
        node=state["origin_node"],
        service="institutions",
        aggregate="institution",
        action="created" if version == 1 else "updated",
        subject=state["id"],
        data=state,
        version=version,
    )


async def test_a_batch_of_peer_events_applies_as_one_by_one_would(
    directory: RunningService,
) -> None:
    from tests.institutions.test_bulk import SAMPLE, import_into

    await import_into(directory, SAMPLE, "ror", reference=True)
    reference = (await directory.client.get("/v1/institutions/by-identifier/ror/00bnk2e50")).json()
    stale = await apply_replica(directory, "my", name="Universiti Sains Malaysia")
    base = {
        "origin_node": "my",
        "country": "MY",
        "status": "active",
        "type": "university",
        "updated_at": "2026-02-01T00:00:00+00:00",
    }
    parent = base | {"id": str(uuid.uuid4()), "name": "Universiti Teknologi Malaysia"}
    child = base | {
        "id": str(uuid.uuid4()),
        "name": "Old Name",
        "relationships": [{"type": "part_of", "institution_id": parent["id"]}],
    }
    owner = base | {
        "id": str(uuid.uuid4()),
        "name": "Universiti Malaya",
        "identifiers": [{"resource": "ror", "value": "00bnk2e50"}],
    }
    batch = [
        replica_event(child, 1),
        replica_event(parent, 1),
        replica_event(child | {"name": "Universiti Teknologi Malaysia Kuala Lumpur"}, 2),
        replica_event(stale | {"name": "Stale name"}, 1),  # not newer than what is stored
        replica_event(owner, 1),  # its ROR id is held by a reference copy
    ]
    runtime = directory.runtime
    async with directory.runtime.database.session() as session:
        await runtime.apply(session, batch)

    read_child = (await directory.client.get(f"/v1/institutions/{child['id']}")).json()
    assert (read_child["name"], read_child["version"], read_child["origin_node"]) == (
        "Universiti Teknologi Malaysia Kuala Lumpur",
        2,
        "my",
    )
    read_parent = (await directory.client.get(f"/v1/institutions/{parent['id']}")).json()
    assert {"type": "has_part", "institution_id": child["id"]} in [
        {"type": r["type"], "institution_id": r["institution_id"]}
        for r in read_parent["relationships"]
    ]
    assert (await directory.client.get(f"/v1/institutions/{stale['id']}")).json()["name"] == (
        "Universiti Sains Malaysia"
    )
    held = (await directory.client.get("/v1/institutions/by-identifier/ror/00bnk2e50")).json()
    assert held["id"] == owner["id"] and not held["is_reference"]
    # the reference copy is retired, not deleted nor left as a duplicate: readable by id,
    # pointing at the owner's record, and gone from lists
    retired = (await directory.client.get(f"/v1/institutions/{reference['id']}")).json()
    assert retired["superseded_by"] == owner["id"] and retired["is_reference"]
    listed = (await directory.client.get("/v1/institutions", params={"country": "MY"})).json()
    assert reference["id"] not in {item["id"] for item in listed["items"]}
    found = await directory.client.get("/v1/institutions", params={"q": "Kuala Lumpur Teknologi"})
    assert child["id"] in [item["id"] for item in found.json()["items"]]

    # The same batch again changes nothing.
    async with directory.runtime.database.session() as session:
        await runtime.apply(session, batch)
    again = (await directory.client.get(f"/v1/institutions/{child['id']}")).json()
    assert again["version"] == 2 and again["name"] == read_child["name"]


async def test_a_batch_refuses_a_record_of_another_owner(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    own = await create(directory, registrar)
    forged = own | {"origin_node": "my", "updated_at": "2026-02-01T00:00:00+00:00"}
    runtime = directory.runtime
    with pytest.raises(ValueError, match="belongs to"):
        async with directory.runtime.database.session() as session:
            await runtime.apply(session, [replica_event(forged, 5)])
    read = (await directory.client.get(f"/v1/institutions/{own['id']}")).json()
    assert read["origin_node"] != "my" and read["version"] == 1


async def test_the_owners_genuine_version_replaces_a_forged_one(
    directory: RunningService,
) -> None:
    """Issue 16: a state another node wrote for `my`'s institution (version 99, applied before
    every consumer checked its signer) must not block `my`'s genuine next version, whether it
    arrives alone or in a batch; the programme likewise."""
    state = await apply_replica(directory, "my", city="Kuala Lumpur")
    runtime = directory.runtime
    forged = state | {"origin_node": "it", "name": "Forged University"}
    async with directory.runtime.database.session() as session:
        await runtime.apply_event(session, replica_event(forged, 99))
    read = (await directory.client.get(f"/v1/institutions/{state['id']}")).json()
    # applied here past the guard, as it was before every consumer checked its signer
    assert (read["name"], read["origin_node"]) == ("Forged University", "it")

    genuine = state | {"city": "Petaling Jaya", "updated_at": "2026-03-01T00:00:00+00:00"}
    async with directory.runtime.database.session() as session:
        await runtime.apply_event(session, replica_event(genuine, 2))
    read = (await directory.client.get(f"/v1/institutions/{state['id']}")).json()
    assert (read["name"], read["city"], read["origin_node"], read["version"]) == (
        state["name"],
        "Petaling Jaya",
        "my",
        2,
    )

    # In a batch too: forged again, then the owner's version 3.
    async with directory.runtime.database.session() as session:
        await runtime.apply(session, [replica_event(forged, 99)])
    async with directory.runtime.database.session() as session:
        await runtime.apply(session, [replica_event(genuine | {"city": "Shah Alam"}, 3)])
    read = (await directory.client.get(f"/v1/institutions/{state['id']}")).json()
    assert (read["city"], read["origin_node"], read["version"]) == ("Shah Alam", "my", 3)

    programme = {
        "id": str(uuid.uuid4()),
        "origin_node": "it",
        "country": "MY",
        "institution_id": state["id"],
        "name": "Forged Programme",
        "levels": ["MQF:6"],
        "updated_at": "2026-01-01T00:00:00+00:00",
    }
    for node, version, name in (("it", 99, "Forged Programme"), ("my", 1, "Bachelor of Law")):
        event = new_event(
            node=node,
            service="institutions",
            aggregate="programme",
            action="updated",
            subject=programme["id"],
            data=programme | {"origin_node": node, "name": name},
            version=version,
        )
        async with directory.runtime.database.session() as session:
            await runtime.apply_event(session, event)
    read_programme = (await directory.client.get(f"/v1/programmes/{programme['id']}")).json()
    assert (read_programme["name"], read_programme["origin_node"]) == ("Bachelor of Law", "my")
