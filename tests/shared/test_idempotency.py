"""Idempotency keys on POST, through a real institutions service on SQLite and PostgreSQL:
a retry replays the original response, a reused key with another request is a 422, a duplicate
arriving while the first is still running is a 409, and exactly one record is ever created."""

from __future__ import annotations

import asyncio
import hashlib
import math
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from services.institutions.registry.models import Institution
from services.institutions.registry.service import InstitutionService
from shared.auth import Role
from shared.db import Database
from shared.idempotency import (
    REPLAYED_HEADER,
    Fingerprint,
    IdempotencyStore,
    StoredResponse,
    keys,
)
from tests.conftest import MakeToken, RunningService, ServiceLauncher, bearer, eventually
from tests.institutions.conftest import tsinghua


@pytest.fixture
async def directory(services: ServiceLauncher, node_id: str) -> RunningService:
    return await services.institutions(node_id)


@pytest.fixture
def registrar(make_token: MakeToken, node_id: str) -> dict[str, str]:
    return bearer(make_token(Role.REGISTRAR, node=node_id, client_id="registrar-1"))


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return headers | {"Idempotency-Key": key}


async def institution_count(service: RunningService) -> int:
    async with service.runtime.database.session() as session:
        count = await session.scalar(select(func.count()).select_from(Institution))
    return int(count or 0)


async def stored_keys(service: RunningService) -> list[Any]:
    async with service.runtime.database.session() as session:
        return list((await session.execute(select(keys))).all())


