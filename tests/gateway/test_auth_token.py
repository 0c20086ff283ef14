"""`POST /v1/auth/token`: OAuth2 client credentials, errors as problem+json with the OAuth2
`error` code."""

from __future__ import annotations

import base64
from urllib.parse import quote_plus

import httpx

from services.gateway.app import create_app
from shared.auth import Role, Scope, TokenVerifier
from tests.conftest import TokenKeys
from tests.gateway.conftest import Credentials, Stubs, gateway_settings, serve

TOKEN = "/v1/auth/token"


def _form(credentials: Credentials, **extra: str) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
        **extra,
    }


async def test_good_credentials_get_a_token_the_services_can_verify(
    gateway: httpx.AsyncClient, registrar: Credentials, token_keys: TokenKeys
) -> None:
    response = await gateway.post(TOKEN, data=_form(registrar))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["scope"] == "institutions:write programmes:write"
    verifier = TokenVerifier(token_keys.public_pem, issuer="edunode")
    principal = verifier.verify(body["access_token"])
    assert principal.client_id == registrar.client_id
    assert principal.role is Role.REGISTRAR
    assert principal.node == "cn"
    assert principal.scopes == {Scope.INSTITUTIONS_WRITE, Scope.PROGRAMMES_WRITE}


async def test_http_basic_client_authentication_is_accepted(
    gateway: httpx.AsyncClient, registrar: Credentials
) -> None:
    basic = base64.b64encode(
        f"{quote_plus(registrar.client_id)}:{quote_plus(registrar.client_secret)}".encode()
    ).decode()
    response = await gateway.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200, response.text


async def test_a_wrong_secret_is_invalid_client(
    gateway: httpx.AsyncClient, registrar: Credentials
) -> None:
    wrong = Credentials(registrar.client_id, registrar.client_secret[:-2] + "xx")
    response = await gateway.post(TOKEN, data=_form(wrong))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Basic")
    problem = response.json()
    assert problem["error"] == "invalid_client"
    assert problem["status"] == 401
    assert problem["request_id"] == response.headers["x-request-id"]


async def test_an_unknown_client_is_invalid_client(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(TOKEN, data=_form(Credentials("cli_nobody", "secret")))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_another_grant_type_is_unsupported(
    gateway: httpx.AsyncClient, registrar: Credentials
) -> None:
    response = await gateway.post(TOKEN, data=_form(registrar, grant_type="password"))
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


async def test_a_missing_grant_type_or_a_json_body_is_an_invalid_request(
    gateway: httpx.AsyncClient, registrar: Credentials
) -> None:
    form = _form(registrar)
    del form["grant_type"]
    response = await gateway.post(TOKEN, data=form)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")
    response = await gateway.post(TOKEN, json=_form(registrar))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


async def test_scope_narrows_the_token(gateway: httpx.AsyncClient, registrar: Credentials) -> None:
    response = await gateway.post(TOKEN, data=_form(registrar, scope="programmes:write"))
    assert response.status_code == 200
    assert response.json()["scope"] == "programmes:write"


async def test_a_scope_the_client_does_not_hold_is_invalid_scope(
    gateway: httpx.AsyncClient, registrar: Credentials
) -> None:
    response = await gateway.post(
        TOKEN, data=_form(registrar, scope="institutions:write quality:write")
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["error"] == "invalid_scope"
    assert "quality:write" in problem["detail"]


async def test_the_jwks_publishes_the_token_key(gateway: httpx.AsyncClient) -> None:
    keys = (await gateway.get("/v1/auth/jwks")).json()["keys"]
    assert keys[0]["kid"] == "cn:token:1"
    assert (keys[0]["kty"], keys[0]["crv"]) == ("OKP", "Ed25519")
    assert "d" not in keys[0]


async def test_without_a_private_key_the_token_endpoint_is_unavailable(
    stubs: Stubs, gateway_database_url: str, token_keys: TokenKeys, registrar: Credentials
) -> None:
    settings = gateway_settings(
        stubs, gateway_database_url, token_keys, token_private_key_file=None
    )
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.post(TOKEN, data=_form(registrar))
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "TOKEN_PRIVATE_KEY_FILE" in response.json()["detail"]
