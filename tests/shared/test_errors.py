"""Every failure is an RFC 9457 problem+json: unknown routes, wrong methods, invalid payloads,
typed domain errors, database conflicts, and unexpected crashes (without their internals)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import Column, Integer, MetaData, Table, insert

from shared.db import Database
from shared.errors import PROBLEM_MEDIA_TYPE, Conflict, NotFound, Unauthorized
from shared.web import create_service_app

SECRET = "postgresql://admin:hunter2@db.internal/prod"


class Language(BaseModel):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    value: str = Field(min_length=1)


class Thing(BaseModel):
    name: str = Field(min_length=1)
    names: list[Language] = []


def build_app(tmp_path: Path) -> FastAPI:
    app = create_service_app(
        service="errors-test",
        title="errors test",
        description="",
        version="0",
        lifespan=None,
        readiness=lambda _app: {},
    )
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'errors.db'}")
    metadata = MetaData()
    table = Table("thing", metadata, Column("id", Integer, primary_key=True))

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: int) -> dict[str, int]:
        if thing_id == 404:
            raise NotFound(f"thing {thing_id} does not exist")
        if thing_id == 409:
            raise Conflict("already closed", owner_node="fr")
        return {"id": thing_id}

    @app.post("/things", status_code=201)
    async def create_thing(thing: Thing) -> Thing:
        return thing

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError(f"cannot connect to {SECRET}")

    @app.get("/private")
    async def private() -> None:
        raise Unauthorized()

    @app.post("/duplicate")
    async def duplicate() -> None:
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        async with database.session() as session:
            await session.execute(insert(table).values(id=1))
            await session.execute(insert(table).values(id=1))

    return app


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # The app re-raises unexpected errors after answering (for the server's log): keep the
    # answer rather than the exception.
    transport = httpx.ASGITransport(app=build_app(tmp_path), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def problem_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    problem = problem_of(await client.get("/nowhere"), 404)

    assert problem["detail"] == "no route matches GET /nowhere"
    assert problem["instance"] == "/nowhere"


async def test_wrong_method_is_a_405_problem_with_allow(client: httpx.AsyncClient) -> None:
    response = await client.delete("/things/1")

    problem = problem_of(response, 405)
    assert problem["detail"] == "DELETE is not allowed on /things/1"
    assert response.headers["allow"] == "GET"


async def test_invalid_payload_is_a_422_problem_with_field_paths(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/things", json={"name": "", "names": [{"lang": "en", "value": "x"}, {"lang": "EN"}]}
    )

    problem = problem_of(response, 422)
    assert problem["type"] == "urn:edunode:problem:validation-failed"
    paths = {error["path"]: error for error in problem["errors"]}
    assert set(paths) == {"body.name", "body.names.1.lang", "body.names.1.value"}
    assert paths["body.name"]["type"] == "string_too_short"
    assert paths["body.names.1.value"]["type"] == "missing"


async def test_invalid_path_parameter_and_body_are_422(client: httpx.AsyncClient) -> None:
    problem = problem_of(await client.get("/things/abc"), 422)
    assert [e["path"] for e in problem["errors"]] == ["path.thing_id"]

    malformed = await client.post(
        "/things", content=b"{not json", headers={"content-type": "application/json"}
    )
    problem = problem_of(malformed, 422)
    assert problem["errors"][0]["type"] == "json_invalid"


async def test_typed_errors_keep_their_status_type_and_extras(client: httpx.AsyncClient) -> None:
    not_found = problem_of(await client.get("/things/404"), 404)
    conflict = problem_of(await client.get("/things/409"), 409)
    unauthorized = await client.get("/private")

    assert not_found["type"] == "urn:edunode:problem:not-found"
    assert not_found["detail"] == "thing 404 does not exist"
    assert conflict["type"] == "urn:edunode:problem:conflict"
    assert conflict["owner_node"] == "fr"
    problem_of(unauthorized, 401)
    assert unauthorized.headers["www-authenticate"] == 'Bearer realm="edunode"'


async def test_unexpected_error_is_a_500_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/crash", headers={"X-Request-ID": "req-42"})

    problem = problem_of(response, 500)
    assert problem["request_id"] == "req-42"
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert "quote the request id" in str(problem["detail"])


async def test_integrity_error_is_a_409_conflict(client: httpx.AsyncClient) -> None:
    response = await client.post("/duplicate")

    problem = problem_of(response, 409)
    assert problem["type"] == "urn:edunode:problem:conflict"
    assert "UNIQUE" not in response.text


async def test_request_id_is_echoed_and_replaced_when_unsafe(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/things/1", headers={"X-Request-ID": "abc-123"})
    unsafe = await client.get("/things/1", headers={"X-Request-ID": "a b<script>"})
    fresh = await client.get("/things/1")

    assert echoed.headers["x-request-id"] == "abc-123"
    assert unsafe.headers["x-request-id"] != "a b<script>"
    assert len(fresh.headers["x-request-id"]) == 32


async def test_operational_routes_answer(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok", "checks": {}}
    assert (await client.get("/readyz")).status_code == 200
    metrics = await client.get("/metrics")
    assert "edunode_http_requests_total" in metrics.text


async def test_a_body_that_cannot_be_read_is_a_400_problem_every_operation_declares(
    client: httpx.AsyncClient,
) -> None:
    # Conformance found these 400s undeclared: bytes that are not UTF-8 cannot even be parsed
    # as JSON, so FastAPI answers 400 before validation.
    response = await client.post(
        "/things", content=b"\x80{}", headers={"content-type": "application/json"}
    )
    problem_of(response, 400)

    document = (await client.get("/openapi.json")).json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("400", "422", "500"):
                declared = operation["responses"][status]["content"]
                assert "application/problem+json" in declared, (method, path, status)


async def test_a_405_allows_every_method_the_path_serves() -> None:
    # Conformance (allow_header_conformance): FastAPI makes one route per method, and
    # Starlette's Allow named only the first route's, e.g. `Allow: GET` on a GET+POST list.
    app = create_service_app(
        service="errors-test",
        title="errors test",
        description="",
        version="0",
        lifespan=None,
        readiness=lambda _app: {},
    )

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    @app.put("/items/{item_id}")
    async def replace_item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    @app.post("/items/{item_id}/archive")
    async def archive_item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.request("OPTIONS", "/items/7")

    problem_of(response, 405)
    assert response.headers["allow"] == "GET, PUT"
