"""The gateway's own audit log (API clients) and the node's index of logs, over a real socket,
on SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator

import httpx
import pytest

from services.gateway.app import create_app
from services.gateway.clients import create_client_async
from shared.audit import verify_chain
from shared.auth import Role
from shared.db import Database
from tests.conftest import MakeToken, TokenKeys, bearer, migrated
from tests.gateway.conftest import Stubs, gateway_settings, serve


@pytest.fixture
async def gateway_with_clients(
    stubs: Stubs, database_url: str, token_keys: TokenKeys
) -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    migrated("services.gateway", database_url)
    created = [
        (await create_client_async(database_url, name, role, scopes))[0]
        for name, role, scopes in (
            ("registry office", "registrar", "institutions:write"),
            ("node operator", "node_admin", "audit:read"),
        )
    ]
    settings = gateway_settings(stubs, database_url, token_keys)
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        yield client, created


async def test_creating_clients_is_audited_and_node_admins_read_it(
    gateway_with_clients: tuple[httpx.AsyncClient, list[str]], make_token: MakeToken
) -> None:
    client, created = gateway_with_clients
    admin = bearer(make_token(Role.NODE_ADMIN, node="cn"))
    response = await client.get("/v1/gateway/audit", headers=admin)
    assert response.status_code == 200, response.text
    items = list(reversed(response.json()["items"]))
    assert [(i["seq"], i["action"], i["record_id"]) for i in items] == [
        (1, "api_client.created", created[0]),
        (2, "api_client.created", created[1]),
    ]
    assert {i["actor_client_id"] for i in items} == {f"cli:{getpass.getuser()}"}
    assert items[1]["prev_hash"] == items[0]["hash"]
    assert "secret" not in response.text


async def test_the_gateways_log_and_the_index_are_for_node_admins(
    gateway_with_clients: tuple[httpx.AsyncClient, list[str]], make_token: MakeToken
) -> None:
    client, _ = gateway_with_clients
    registrar = bearer(make_token(Role.REGISTRAR, node="cn"))
    foreign_admin = bearer(make_token(Role.NODE_ADMIN, node="my"))
    for path in ("/v1/gateway/audit", "/v1/audit"):
        assert (await client.get(path)).status_code == 401
        assert (await client.get(path, headers=registrar)).status_code == 403
        assert (await client.get(path, headers=foreign_admin)).status_code == 403


async def test_the_index_names_every_services_log(
    gateway_with_clients: tuple[httpx.AsyncClient, list[str]], make_token: MakeToken
) -> None:
    client, _ = gateway_with_clients
    response = await client.get("/v1/audit", headers=bearer(make_token(Role.NODE_ADMIN, node="cn")))
    assert response.status_code == 200, response.text
    assert response.json()["logs"] == [
        {"service": name, "href": f"/v1/{name}/audit"}
        for name in ("institutions", "quality", "recognition", "credentials", "mobility", "gateway")
    ]


async def test_the_chain_of_the_gateway_database_verifies(
    gateway_with_clients: tuple[httpx.AsyncClient, list[str]], database_url: str
) -> None:
    database = Database(database_url)
    async with database.engine.connect() as connection:
        report = await verify_chain(connection)
    await database.dispose()
    assert report.ok and report.count == 2
