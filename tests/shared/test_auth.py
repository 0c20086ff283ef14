"""Tokens: signed by the gateway's Ed25519 key, verified by every service itself. A bad token
is a 401, a good token without the scope a 403."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import orjson
import pytest
from fastapi import FastAPI

from shared.auth import (
    ROLE_SCOPES,
    OptionalPrincipal,
    Principal,
    Role,
    Scope,
    TokenIssuer,
    TokenVerifier,
    generate_token_key,
    require_scope,
)
from shared.errors import Unauthorized
from shared.web import create_service_app
from tests.conftest import TOKEN_ISSUER, MakeToken, TokenKeys, bearer

REGISTRAR = Principal(
    client_id="registrar-1",
    role=Role.REGISTRAR,
    scopes=ROLE_SCOPES[Role.REGISTRAR],
    node="cn",
    institution_id=uuid.UUID("0190aaaa-0000-7000-8000-000000000001"),
)


def issuer_for(keys: TokenKeys, *, ttl: int = 300, issuer: str = TOKEN_ISSUER) -> TokenIssuer:
    return TokenIssuer(keys.private_pem, issuer=issuer, key_id="k1", ttl_seconds=ttl)


@pytest.fixture
def verifier(token_keys: TokenKeys) -> TokenVerifier:
    return TokenVerifier.from_file(token_keys.public_key_file, issuer=TOKEN_ISSUER)


def test_a_token_carries_the_principal(token_keys: TokenKeys, verifier: TokenVerifier) -> None:
    token = issuer_for(token_keys).issue(REGISTRAR)

    assert verifier.verify(token) == REGISTRAR
    header = orjson.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "Ed25519", "kid": "k1", "typ": "JWT"}


def test_an_expired_token_is_refused(token_keys: TokenKeys, verifier: TokenVerifier) -> None:
    token = issuer_for(token_keys, ttl=-5).issue(REGISTRAR)

    with pytest.raises(Unauthorized, match="the token is not valid"):
        verifier.verify(token)


def test_a_cached_token_is_refused_once_it_expires(
    token_keys: TokenKeys, verifier: TokenVerifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = issuer_for(token_keys, ttl=60).issue(REGISTRAR)
    verifier.verify(token)
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)

    with pytest.raises(Unauthorized):
        verifier.verify(token)


def test_a_token_signed_by_another_key_is_refused(
    token_keys: TokenKeys, verifier: TokenVerifier
) -> None:
    other_private, _ = generate_token_key()
    forged = TokenIssuer(other_private, issuer=TOKEN_ISSUER, key_id="k1", ttl_seconds=300)

    with pytest.raises(Unauthorized):
        verifier.verify(forged.issue(REGISTRAR))


def test_a_tampered_token_is_refused(token_keys: TokenKeys, verifier: TokenVerifier) -> None:
    header, payload, signature = issuer_for(token_keys).issue(REGISTRAR).split(".")
    claims = orjson.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = Role.NODE_ADMIN.value
    claims["scope"] = " ".join(s.value for s in Scope)
    raised = base64.urlsafe_b64encode(orjson.dumps(claims)).decode().rstrip("=")

    with pytest.raises(Unauthorized):
        verifier.verify(f"{header}.{raised}.{signature}")


def test_an_unsigned_token_is_refused(verifier: TokenVerifier) -> None:
    def part(document: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(document)).decode().rstrip("=")

    claims = REGISTRAR.to_claims() | {"iss": TOKEN_ISSUER, "exp": int(time.time()) + 60}
    token = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."

    with pytest.raises(Unauthorized):
        verifier.verify(token)


def test_a_token_of_another_issuer_is_refused(
    token_keys: TokenKeys, verifier: TokenVerifier
) -> None:
    token = issuer_for(token_keys, issuer="someone-else").issue(REGISTRAR)

    with pytest.raises(Unauthorized):
        verifier.verify(token)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "Bearer x"])
def test_garbage_is_refused(verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(Unauthorized):
        verifier.verify(token)


@pytest.fixture
async def client(verifier: TokenVerifier) -> AsyncIterator[httpx.AsyncClient]:
    app = create_service_app(
        service="auth-test",
        title="auth test",
        description="",
        version="0",
        lifespan=None,
        readiness=lambda _app: {},
    )
    app.state.token_verifier = verifier
    add_routes(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def add_routes(app: FastAPI) -> None:
    @app.post("/institutions")
    async def write(
        principal: Annotated[Principal, require_scope(Scope.INSTITUTIONS_WRITE)],
    ) -> dict[str, str]:
        return {"client_id": principal.client_id, "role": principal.role.value}

    @app.get("/public")
    async def public(principal: OptionalPrincipal) -> dict[str, str | None]:
        return {"client_id": principal.client_id if principal else None}


async def test_a_write_needs_a_token_with_its_scope(
    client: httpx.AsyncClient, make_token: MakeToken
) -> None:
    anonymous = await client.post("/institutions")
    garbage = await client.post("/institutions", headers=bearer("not-a-token"))
    basic = await client.post("/institutions", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    no_scope = await client.post(
        "/institutions", headers=bearer(make_token(Role.REGISTRAR, [Scope.PROGRAMMES_WRITE]))
    )
    granted = await client.post("/institutions", headers=bearer(make_token(Role.REGISTRAR)))

    for refused in (anonymous, garbage, basic):
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["www-authenticate"] == 'Bearer realm="edunode"'
    assert no_scope.status_code == 403
    assert no_scope.json()["detail"] == "this action needs the scope 'institutions:write'"
    assert granted.status_code == 200
    assert granted.json() == {"client_id": "test-client", "role": "registrar"}


async def test_public_reads_need_no_token_but_refuse_a_bad_one(
    client: httpx.AsyncClient, make_token: MakeToken
) -> None:
    anonymous = await client.get("/public")
    known = await client.get("/public", headers=bearer(make_token(Role.UNIVERSITY)))
    bad = await client.get("/public", headers=bearer("x.y.z"))

    assert anonymous.json() == {"client_id": None}
    assert known.json() == {"client_id": "test-client"}
    assert bad.status_code == 401


async def test_a_service_without_a_token_key_refuses_writes(make_token: MakeToken) -> None:
    app = create_service_app(
        service="auth-test",
        title="auth test",
        description="",
        version="0",
        lifespan=None,
        readiness=lambda _app: {},
    )
    add_routes(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/institutions", headers=bearer(make_token(Role.NODE_ADMIN)))

    assert response.status_code == 401
    assert "writes are disabled" in response.json()["detail"]


async def test_the_document_says_which_operations_take_a_token_only_optionally(
    client: httpx.AsyncClient,
) -> None:
    # Conformance found a public read declared as requiring a token (schemathesis's
    # `ignored_auth`): an optional token must read as "anonymous or bearer".
    document = (await client.get("/openapi.json")).json()
    public = document["paths"]["/public"]["get"]
    write = document["paths"]["/institutions"]["post"]

    assert public["security"] == [{}, {"HTTPBearer": []}]
    assert public["responses"]["401"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert write["security"] == [{"HTTPBearer": []}]
    assert set(document["components"]["securitySchemes"]) == {"HTTPBearer"}