async def test_a_retry_with_the_same_key_replays_the_original_response(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    headers = keyed(registrar, str(uuid.uuid4()))
    first = await directory.client.post("/v1/institutions", json=tsinghua(), headers=headers)
    again = await directory.client.post("/v1/institutions", json=tsinghua(), headers=headers)

    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers[REPLAYED_HEADER] == "true"
    assert REPLAYED_HEADER.lower() not in first.headers
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert await institution_count(directory) == 1
    [row] = await stored_keys(directory)
    assert (row.client_id, row.state, row.response_status) == ("registrar-1", "done", 201)


async def test_the_same_key_with_another_body_or_path_is_refused(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    headers = keyed(registrar, "order-2026-0001")
    created = await directory.client.post("/v1/institutions", json=tsinghua(), headers=headers)
    assert created.status_code == 201

    other_body = await directory.client.post(
        "/v1/institutions", json=tsinghua(city="Shenzhen"), headers=headers
    )
    other_path = await directory.client.post(
        "/v1/institutions?dry_run=1", json=tsinghua(), headers=headers
    )

    for refused in (other_body, other_path):
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert "order-2026-0001" in refused.json()["detail"]
    assert await institution_count(directory) == 1


async def test_keys_belong_to_their_client(
    directory: RunningService, registrar: dict[str, str], make_token: MakeToken, node_id: str
) -> None:
    other = bearer(make_token(Role.REGISTRAR, node=node_id, client_id="registrar-2"))
    first = await directory.client.post(
        "/v1/institutions", json=tsinghua(), headers=keyed(registrar, "shared-key")
    )
    second = await directory.client.post(
        "/v1/institutions",
        json=tsinghua(name="Peking University", identifiers=[]),
        headers=keyed(other, "shared-key"),
    )
    assert first.status_code == second.status_code == 201
    assert REPLAYED_HEADER.lower() not in second.headers
    assert first.json()["id"] != second.json()["id"]


async def test_concurrent_duplicates_create_once_and_the_second_gets_409(
    directory: RunningService,
    registrar: dict[str, str],
    db_backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = keyed(registrar, str(uuid.uuid4()))
    # Hold the first request inside its work (after its key is claimed), so the duplicate
    # certainly arrives while it is in progress, whatever the machine's speed.
    release = asyncio.Event()
    create = InstitutionService.create

    async def held_create(self: InstitutionService, *args: Any, **kwargs: Any) -> Institution:
        await release.wait()
        return await create(self, *args, **kwargs)

    monkeypatch.setattr(InstitutionService, "create", held_create)
    first = asyncio.create_task(
        directory.client.post("/v1/institutions", json=tsinghua(), headers=headers)
    )
    await _claimed(directory)
    second = await directory.client.post("/v1/institutions", json=tsinghua(), headers=headers)
    release.set()
    responses = [await first, second]
    monkeypatch.undo()

    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    conflict = next(r for r in responses if r.status_code == 409)
    assert conflict.headers["content-type"] == "application/problem+json"
    assert "in progress" in conflict.json()["detail"]
    assert await institution_count(directory) == 1
    # Once the first is done, a retry replays it.
    retry = await directory.client.post("/v1/institutions", json=tsinghua(), headers=headers)
    assert retry.status_code == 201 and retry.headers[REPLAYED_HEADER] == "true"


async def _claimed(service: RunningService) -> None:
    async def in_progress() -> bool:
        return any(row.state == "in_progress" for row in await stored_keys(service))

    await eventually(in_progress, interval=0.01, what="the first request's claim")


async def test_a_failed_request_releases_its_key(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    headers = keyed(registrar, "retry-after-fix")
    refused = await directory.client.post(
        "/v1/institutions", json=tsinghua(country="XX"), headers=headers
    )
    assert refused.status_code in (403, 422)
    assert await stored_keys(directory) == []

    fixed = await directory.client.post("/v1/institutions", json=tsinghua(), headers=headers)
    assert fixed.status_code == 201
    assert REPLAYED_HEADER.lower() not in fixed.headers


@pytest.mark.parametrize(
    "key", ["", "x" * 256, "clé-non-ascii", "tab\there"], ids=["empty", "long", "utf8", "ctl"]
)
async def test_a_malformed_key_is_a_400(
    directory: RunningService, registrar: dict[str, str], key: str
) -> None:
    response = await directory.client.post(
        "/v1/institutions",
        json=tsinghua(),
        headers=[
            *((name.encode(), value.encode()) for name, value in registrar.items()),
            (b"Idempotency-Key", key.encode("utf-8")),
        ],
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert await institution_count(directory) == 0


async def test_an_anonymous_post_with_a_key_is_refused_and_stores_nothing(
    directory: RunningService,
) -> None:
    response = await directory.client.post(
        "/v1/institutions", json=tsinghua(), headers={"Idempotency-Key": "anonymous"}
    )
    assert response.status_code == 401
    assert await stored_keys(directory) == []


async def test_the_openapi_document_declares_the_header_on_every_post(
    directory: RunningService,
) -> None:
    document = (await directory.client.get("/openapi.json")).json()
    posts = [item["post"] for item in document["paths"].values() if "post" in item]
    assert posts
    for operation in posts:
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert "Idempotency-Key" in names
        assert {"409", "422"} <= set(operation["responses"])
    create = document["paths"]["/v1/institutions"]["post"]
    assert REPLAYED_HEADER in create["responses"]["201"]["headers"]


# -- the store itself: leases, take-over and expiry ----------------------------------------------


@pytest.fixture
async def database(new_migrated_database_url: Any) -> Any:
    database = Database(new_migrated_database_url("services.institutions", "idem"))
    yield database
    await database.dispose()


FINGERPRINT = Fingerprint("POST", "/v1/institutions", "0" * 64)


async def test_a_crashed_claim_is_taken_over_after_its_lease_and_the_old_run_cannot_complete(
    database: Database,
) -> None:
    store = IdempotencyStore(database, ttl=timedelta(hours=24), lease=timedelta(0))
    crashed = await store.claim("c1", "k", FINGERPRINT)
    retry = await store.claim("c1", "k", FINGERPRINT)
    assert crashed.kind == retry.kind == "claimed"
    assert crashed.token != retry.token

    response = StoredResponse(201, [("content-type", "application/json")], b"{}")
    async with database.session() as session:
        assert not await store.complete(session, "c1", "k", crashed.token, response)
    async with database.session() as session:
        assert await store.complete(session, "c1", "k", retry.token, response)
    replay = await store.claim("c1", "k", FINGERPRINT)
    assert replay.kind == "replay" and replay.response == response


async def test_a_live_claim_is_in_progress_until_released(database: Database) -> None:
    store = IdempotencyStore(database, ttl=timedelta(hours=24), lease=timedelta(minutes=1))
    first = await store.claim("c1", "k", FINGERPRINT)
    assert (await store.claim("c1", "k", FINGERPRINT)).kind == "in_progress"
    other = Fingerprint("POST", "/v1/institutions", "1" * 64)
    assert (await store.claim("c1", "k", other)).kind == "mismatch"
    await store.release("c1", "k", first.token)
    assert (await store.claim("c1", "k", FINGERPRINT)).kind == "claimed"


async def test_expired_keys_are_pruned_and_may_be_used_again(database: Database) -> None:
    store = IdempotencyStore(database, ttl=timedelta(0), lease=timedelta(minutes=1))
    first = await store.claim("c1", "k1", FINGERPRINT)
    await store.claim("c1", "k2", FINGERPRINT)
    # An expired key is a new key, even while its request would still hold it.
    again = await store.claim("c1", "k1", FINGERPRINT)
    assert again.kind == "claimed" and again.token != first.token
    assert await store.prune() == 2
    async with database.session() as session:
        assert (await session.execute(select(func.count()).select_from(keys))).scalar() == 0


async def test_a_retry_after_a_crash_is_told_when_to_come_back(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    """A process that died mid-request leaves its claim until the lease ends: the retry's 409
    says when that is at the latest (`Retry-After`, whole seconds), as the document declares."""
    body = b'{"name":"Crashed University","country":"CN"}'
    key = str(uuid.uuid4())
    store = directory.runtime.idempotency
    crashed = Fingerprint("POST", "/v1/institutions", hashlib.sha256(body).hexdigest())
    assert (await store.claim("registrar-1", key, crashed)).kind == "claimed"  # then it died

    retry = await directory.client.post(
        "/v1/institutions",
        content=body,
        headers=keyed(registrar, key) | {"Content-Type": "application/json"},
    )

    assert retry.status_code == 409
    lease = store.lease.total_seconds()
    assert 1 <= int(retry.headers["Retry-After"]) <= math.ceil(lease)
    document = directory.app.openapi()
    conflict = document["paths"]["/v1/institutions"]["post"]["responses"]["409"]
    assert "Retry-After" in conflict["headers"]
