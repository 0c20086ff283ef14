"""Every list route of a node, found in its merged OpenAPI document by its `cursor`
parameter, answers a tampered cursor with a 400 problem, with or without a token: never a 500.
`WzFd` (base64 of `[1]`) answered 500 on ten of them (issue 23)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import orjson

from edunode.natsserver import NatsServer
from shared.auth import Role
from tests.conftest import MakeToken, TokenKeys, bearer, ensure_running
from tests.served import concrete, served_node


def _cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


# Each one a client could send back after editing a cursor, for a list keyed by one column
# or by two (a date, then the id).
TAMPERED = [
    "WzFd",
    _cursor([[1]]),
    _cursor([{}]),
    _cursor([True]),
    _cursor(["a\x00b"]),
    _cursor([2**63]),  # one past a 64-bit integer column
    _cursor([1, 1]),
    _cursor(["2026-01-01", 1]),
    _cursor([1, str(uuid.UUID(int=1))]),
    _cursor(["2026-01-01T00:00:00", str(uuid.UUID(int=1))]),
    "%%%",
]


def list_routes(document: dict[str, Any]) -> list[str]:
    """The GET paths that take a `cursor` query parameter."""
    paths = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        parameters = operation.get("parameters", [])
        if any(p["in"] == "query" and p["name"] == "cursor" for p in parameters):
            paths.append(path)
    return sorted(paths)


async def test_a_tampered_cursor_is_a_400_on_every_list_route(
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
        tokens = {
            "none": {},
            "admin": bearer(make_token(Role.NODE_ADMIN, node=node_id)),
            "officer": bearer(make_token(Role.RECOGNITION_OFFICER, node=node_id)),
        }
        async with httpx.AsyncClient(base_url=node.gateway_url, timeout=30) as client:
            document = (await client.get("/openapi.json")).json()
            routes = list_routes(document)
            assert len(routes) >= 10, routes  # the ten of the issue, at least
            answered_400: set[str] = set()
            for path in routes:
                for who, headers in tokens.items():
                    for cursor in TAMPERED:
                        response = await client.get(
                            concrete(path), params={"cursor": cursor}, headers=headers
                        )
                        where = (path, who, cursor, response.status_code, response.text[:200])
                        assert response.status_code < 500, where
                        if response.status_code != 200:
                            assert response.headers["content-type"] == (
                                "application/problem+json"
                            ), where
                        if response.status_code == 400:
                            answered_400.add(path)
                        if cursor == "WzFd" and response.status_code not in (401, 403, 404):
                            # An audit log pages by its entries' numbers: `[1]` is "after
                            # entry 1", a real place. Every other list is keyed by ids or dates.
                            allowed = {200, 400} if path.endswith("/audit") else {400}
                            assert response.status_code in allowed, where
        # Every list route that let the caller in read the cursor and refused it.
        assert answered_400, routes
