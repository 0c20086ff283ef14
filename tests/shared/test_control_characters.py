"""Control characters never reach a service's database: every write of a node (found in its
merged OpenAPI document) refuses them in its JSON body with a 422 naming the field, reads
refuse them in path and query parameters, and text with tabs and line breaks still passes.
PostgreSQL refuses NUL, so a name holding one was a 500 there and stored on SQLite
(issue 23)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from edunode.natsserver import NatsServer
from shared.auth import Role
from shared.fields import control_character_paths
from tests.conftest import MakeToken, TokenKeys, bearer, ensure_running
from tests.served import concrete, served_node

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("value", "paths"),
    [
        ({"name": "Tsinghua\x00"}, ["body.name"]),
        ({"names": [{"value": "a\x1bb"}, {"value": "ok"}]}, ["body.names.0.value"]),
        ({"note": "line one\nline two\r\n\tindented"}, []),  # text may have lines and tabs
        ({"a": "\x7f", "b": "\x85", "c": "\ud800"}, ["body.a", "body.b", "body.c"]),
        ({"k\x00": 1}, ["body"]),
        ({"name": "Université Paris-Saclay 清华大学 🎓"}, []),
        ([1, None, True, 2.5], []),
    ],
)
def test_control_characters_are_found_wherever_they_are(value: Any, paths: list[str]) -> None:
    assert control_character_paths(value, "body") == paths


def write_operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The POST, PUT and PATCH operations that take a JSON body."""
    found = []
    for path, item in document["paths"].items():
        for method in ("post", "put", "patch"):
            content = item.get(method, {}).get("requestBody", {}).get("content", {})
            if any(media.endswith("json") for media in content):
                found.append((method.upper(), path))
    return sorted(found)


async def test_every_write_refuses_control_characters_and_stores_clean_text(
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    make_token: MakeToken,
    node_id: str,
) -> None:
    async with served_node(
        node_id,
        nats_url=ensure_running(nats_server).url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
        rate_limited=False,  # every route, many times: not a test of the limits
    ) as node:
        admin = bearer(make_token(Role.NODE_ADMIN, node=node_id))
        registrar = bearer(make_token(Role.REGISTRAR, node=node_id))
        async with httpx.AsyncClient(base_url=node.gateway_url, timeout=30) as client:
            document = (await client.get("/openapi.json")).json()
            writes = write_operations(document)
            assert len(writes) >= 10, writes
            for method, path in writes:
                response = await client.request(
                    method,
                    concrete(path),
                    json={"name": "Tsinghua\x00 University", "nested": [{"text": "\x07"}]},
                    headers=admin,
                )
                where = (method, path, response.status_code, response.text[:300])
                assert response.status_code == 422, where
                assert response.headers["content-type"] == PROBLEM, where
                paths = [error["path"] for error in response.json()["errors"]]
                assert paths == ["body.name", "body.nested.0.text"], where

            # The write that stored a NUL on SQLite and failed on PostgreSQL.
            created = await client.post(
                "/v1/institutions",
                json={"name": "Tsinghua\x00 University", "country": "CN"},
                headers=registrar,
            )
            assert created.status_code == 422, created.text
            assert created.json()["errors"][0]["path"] == "body.name"
            clean = await client.post(
                "/v1/institutions",
                json={"name": "Tsinghua University", "country": "CN"},
                headers=registrar,
            )
            assert clean.status_code == 201, clean.text

            # Reads: a query or path parameter would reach the database too.
            for url in ("/v1/institutions?name=a%00b", "/v1/frameworks/EQF%00"):
                response = await client.get(url)
                assert response.status_code == 422, (url, response.text)
                assert response.headers["content-type"] == PROBLEM
