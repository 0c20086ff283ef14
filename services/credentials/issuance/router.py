"""HTTP for issuing and revoking credentials (university clients, scope
`credentials:issue`, bound to their institution)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from services.credentials.dependencies import RuntimeDep, SettingsDep
from services.credentials.issuance.models import IssuedCredential
from services.credentials.issuance.schemas import (
    DiplomaCreate,
    IssuedCredentialRead,
    RevocationCreate,
)
from services.credentials.issuance.service import IssuanceService
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import PublisherDep, SessionDep
from shared.errors import problem_responses

router = APIRouter(prefix="/v1/credentials", tags=["credentials"])

IssuerDep = Annotated[Principal, require_scope(Scope.CREDENTIALS_ISSUE)]


def issuance_service(
    session: SessionDep, settings: SettingsDep, publisher: PublisherDep, runtime: RuntimeDep
) -> IssuanceService:
    return IssuanceService(
        session=session, settings=settings, publisher=publisher, trust=runtime.trust
    )


ServiceDep = Annotated[IssuanceService, Depends(issuance_service)]


def _read(row: IssuedCredential) -> IssuedCredentialRead:
    return IssuedCredentialRead(
        id=row.id,
        kind=row.kind,
        institution_id=row.institution_id,
        status_list_id=row.status_list_id,
        status_index=row.status_index,
        valid_from=row.valid_from,
        revoked_at=row.revoked_at,
        revocation_reason=row.revocation_reason,
        credential=row.document,
        jwt=row.jwt,
    )


@router.post(
    "/diplomas",
    summary="Issue a diploma",
    status_code=status.HTTP_201_CREATED,
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 403, 422, 503),
)
async def issue_diploma(
    data: DiplomaCreate, principal: IssuerDep, service: ServiceDep
) -> IssuedCredentialRead:
    """Issue a diploma of the caller's institution to a graduate: a W3C Verifiable
    Credential (VCDM 2.0) secured as `vc+jwt` with the node's federation key, with the
    institution's QA status at the award date as evidence and an entry in the node's
    revocation status list. The holder's data stays on this node."""
    return _read(await service.issue_diploma(principal, data))


@router.get(
    "/{credential_id}",
    summary="One credential issued by the caller's institution",
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 403, 404),
)
async def get_credential(
    credential_id: uuid.UUID, principal: IssuerDep, service: ServiceDep
) -> IssuedCredentialRead:
    """The credential as issued, with its revocation if any."""
    return _read(await service.get(principal, credential_id))


@router.post(
    "/{credential_id}/revocation",
    summary="Revoke a credential",
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def revoke_credential(
    credential_id: uuid.UUID, data: RevocationCreate, principal: IssuerDep, service: ServiceDep
) -> IssuedCredentialRead:
    """Revoke a credential of the caller's institution, with a reason (kept on this node):
    its bit in the status list is set and the list published to every node, so verification
    anywhere says it is revoked."""
    return _read(await service.revoke(principal, credential_id, data))
