"""The node's audit logs as the gateway shows them: one per service, each served by its owner
(`/v1/<service>/audit`, the gateway's own included), and `GET /v1/audit` naming them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from services.gateway.runtime import GatewayRuntime
from services.gateway.upstreams import ROUTED_SEGMENTS
from shared.audit_routes import AuditorDep, audit_router
from shared.auth import Role
from shared.authority import ensure_role
from shared.db import Database
from shared.errors import Forbidden, problem_responses

SERVICE = "gateway"


def _locate(request: Request) -> tuple[Database, str]:
    runtime: GatewayRuntime = request.app.state.gateway
    return runtime.database, runtime.settings.node_id


gateway_audit_router = audit_router(SERVICE, locate=_locate)


class AuditLog(BaseModel):
    service: str
    href: str = Field(description="Its entries, newest first (filters: see the operation).")


class AuditLogs(BaseModel):
    """Each service of the node keeps its own hash-chained log in its own database."""

    logs: list[AuditLog]


index_router = APIRouter(tags=["audit"])


@index_router.get(
    "/v1/audit",
    summary="The node's audit logs",
    response_model=AuditLogs,
    responses=problem_responses(
        401,
        403,
        examples={
            200: {
                "logs": [
                    {"service": name, "href": f"/v1/{name}/audit"}
                    for name in (*ROUTED_SEGMENTS, SERVICE)
                ]
            }
        },
    ),
)
async def audit_logs(request: Request, principal: AuditorDep) -> AuditLogs:
    """Where the node's audit logs are: every service keeps its own append-only, hash-chained
    log of the writes to its records (`edunode audit verify` checks them). Read each at its
    `href`, filtered by record type, record id, actor or time. Node administrators only."""
    runtime: GatewayRuntime = request.app.state.gateway
    ensure_role(principal, (Role.NODE_ADMIN,))
    if principal.node != runtime.settings.node_id:
        raise Forbidden(f"only node {runtime.settings.node_id!r}'s administrators read its logs")
    names = (*ROUTED_SEGMENTS, SERVICE)
    return AuditLogs(logs=[AuditLog(service=name, href=f"/v1/{name}/audit") for name in names])
