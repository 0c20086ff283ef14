"""Auth primitives: Ed25519-signed JWTs, the typed principal, and the one dependency that
gives every route its principal.

The gateway issues short-lived tokens (OAuth2 client credentials); every service verifies them
again itself with the gateway's public key (defence in depth), so a request that bypasses the
gateway gains nothing. Reads of public data need no token; every write names the scope it needs.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from pydantic import BaseModel, ConfigDict, ValidationError

from shared.errors import Forbidden, Unauthorized, problem_response_object

TOKEN_ALGORITHM = "Ed25519"  # RFC 9864's fully specified name for EdDSA over Ed25519


class Role(StrEnum):
    """Who a client is (BRIEF §5)."""

    NODE_ADMIN = "node_admin"
    REGISTRAR = "registrar"
    QA_AGENCY = "qa_agency"
    RECOGNITION_OFFICER = "recognition_officer"
    UNIVERSITY = "university"


class Scope(StrEnum):
    """What a token allows; every write route requires one."""

    INSTITUTIONS_WRITE = "institutions:write"
    PROGRAMMES_WRITE = "programmes:write"
    QUALITY_WRITE = "quality:write"
    QUALITY_ADMIN = "quality:admin"
    RECOGNITION_CASES = "recognition:cases"
    RECOGNITION_DECIDE = "recognition:decide"
    REFERENCE_WRITE = "reference:write"
    FEDERATION_ADMIN = "federation:admin"
    AUDIT_READ = "audit:read"
    CLIENTS_ADMIN = "clients:admin"
    CREDENTIALS_ISSUE = "credentials:issue"
    MOBILITY_AGREEMENTS = "mobility:agreements"
    MOBILITY_TRANSCRIPTS = "mobility:transcripts"
    CREDENTIALS_INQUIRE = "credentials:inquire"


# The scopes each role may be granted; a client is created with a subset.
ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.NODE_ADMIN: frozenset(Scope),
    Role.REGISTRAR: frozenset({Scope.INSTITUTIONS_WRITE, Scope.PROGRAMMES_WRITE}),
    Role.QA_AGENCY: frozenset({Scope.QUALITY_WRITE}),
    Role.RECOGNITION_OFFICER: frozenset(
        {Scope.RECOGNITION_CASES, Scope.RECOGNITION_DECIDE, Scope.CREDENTIALS_INQUIRE}
    ),
    Role.UNIVERSITY: frozenset(
        {
            Scope.PROGRAMMES_WRITE,
            Scope.CREDENTIALS_ISSUE,
            Scope.MOBILITY_AGREEMENTS,
            Scope.MOBILITY_TRANSCRIPTS,
            Scope.CREDENTIALS_INQUIRE,
        }
    ),
}


class Principal(BaseModel):
    """The authenticated caller, as every service sees it."""

    model_config = ConfigDict(frozen=True)

    client_id: str
    role: Role
    scopes: frozenset[Scope]
    node: str
    institution_id: uuid.UUID | None = None
    agency_id: uuid.UUID | None = None

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes

    def to_claims(self) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "sub": self.client_id,
            "role": self.role.value,
            "scope": " ".join(sorted(s.value for s in self.scopes)),
            "node": self.node,
        }
        if self.institution_id:
            claims["institution_id"] = str(self.institution_id)
        if self.agency_id:
            claims["agency_id"] = str(self.agency_id)
        return claims

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        return cls(
            client_id=claims["sub"],
            role=claims["role"],
            scopes=frozenset(Scope(s) for s in str(claims.get("scope", "")).split() if s),
            node=claims["node"],
            institution_id=claims.get("institution_id"),
            agency_id=claims.get("agency_id"),
        )


def generate_token_key() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as (private PEM, public PEM)."""
    key = OKPKey.generate_key("Ed25519")
    return key.as_pem(private=True), key.as_pem(private=False)


