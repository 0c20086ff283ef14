"""`GET /v1/<service>/audit`: a service's audit log, for this node's administrators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from shared.audit import AuditFilters, list_entries
from shared.auth import Principal, Role, Scope, require_scope
from shared.authority import ensure_role
from shared.db import Database
from shared.errors import Forbidden, problem_responses
from shared.fields import IsoDateTime
from shared.pagination import Page, PageParams, page_params

AuditorDep = Annotated[Principal, require_scope(Scope.AUDIT_READ)]


class AuditEntry(BaseModel):
    """One write: who, what, when, from which request, and the record's versions before and
    after. References only: never a record's content."""

    seq: int = Field(description="Position in the chain, from 1 without gaps.")
    at: datetime
    actor_client_id: str = Field(
        description="The API client; `node:<id>` for a peer's replicated event, `cli:<user>` "
        "for a command-line import, `system` for the node's own jobs."
    )
    actor_roles: str
    actor_node: str | None = None
    request_id: str | None = Field(
        default=None, description="The request's `X-Request-ID`, or the applied event's id."
    )
    action: str = Field(examples=["institution.updated"])
    record_type: str = Field(examples=["institution"])
    record_id: str
    version_before: int | None = None
    version_after: int | None = None
    prev_hash: str = Field(description="`hash` of entry `seq - 1` (64 zeros for the first).")
    hash: str = Field(description="SHA-256 of this entry's canonical form (docs/audit.md).")


EXAMPLE = {
    "items": [
        {
            "seq": 42,
            "at": "2026-11-26T10:15:02.123456Z",
            "actor_client_id": "cli_3q2Vx8rTn0aKpL1mZ7yB4w",
            "actor_roles": "registrar",
            "actor_node": "my",
            "request_id": "5f0c6a1e9b2d4c7f8a3e1b6d0c9f2a47",
            "action": "institution.updated",
            "record_type": "institution",
            "record_id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
            "version_before": 3,
            "version_after": 4,
            "prev_hash": "9c1f0b7d6e5a4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b",
            "hash": "3e7a9d1c5b8f2e4a6c0d9b7f1e3a5c8d2b4f6e0a9c7d1b3f5e8a2c4d6b0f9e1a",
        }
    ],
    "next_cursor": "WzQxXQ",
    "limit": 50,
}


def audit_router(service: str, *, locate: Callable[[Request], tuple[Database, str]]) -> APIRouter:
    """The audit route of `service`; `locate(request)` gives its database and the node id."""
    router = APIRouter(tags=["audit"])

    @router.get(
        f"/v1/{service}/audit",
        summary=f"The {service} audit log",
        response_model=Page[AuditEntry],
        responses=problem_responses(400, 401, 403, 422, examples={200: EXAMPLE}),
        name=f"{service}_audit",
    )
    async def read_audit_log(
        request: Request,
        principal: AuditorDep,
        page: Annotated[PageParams, Depends(page_params)],
        record_type: Annotated[
            str | None, Query(max_length=50, description="e.g. `institution`, `case`.")
        ] = None,
        record_id: Annotated[str | None, Query(max_length=100)] = None,
        actor: Annotated[
            str | None, Query(max_length=100, description="An actor's client id.")
        ] = None,
        since: Annotated[
            IsoDateTime | None, Query(description="Entries at or after this time (ISO 8601).")
        ] = None,
    ) -> Page[AuditEntry]:
        """Every write to this service's records, newest first: who (client and role), what
        (action, record type and id, versions before and after), when, and from which request,
        with the hash chain that makes tampering evident (`edunode audit verify`). The node's
        administrators only (role `node_admin`, scope `audit:read`). No personal data: entries
        reference records, they never copy them."""
        database, node = locate(request)
        ensure_role(principal, (Role.NODE_ADMIN,))
        if principal.node != node:
            raise Forbidden(f"only node {node!r}'s administrators read its audit log")
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)  # a time without a zone is UTC
        filters = AuditFilters(
            record_type=record_type, record_id=record_id, actor=actor, since=since
        )
        async with database.engine.connect() as connection:
            rows, next_cursor = await list_entries(connection, filters, page)
        return Page(
            items=[AuditEntry.model_validate(row) for row in rows],
            next_cursor=next_cursor,
            limit=page.limit,
        )

    return router
