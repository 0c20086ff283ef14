"""Signing in with the agency's own identity provider: OpenID Connect's authorization code flow
with PKCE, by Authlib's Starlette client, configured by the gateway's environment
(`EDUNODE_GATEWAY_CONSOLE_OIDC_*`, `settings.py`).

1. `/console/login/oidc` sends the browser to the provider's authorization endpoint (found in
   its discovery document) with a fresh state, nonce and PKCE verifier. Authlib keeps them in a
   "session" dict; the console keeps that dict here in memory for `PENDING_SECONDS` under a
   one-time token in a cookie of that browser (SameSite=Lax: the provider's redirect back is a
   top-level navigation from another site).
2. `/console/login/oidc/callback` takes them back, has Authlib exchange the code at the token
   endpoint and check the ID token (its signature against the provider's JWKS, issuer,
   audience, expiry and nonce), then maps its claims to a console user (`person_of`): the role
   claim's values through `console_oidc_roles`, bindings from their own claims, under the
   same binding rules as every user. The user is created or brought up to date (the provider
   is the source of truth), with no usable password, and signed in with the console's own
   session.

A person's username is `idp.<preferred_username>.<8 hex of issuer+sub>`: it can never be a
local account's, nor another person's of the same display name.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import authlib.deprecate  # noqa: F401  (its import puts Authlib's warnings filter first)

with warnings.catch_warnings():
    # Authlib 1.9 asks for `httpx2` and warns when it falls back to httpx, which is what this
    # node uses everywhere: the fallback is supported, the warning says nothing to act on here.
    warnings.filterwarnings("ignore", "The httpx module is deprecated", DeprecationWarning)
    from authlib.integrations.starlette_client import OAuth, OAuthError

from services.gateway.console.models import ConsoleUser
from services.gateway.console.repository import ConsoleRepository
from services.gateway.console.service import NO_PASSWORD, UserSpec, validate_person
from services.gateway.settings import GatewaySettings

__all__ = ["OAuthError", "PendingLogins", "Provider", "person_of", "user_for"]

OIDC_COOKIE = "edunode_console_oidc"
OIDC_PATH = "/console/login/oidc"
PENDING_SECONDS = 600
PENDING_MAX = 10_000
USERNAME_PREFIX = "idp."


@dataclass(frozen=True)
class Pending:
    session: dict[str, Any]
    next_path: str
    until: float


class PendingLogins:
    """Sign-ins sent to the provider and not back yet, by their one-time token."""

    def __init__(self) -> None:
        self._pending: OrderedDict[str, Pending] = OrderedDict()

    def add(self, session: dict[str, Any], next_path: str) -> str:
        now = time.monotonic()
        while self._pending and (
            len(self._pending) >= PENDING_MAX or next(iter(self._pending.values())).until < now
        ):
            self._pending.popitem(last=False)
        token = secrets.token_urlsafe(24)
        self._pending[token] = Pending(session, next_path, now + PENDING_SECONDS)
        return token

    def take(self, token: str) -> Pending | None:
        pending = self._pending.pop(token, None)
        if pending is None or pending.until < time.monotonic():
            return None
        return pending


class Provider:
    """The agency's identity provider, as Authlib's client of it."""

    def __init__(self, settings: GatewaySettings) -> None:
        assert settings.console_oidc_issuer is not None
        self.settings = settings
        self.issuer = settings.console_oidc_issuer.rstrip("/")
        oauth = OAuth()
        self.client: Any = oauth.register(
            "agency",
            client_id=settings.console_oidc_client_id,
            client_secret=settings.console_oidc_client_secret.get_secret_value(),
            server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"},
        )
        self.pending = PendingLogins()


def _claim_values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def username_of(issuer: str, claims: dict[str, Any]) -> str:
    """`idp.<preferred_username, as a username can be>.<8 hex of the issuer and subject>`."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise ValueError("the identity provider named no subject (`sub`)")
    tag = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:8]
    shown = str(claims.get("preferred_username") or claims.get("email") or "person").lower()
    shown = re.sub(r"[^a-z0-9._-]+", "-", shown).strip("._-")[:40] or "person"
    return f"{USERNAME_PREFIX}{shown}.{tag}"


def person_of(settings: GatewaySettings, issuer: str, claims: dict[str, Any]) -> UserSpec:
    """The console user an ID token's claims make; ValueError says why they make none."""
    values = set(_claim_values(claims.get(settings.console_oidc_role_claim)))
    role = next((r for claim, r in settings.console_oidc_roles.items() if claim in values), None)
    if role is None:
        raise ValueError(
            "your account there has no role that opens this console "
            f"(claim {settings.console_oidc_role_claim!r})"
        )
    name = str(claims.get("name") or claims.get("preferred_username") or claims.get("sub"))
    institution = claims.get(settings.console_oidc_institution_claim)
    agency = claims.get(settings.console_oidc_agency_claim)
    return validate_person(
        username_of(issuer, claims),
        name[:200],
        role,
        str(institution) if institution and role == "university" else None,
        str(agency) if agency and role == "qa_agency" else None,
    )


async def user_for(repository: ConsoleRepository, spec: UserSpec, issuer: str) -> ConsoleUser:
    """The provider's person as a console user: created at the first sign-in, brought up to
    date at every other (role, name and bindings are the provider's to say)."""
    user = await repository.user(spec.username)
    if user is None:
        user = ConsoleUser(
            username=spec.username,
            display_name=spec.display_name,
            role=spec.role.value,
            institution_id=spec.institution_id,
            agency_id=spec.agency_id,
            password_hash=NO_PASSWORD,
            failed_logins=0,
            created_by=f"oidc:{issuer}"[:80],
        )
        return await repository.add_user(user)
    if user.password_hash != NO_PASSWORD:
        raise ValueError("a local account has this name")  # an admin made an `idp.` user
    if user.locked_at is not None:
        raise ValueError("this account is locked; ask an administrator to unlock it")
    user.display_name = spec.display_name
    user.role = spec.role.value
    user.institution_id = spec.institution_id
    user.agency_id = spec.agency_id
    return user