class TokenIssuer:
    """Signs access tokens (the gateway holds the only private key of a node)."""

    def __init__(self, private_pem: bytes, *, issuer: str, key_id: str, ttl_seconds: int) -> None:
        self._key = OKPKey.import_key(private_pem)
        self.issuer = issuer
        self.key_id = key_id
        self.ttl_seconds = ttl_seconds

    def issue(self, principal: Principal) -> str:
        now = int(time.time())
        claims = principal.to_claims() | {
            "iss": self.issuer,
            "iat": now,
            "exp": now + self.ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        header = {"alg": TOKEN_ALGORITHM, "kid": self.key_id, "typ": "JWT"}
        return jwt.encode(header, claims, self._key, algorithms=[TOKEN_ALGORITHM])


class TokenVerifier:
    """Verifies access tokens with the public key; caches verified tokens until they expire."""

    def __init__(self, public_pem: bytes, *, issuer: str, cache_size: int = 4096) -> None:
        self._key = OKPKey.import_key(public_pem)
        self._registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": issuer},
            exp={"essential": True},
            sub={"essential": True},
        )
        self._cache: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._cache_size = cache_size

    @classmethod
    def from_file(cls, path: Path, *, issuer: str) -> TokenVerifier:
        return cls(path.read_bytes(), issuer=issuer)

    def verify(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None:
            principal, expires = cached
            if expires > time.time():
                return principal
            del self._cache[token]
        try:
            decoded = jwt.decode(token, self._key, algorithms=[TOKEN_ALGORITHM])
            self._registry.validate(decoded.claims)
            principal = Principal.from_claims(decoded.claims)
        except (JoseError, ValueError, KeyError, ValidationError) as error:
            raise Unauthorized(f"the token is not valid: {error}") from None
        self._cache[token] = (principal, float(decoded.claims["exp"]))
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal


BEARER_SCHEME = "HTTPBearer"
OPTIONAL_BEARER_SCHEME = "HTTPBearerOptional"
_TOKEN_TEXT = "An access token from `POST /v1/auth/token`."

_bearer = HTTPBearer(auto_error=False, scheme_name=BEARER_SCHEME, description=_TOKEN_TEXT)
# A second name for the same scheme marks the operations where a token is optional (a public
# read that shows more to a caller with one); `declare_optional_auth` turns it into OpenAPI's
# "anonymous or bearer" in the document.
_optional_bearer = HTTPBearer(
    auto_error=False, scheme_name=OPTIONAL_BEARER_SCHEME, description=_TOKEN_TEXT
)


def _verifier(request: Request) -> TokenVerifier | None:
    return getattr(request.app.state, "token_verifier", None)


def _principal_of(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Principal | None:
    if credentials is None:
        return None
    verifier = _verifier(request)
    if verifier is None:
        raise Unauthorized("this service has no token key configured; writes are disabled")
    principal = verifier.verify(credentials.credentials)
    request.state.principal = principal
    return principal


async def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_optional_bearer)],
) -> Principal | None:
    """The caller if a valid token is presented; None for an anonymous request."""
    return _principal_of(request, credentials)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller; 401 without a valid token."""
    principal = _principal_of(request, credentials)
    if principal is None:
        raise Unauthorized()
    return principal


def declare_optional_auth(document: dict[str, Any]) -> dict[str, Any]:
    """Rewrite `document` (in place) so that an operation taking a token only optionally says
    so: security `[{}, {"HTTPBearer": []}]`, anonymous or bearer, and a 401 for a token that
    is not valid. An operation that also requires a token keeps requiring it."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    optional = schemes.pop(OPTIONAL_BEARER_SCHEME, None)
    if optional is None:
        return document
    schemes.setdefault(BEARER_SCHEME, optional)
    for item in document.get("paths", {}).values():
        for operation in item.values():
            security = operation.get("security") if isinstance(operation, dict) else None
            if not security or not any(OPTIONAL_BEARER_SCHEME in r for r in security):
                continue
            required = [r for r in security if OPTIONAL_BEARER_SCHEME not in r]
            operation["security"] = required or [{}, {BEARER_SCHEME: []}]
            operation.setdefault("responses", {}).setdefault("401", problem_response_object(401))
    return document


def require_scope(scope: Scope) -> Any:
    """Dependency: the caller, who must hold `scope` (401 without a token, 403 without it)."""

    async def dependency(
        principal: Annotated[Principal, Depends(current_principal)],
    ) -> Principal:
        if not principal.has(scope):
            raise Forbidden(f"this action needs the scope {scope.value!r}")
        return principal

    return Depends(dependency)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
