"""The rules for API clients: who may hold which scopes, how secrets are checked, and what a
token says. No SQL (see `repository.py`), no HTTP (see `router.py`).

The functions here never commit, except `create_client(_async)` at the end: the command line's
entry point, which opens (and so commits) its own unit of work as a request would.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from services.gateway.clients.errors import InvalidClient, InvalidScope
from services.gateway.clients.models import ApiClient
from services.gateway.clients.repository import ApiClientRepository
from services.gateway.clients.schemas import TokenResponse
from shared.audit import act_as, command_line_actor
from shared.auth import ROLE_SCOPES, Principal, Role, Scope, TokenIssuer
from shared.db import Database

CLIENT_ID_PREFIX = "cli_"

# Roles whose clients act for one record, and the binding each needs.
_ROLE_BINDING = {Role.UNIVERSITY: "institution_id", Role.QA_AGENCY: "agency_id"}


def hash_secret(secret: str) -> str:
    """The stored form of a client secret.

    A plain SHA-256 suffices: secrets are 32 random bytes that we generate, never passwords
    people choose, so a stolen digest cannot be brute-forced and a slow KDF (argon2) would only
    add tens of milliseconds to every token request.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


# Compared against when the client id is unknown, so both failures cost the same time.
_UNKNOWN_CLIENT_HASH = hash_secret(secrets.token_urlsafe(32))


@dataclass(frozen=True)
class ClientSpec:
    """A validated request to register a client."""

    name: str
    role: Role
    scopes: frozenset[Scope]
    institution_id: uuid.UUID | None
    agency_id: uuid.UUID | None


def _parse_uuid(field: str, value: uuid.UUID | str | None) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValueError(f"{field} {value!r} is not a UUID") from None


def parse_scopes(scopes: str | Iterable[str | Scope]) -> frozenset[Scope]:
    """Scopes from a space- or comma-separated string or a list; ValueError names unknown ones."""
    items = scopes.replace(",", " ").split() if isinstance(scopes, str) else list(scopes)
    unknown = sorted(str(item) for item in items if str(item) not in Scope._value2member_map_)
    if unknown:
        known = ", ".join(scope.value for scope in Scope)
        raise ValueError(f"unknown scope(s) {', '.join(unknown)}; known scopes: {known}")
    return frozenset(Scope(str(item)) for item in items)


def validate_client_spec(
    name: str,
    role: Role | str,
    scopes: str | Iterable[str | Scope],
    institution_id: uuid.UUID | str | None = None,
    agency_id: uuid.UUID | str | None = None,
) -> ClientSpec:
    """Check a client before it exists; ValueError says what to fix."""
    name = name.strip()
    if not name or len(name) > 200:
        raise ValueError("name must be 1 to 200 characters")
    try:
        parsed_role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {role!r}; roles: {roles}") from None
    parsed_scopes = parse_scopes(scopes)
    not_allowed = parsed_scopes - ROLE_SCOPES[parsed_role]
    if not_allowed:
        allowed = ", ".join(sorted(s.value for s in ROLE_SCOPES[parsed_role])) or "none"
        refused = ", ".join(sorted(s.value for s in not_allowed))
        raise ValueError(f"role {parsed_role.value} cannot hold {refused}; it may hold: {allowed}")
    bindings = {
        "institution_id": _parse_uuid("institution_id", institution_id),
        "agency_id": _parse_uuid("agency_id", agency_id),
    }
    required = _ROLE_BINDING.get(parsed_role)
    for field, value in bindings.items():
        if field == required and value is None:
            raise ValueError(f"a {parsed_role.value} client must be bound to its {field}")
        if field != required and value is not None:
            raise ValueError(
                f"{field} binds only a {_binding_role(field).value} client, not {parsed_role.value}"
            )
    return ClientSpec(
        name=name,
        role=parsed_role,
        scopes=parsed_scopes,
        institution_id=bindings["institution_id"],
        agency_id=bindings["agency_id"],
    )


