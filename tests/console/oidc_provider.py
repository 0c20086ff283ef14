"""A minimal OpenID Connect provider for the console's tests, served on a real socket: the
discovery document, the authorization endpoint (a sign-in form a person fills in the browser),
the token endpoint (authorization code with PKCE, client_secret_basic or _post) and the JWKS,
with ID tokens signed RS256 by joserfc. Written to OpenID Connect Core 1.0 (§3.1) and RFC 7636,
not to the console's code: what it checks is what a real provider checks."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "edunode-console"
CLIENT_SECRET = "a client secret of the console"


@dataclass
class Account:
    password: str
    claims: dict[str, Any]


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str | None
    subject: str
    used: bool = False


@dataclass
class AgencyProvider:
    """The provider's state: its accounts, its signing key, the codes it gave out."""

    accounts: dict[str, Account]
    redirect_uris: set[str] = field(default_factory=set)
    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    # A key the provider does not publish: set it to sign ID tokens nobody can check.
    rogue_key: RSAKey | None = None
    grants: dict[str, Grant] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/authorize", self.authorize_form, methods=["GET"]),
                Route("/authorize", self.authorize, methods=["POST"]),
                Route("/token", self.token, methods=["POST"]),
                Route("/jwks", self.jwks),
            ]
        )

    async def discovery(self, _request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile", "email"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def jwks(self, _request: Request) -> Response:
        public = self.key.as_dict(private=False) | {"use": "sig", "alg": "RS256"}
        return JSONResponse({"keys": [public]})

    def _checked_request(self, params: Any) -> str | None:
        """What is wrong with an authorization request, if anything."""
        if params.get("client_id") != CLIENT_ID:
            return "unknown client"
        if params.get("redirect_uri") not in self.redirect_uris:
            return "unregistered redirect_uri"
        if params.get("response_type") != "code" or "openid" not in params.get("scope", ""):
            return "not an OpenID Connect code request"
        return None

    async def authorize_form(self, request: Request) -> Response:
        params = request.query_params
        problem = self._checked_request(params)
        if problem:
            return HTMLResponse(f"<p>{escape(problem)}</p>", status_code=400)
        hidden = "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
            for k, v in params.items()
        )
        return HTMLResponse(
            '<!doctype html><html lang="en"><title>Agency sign-in</title><h1>Agency sign-in</h1>'
            f'<form method="post" action="/authorize">{hidden}'
            '<label>Agency username <input name="login"></label>'
            '<label>Agency password <input name="secret" type="password"></label>'
            "<button>Continue</button></form></html>"
        )

    async def authorize(self, request: Request) -> Response:
        form = await request.form()
        params = {k: str(v) for k, v in form.items()}
        problem = self._checked_request(params)
        account = self.accounts.get(params.get("login", ""))
        if problem or account is None or account.password != params.get("secret"):
            return HTMLResponse("<p>Wrong agency username or password.</p>", status_code=401)
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            CLIENT_ID,
            params["redirect_uri"],
            params.get("nonce"),
            params.get("code_challenge") if params.get("code_challenge_method") == "S256" else None,
            params["login"],
        )
        query = urlencode({"code": code, "state": params.get("state", "")})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.token_requests.append(form)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if client_id != CLIENT_ID or secret != CLIENT_SECRET:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.grants.get(form.get("code", ""))
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant.used
            or grant.redirect_uri != form.get("redirect_uri")
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        grant.used = True
        if grant.challenge is not None:
            verifier = form.get("code_verifier", "").encode()
            computed = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if computed.decode() != grant.challenge:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.subject,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
        } | self.accounts[grant.subject].claims
        if grant.nonce:
            claims["nonce"] = grant.nonce
        key = self.rogue_key or self.key
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
            headers={"Cache-Control": "no-store"},
        )
