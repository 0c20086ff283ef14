"""`/v1/auth`: access tokens for API clients (OAuth2 client credentials, RFC 6749 §4.4)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote_plus

from fastapi import APIRouter, Request, Response

from services.gateway.clients.errors import InvalidClient, InvalidRequest, UnsupportedGrantType
from services.gateway.clients.repository import ApiClientRepository
from services.gateway.clients.schemas import TOKEN_REQUEST_BODY, JwkSet, TokenProblem, TokenResponse
from services.gateway.clients.service import (
    authenticate_client,
    grant_scopes,
    issue_access_token,
)
from services.gateway.dependencies import Runtime, SessionDep
from shared.errors import PROBLEM_MEDIA_TYPE, ServiceUnavailable, problem_responses

router = APIRouter(prefix="/v1/auth", tags=["auth"])

MAX_FORM_BYTES = 8192


def _token_problem(description: str) -> dict[str, object]:
    return {
        "model": TokenProblem,
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/TokenProblem"}}},
    }


async def _read_form(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise InvalidRequest("send the parameters as application/x-www-form-urlencoded")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise InvalidRequest(f"the form is larger than {MAX_FORM_BYTES} bytes")
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequest("the form is not valid UTF-8 url-encoding") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:  # RFC 6749 §3.2: parameters must not repeat
            raise InvalidRequest(f"the parameter {name!r} is repeated")
        form[name] = value
    return form


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        raise InvalidClient("client authentication must use HTTP Basic or the form fields")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidClient("malformed HTTP Basic credentials") from None
    client_id, colon, client_secret = decoded.partition(":")
    if not colon:
        raise InvalidClient("malformed HTTP Basic credentials")
    # RFC 6749 §2.3.1: both parts are form-url-encoded before the Basic encoding.
    return unquote_plus(client_id), unquote_plus(client_secret)


@router.post(
    "/token",
    summary="Get an access token",
    response_model=TokenResponse,
    openapi_extra={"requestBody": TOKEN_REQUEST_BODY},
    responses={
        400: _token_problem(
            "`invalid_request`, `unsupported_grant_type` or `invalid_scope` (the `error` member)"
        ),
        401: _token_problem("`invalid_client`: unknown client, wrong secret, or disabled"),
        **problem_responses(503),
    },
)
async def issue_token(
    request: Request, response: Response, runtime: Runtime, session: SessionDep
) -> TokenResponse:
    """OAuth2 client credentials grant (RFC 6749 §4.4).

    Authenticate with the `client_id` and `client_secret` an administrator created with
    `edunode clients create`, either as form fields or with HTTP Basic authentication, and
    send `grant_type=client_credentials`. Optionally narrow the token with `scope` (a
    space-separated subset of the client's scopes). The answer is a short-lived JWT to send
    as `Authorization: Bearer <token>`; errors carry the OAuth2 `error` code beside the
    problem+json members.
    """
    issuer = runtime.issuer
    if issuer is None:
        raise ServiceUnavailable(
            "this node issues no tokens: EDUNODE_GATEWAY_TOKEN_PRIVATE_KEY_FILE is not set"
        )
    form = await _read_form(request)
    basic = _basic_credentials(request)
    grant_type = form.get("grant_type")
    if not grant_type:
        raise InvalidRequest("grant_type is required")
    if grant_type != "client_credentials":
        raise UnsupportedGrantType(f"grant_type {grant_type!r} is not supported here")
    if basic is not None:
        if "client_secret" in form:
            raise InvalidRequest("authenticate with HTTP Basic or the form fields, not both")
        client_id, client_secret = basic
    else:
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        if not client_id or not client_secret:
            raise InvalidClient("client_id and client_secret are required")
    client = await authenticate_client(ApiClientRepository(session), client_id, client_secret)
    scopes = grant_scopes(client, form.get("scope"))
    response.headers["Cache-Control"] = "no-store"  # RFC 6749 §5.1
    response.headers["Pragma"] = "no-cache"
    return issue_access_token(issuer, client, scopes, runtime.settings.node_id)


@router.get(
    "/jwks",
    summary="Token verification keys",
    response_model=JwkSet,
    responses=problem_responses(503),
)
async def token_keys(runtime: Runtime) -> JwkSet:
    """The public keys (JWK set) that verify this node's access tokens, for clients and
    services that check tokens themselves."""
    if runtime.jwks is None:
        raise ServiceUnavailable("this node has no token key configured")
    return runtime.jwks