def _binding_role(field: str) -> Role:
    return next(role for role, bound in _ROLE_BINDING.items() if bound == field)


async def register_client(
    repository: ApiClientRepository, spec: ClientSpec
) -> tuple[ApiClient, str]:
    """Create a client; returns it with its secret, which is shown once and never stored."""
    client_id = CLIENT_ID_PREFIX + secrets.token_urlsafe(16)
    client_secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id=client_id,
        name=spec.name,
        role=spec.role.value,
        scopes=" ".join(sorted(scope.value for scope in spec.scopes)),
        institution_id=spec.institution_id,
        agency_id=spec.agency_id,
        secret_hash=hash_secret(client_secret),
    )
    await repository.add(client)
    return client, client_secret


async def authenticate_client(
    repository: ApiClientRepository, client_id: str, client_secret: str
) -> ApiClient:
    """The client whose credentials these are; InvalidClient otherwise (without saying which
    part was wrong)."""
    client = await repository.get(client_id) if len(client_id) <= 64 else None
    expected = client.secret_hash if client is not None else _UNKNOWN_CLIENT_HASH
    matches = hmac.compare_digest(hash_secret(client_secret), expected)
    if client is None or not matches:
        raise InvalidClient()
    if client.disabled_at is not None:
        raise InvalidClient("this client is disabled")
    return client


def grant_scopes(client: ApiClient, requested: str | None) -> frozenset[Scope]:
    """The scopes a token gets: all the client holds, or the subset it asked for."""
    held = frozenset(Scope(value) for value in client.scopes.split())
    if requested is None or not requested.strip():
        return held
    asked = requested.split()
    refused = sorted(
        {s for s in asked if s not in Scope._value2member_map_ or Scope(s) not in held}
    )
    if refused:
        raise InvalidScope(f"scope(s) not granted to this client: {' '.join(refused)}")
    return frozenset(Scope(s) for s in asked)


def issue_access_token(
    issuer: TokenIssuer, client: ApiClient, scopes: frozenset[Scope], node: str
) -> TokenResponse:
    """Sign a token for `client` naming `scopes`."""
    principal = Principal(
        client_id=client.client_id,
        role=Role(client.role),
        scopes=scopes,
        node=node,
        institution_id=client.institution_id,
        agency_id=client.agency_id,
    )
    return TokenResponse(
        access_token=issuer.issue(principal),
        token_type="Bearer",
        expires_in=issuer.ttl_seconds,
        scope=" ".join(sorted(scope.value for scope in scopes)),
    )


# -- the command line's entry point: its own unit of work ----------------------------------------


async def create_client_async(
    database_url: str,
    name: str,
    role: Role | str,
    scopes: str | Iterable[str | Scope],
    institution_id: uuid.UUID | str | None = None,
    agency_id: uuid.UUID | str | None = None,
) -> tuple[str, str]:
    """Register an API client; returns `(client_id, client_secret)`.

    Scopes are a list or a space/comma-separated string and must be a subset of what the role
    may hold; a `university` client needs `institution_id` and a `qa_agency` client `agency_id`.
    Raises ValueError with a message for the user otherwise. The secret is returned once and
    only its digest is stored.
    """
    spec = validate_client_spec(name, role, scopes, institution_id, agency_id)
    database = Database(database_url)
    try:
        async with database.session() as session:
            act_as(session, command_line_actor())
            _client, secret = await register_client(ApiClientRepository(session), spec)
            client_id = _client.client_id
    finally:
        await database.dispose()
    return client_id, secret


def create_client(
    database_url: str,
    name: str,
    role: Role | str,
    scopes: str | Iterable[str | Scope],
    institution_id: uuid.UUID | str | None = None,
    agency_id: uuid.UUID | str | None = None,
) -> tuple[str, str]:
    """Blocking form of `create_client_async`, for the CLI (also callable inside a running event
    loop, where it runs on a private loop in a thread)."""
    work = create_client_async(database_url, name, role, scopes, institution_id, agency_id)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        return executor.submit(asyncio.run, work).result()
