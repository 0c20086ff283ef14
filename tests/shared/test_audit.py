"""The audit trail, through a real institutions service on SQLite and PostgreSQL: every write
is chained with who, what, when and from which request; the log is for node admins; the
database refuses to change it; concurrent writers keep one linear chain; and `edunode audit
verify` finds the first broken link of a tampered file (tests/node/test_audit_cli.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from services.institutions.db import kernel_tables
from shared.audit import GENESIS_HASH, Head, entries, verify_chain
from shared.auth import Role
from shared.events import node_stream_name
from shared.inbox import EventConsumer
from tests.conftest import MakeToken, RunningService, ServiceLauncher, bearer, eventually
from tests.institutions.conftest import tsinghua
from tests.shared.test_backbone import institution_created, publish


@pytest.fixture
async def directory(services: ServiceLauncher, node_id: str) -> RunningService:
    return await services.institutions(node_id)


@pytest.fixture
def registrar(make_token: MakeToken, node_id: str) -> dict[str, str]:
    return bearer(make_token(Role.REGISTRAR, node=node_id, client_id="registrar-1"))


@pytest.fixture
def admin(make_token: MakeToken, node_id: str) -> dict[str, str]:
    return bearer(make_token(Role.NODE_ADMIN, node=node_id, client_id="admin-1"))


def peking(**overrides: Any) -> dict[str, Any]:
    return tsinghua(name="Peking University", names=[], identifiers=[]) | overrides


async def create(service: RunningService, headers: dict[str, str], body: dict[str, Any]) -> Any:
    response = await service.client.post("/v1/institutions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response


async def audit_rows(service: RunningService) -> list[dict[str, Any]]:
    async with service.runtime.database.engine.connect() as connection:
        result = await connection.execute(select(entries).order_by(entries.c.seq))
        return [dict(row) for row in result.mappings()]


async def test_every_write_is_chained_with_actor_request_and_versions(
    directory: RunningService, registrar: dict[str, str], admin: dict[str, str], node_id: str
) -> None:
    created = await create(directory, registrar | {"X-Request-ID": "req-create-1"}, tsinghua())
    institution = created.json()
    updated = await directory.client.patch(
        f"/v1/institutions/{institution['id']}",
        json={"city": "Haidian, Beijing"},
        headers=registrar | {"If-Match": created.headers["ETag"], "X-Request-ID": "req-update-1"},
    )
    assert updated.status_code == 200, updated.text
    unchanged = await directory.client.patch(
        f"/v1/institutions/{institution['id']}",
        json={"city": "Haidian, Beijing"},
        headers=registrar | {"If-Match": updated.headers["ETag"]},
    )
    assert unchanged.status_code == 200

    log = await directory.client.get("/v1/institutions/audit", headers=admin)
    assert log.status_code == 200, log.text
    items = log.json()["items"]
    assert [(i["seq"], i["action"], i["version_before"], i["version_after"]) for i in items] == [
        (2, "institution.updated", 1, 2),
        (1, "institution.created", None, 1),
    ]
    for item, request_id in zip(items, ["req-update-1", "req-create-1"], strict=True):
        assert item["record_type"] == "institution"
        assert item["record_id"] == institution["id"]
        assert item["actor_client_id"] == "registrar-1"
        assert item["actor_roles"] == "registrar"
        assert item["actor_node"] == node_id
        assert item["request_id"] == request_id
    assert items[1]["prev_hash"] == GENESIS_HASH
    assert items[0]["prev_hash"] == items[1]["hash"]
    # References only: nothing of the record's content is in the log.
    assert "Tsinghua" not in log.text and "Haidian" not in log.text

    async with directory.runtime.database.engine.connect() as connection:
        report = await verify_chain(connection)
    assert report.ok and report.count == 2 and report.head_hash == items[0]["hash"]


async def test_a_failed_write_leaves_no_entry(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(directory, registrar, tsinghua())
    stale = await directory.client.patch(
        f"/v1/institutions/{created.json()['id']}",
        json={"city": "Shanghai"},
        headers=registrar | {"If-Match": '"7"'},
    )
    assert stale.status_code == 412
    assert [row["action"] for row in await audit_rows(directory)] == ["institution.created"]


async def test_the_log_is_for_this_nodes_admins_only(
    directory: RunningService,
    registrar: dict[str, str],
    make_token: MakeToken,
    node_id: str,
) -> None:
    anonymous = await directory.client.get("/v1/institutions/audit")
    as_registrar = await directory.client.get("/v1/institutions/audit", headers=registrar)
    other_node = bearer(make_token(Role.NODE_ADMIN, node="zz"))
    as_foreign_admin = await directory.client.get("/v1/institutions/audit", headers=other_node)
    assert anonymous.status_code == 401
    assert as_registrar.status_code == 403
    assert as_foreign_admin.status_code == 403
    assert as_registrar.headers["content-type"] == "application/problem+json"


async def test_the_log_pages_and_filters(
    directory: RunningService, registrar: dict[str, str], admin: dict[str, str]
) -> None:
    first = (await create(directory, registrar, tsinghua())).json()
    await create(directory, registrar, peking())
    await create(directory, registrar, peking(name="Fudan University", city="Shanghai"))

    page = await directory.client.get("/v1/institutions/audit?limit=2", headers=admin)
    assert [i["seq"] for i in page.json()["items"]] == [3, 2]
    cursor = page.json()["next_cursor"]
    rest = await directory.client.get(
        "/v1/institutions/audit", params={"limit": 2, "cursor": cursor}, headers=admin
    )
    assert [i["seq"] for i in rest.json()["items"]] == [1]
    assert rest.json()["next_cursor"] is None

    async def seqs(**params: Any) -> list[int]:
        response = await directory.client.get(
            "/v1/institutions/audit", params=params, headers=admin
        )
        assert response.status_code == 200, response.text
        return [i["seq"] for i in response.json()["items"]]

    assert await seqs(record_id=first["id"]) == [1]
    assert await seqs(record_type="institution") == [3, 2, 1]
    assert await seqs(record_type="programme") == []
    assert await seqs(actor="registrar-1") == [3, 2, 1]
    assert await seqs(actor="someone-else") == []
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert await seqs(since=future) == []
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert await seqs(since=past) == [3, 2, 1]

    bad_cursor = await directory.client.get(
        "/v1/institutions/audit?cursor=not-a-cursor", headers=admin
    )
    too_many = await directory.client.get("/v1/institutions/audit?limit=1000", headers=admin)
    assert (bad_cursor.status_code, too_many.status_code) == (400, 422)


async def test_the_database_refuses_to_change_or_remove_an_entry(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    await create(directory, registrar, tsinghua())
    database = directory.runtime.database
    for statement in (
        "UPDATE audit_entry SET actor_client_id = 'someone-else' WHERE seq = 1",
        "DELETE FROM audit_entry WHERE seq = 1",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with database.engine.begin() as connection:
                await connection.execute(text(statement))
    assert [row["actor_client_id"] for row in await audit_rows(directory)] == ["registrar-1"]


async def test_the_database_refuses_an_entry_before_the_chain_s_start(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    """An entry at seq 0 sat where no walk from 1 reached it, yet the API listed it."""
    await create(directory, registrar, tsinghua())
    (first,) = await audit_rows(directory)
    forged = {**first, "seq": 0, "hash": "f" * 64}
    with pytest.raises(DBAPIError, match="seq"):
        async with directory.runtime.database.engine.begin() as connection:
            await connection.execute(entries.insert().values(forged))
    assert [row["seq"] for row in await audit_rows(directory)] == [1]


async def test_a_noted_head_must_still_be_on_the_chain(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    for n in range(3):
        await create(directory, registrar, peking(name=f"Anchored University {n}"))
    database = directory.runtime.database
    async with database.engine.connect() as connection:
        intact = await verify_chain(connection)
        noted = Head(intact.head_hash, intact.head_seq)
        assert (await verify_chain(connection, expect_head=noted)).ok
        assert (await verify_chain(connection, expect_head=Head(intact.head_hash))).ok
        # A head this chain never had (another node's, or one from before a rewrite).
        other = Head("a" * 64, intact.head_seq)
        report = await verify_chain(connection, expect_head=other)
    assert report.broken is not None
    assert "not on the chain" in report.broken.reason
    later = Head(intact.head_hash, intact.head_seq + 5)  # noted when the chain was longer
    async with database.engine.connect() as connection:
        report = await verify_chain(connection, expect_head=later)
    assert report.broken is not None and report.broken.reason.startswith("tail cut")


async def test_concurrent_writers_keep_one_linear_verifiable_chain(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    bodies = [peking(name=f"University No. {n}", city=f"City {n}") for n in range(12)]
    responses = await asyncio.gather(
        *(directory.client.post("/v1/institutions", json=b, headers=registrar) for b in bodies)
    )
    assert [r.status_code for r in responses] == [201] * len(bodies)

    rows = await audit_rows(directory)
    assert [row["seq"] for row in rows] == list(range(1, len(bodies) + 1))
    assert {row["record_id"] for row in rows} == {r.json()["id"] for r in responses}
    async with directory.runtime.database.engine.connect() as connection:
        report = await verify_chain(connection)
    assert report.ok and report.count == len(bodies)


async def test_writes_applying_an_event_name_its_origin_and_event_id(
    directory: RunningService, nats_client: NatsClient, node_id: str
) -> None:
    # The directory applies replicas through this handler; a consumer of the node's own
    # stream feeds it here without a federation.
    consumer = EventConsumer(
        database=directory.runtime.database,
        bus=directory.runtime.bus,
        inbox=kernel_tables.inbox,
        dead_letters=kernel_tables.dead_letter,
        quarantine=kernel_tables.quarantine,
        name=f"{node_id.replace('-', '_')}_audit_test",
        stream=node_stream_name(node_id),
        filter_subjects=[f"evt.{node_id}.institutions.institution.*"],
        handler=directory.runtime.apply_event,
    )
    await directory.wait_connected()
    event = institution_created(node_id, name="Nanjing University")
    await publish(nats_client, event)
    consumer.start()
    try:
        rows = await eventually(lambda: audit_rows(directory), what="the event's entry")
    finally:
        await consumer.stop()
    [row] = rows
    assert (row["action"], row["record_id"], row["version_after"]) == (
        "institution.created",
        event.subject,
        1,
    )
    assert (row["actor_client_id"], row["actor_roles"], row["actor_node"]) == (
        f"node:{node_id}",
        "event",
        node_id,
    )
    assert row["request_id"] == event.id
