"""HTTP for issuing, revoking and suspending credentials: diplomas and micro-credentials
(university clients, scope `credentials:issue`, bound to their institution), statements of
recognition (recognition officers, scope `recognition:decide`), QA evaluations (QA agency
clients, scope `quality:write`, bound to their agency)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from services.credentials.dependencies import RuntimeDep, SettingsDep
from services.credentials.issuance.models import IssuedCredential
from services.credentials.issuance.schemas import (
    DiplomaCreate,
    EvaluationCredentialCreate,
    IssuedCredentialRead,
    MicroCredentialCreate,
    RevocationCreate,
    StatementCreate,
    SuspensionCreate,
)
from services.credentials.issuance.service import IssuanceService
from shared.auth import CurrentPrincipal, Principal, Scope, require_scope
from shared.dependencies import PublisherDep, SessionDep
from shared.errors import problem_responses

router = APIRouter(prefix="/v1/credentials", tags=["credentials"])

IssuerDep = Annotated[Principal, require_scope(Scope.CREDENTIALS_ISSUE)]
DeciderDep = Annotated[Principal, require_scope(Scope.RECOGNITION_DECIDE)]
AgencyDep = Annotated[Principal, require_scope(Scope.QUALITY_WRITE)]


async def issuance_service(
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
        agency_id=row.agency_id,
        source_id=row.source_id,
        status_list_id=row.status_list_id,
        status_index=row.status_index,
        suspension_list_id=row.suspension_list_id,
        suspension_index=row.suspension_index,
        valid_from=row.valid_from,
        revoked_at=row.revoked_at,
        revocation_reason=row.revocation_reason,
        suspended_at=row.suspended_at,
        suspension_reason=row.suspension_reason,
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
    institution's QA status at the award date as evidence and entries in the node's
    revocation and suspension status lists. The holder's data stays on this node."""
    return _read(await service.issue_diploma(principal, data))


@router.post(
    "/micro-credentials",
    summary="Issue a micro-credential",
    status_code=status.HTTP_201_CREATED,
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 403, 422, 503),
)
async def issue_micro_credential(
    data: MicroCredentialCreate, principal: IssuerDep, service: ServiceDep
) -> IssuedCredentialRead:
    """Issue a micro-credential of the caller's institution to a learner: an Open Badges 3.0
    `OpenBadgeCredential` (VCDM 2.0, `vc+jwt`) carrying every mandatory element of the EU
    Council Recommendation of 16 June 2022 (2022/C 243/02, Annex I); a missing one is a 422
    naming it. It can be revoked, not suspended (Open Badges 3.0 takes one status entry)."""
    return _read(await service.issue_micro_credential(principal, data))


@router.post(
    "/recognition-statements",
    summary="Issue a statement of recognition",
    status_code=status.HTTP_201_CREATED,
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 403, 409, 422, 503),
)
async def issue_recognition_statement(
    data: StatementCreate, principal: DeciderDep, service: ServiceDep, request: Request
) -> IssuedCredentialRead:
    """Issue to its applicant the final decision on a recognition case of this node: the
    case and decision are read from the node's recognition service with the caller's token.
    A case that does not exist → 422; one not decided, or under appeal → 409. The
    applicant's data stays on this node."""
    authorization = request.headers.get("authorization")
    return _read(await service.issue_statement(principal, data, authorization))


@router.post(
    "/qa-evaluations",
    summary="Issue a QA evaluation as a credential",
    status_code=status.HTTP_201_CREATED,
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 403, 409, 422, 503),
)
async def issue_qa_evaluation(
    data: EvaluationCredentialCreate, principal: AgencyDep, service: ServiceDep
) -> IssuedCredentialRead:
    """Issue one of the caller agency's evaluations, as the node's quality service
    publishes it, as a public credential (no person in it). Another agency's evaluation →
    403; a withdrawn one → 409; one not published → 422."""
    return _read(await service.issue_evaluation(principal, data))


@router.get(
    "/{credential_id}",
    summary="One credential the caller manages",
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 404),
)
async def get_credential(
    credential_id: uuid.UUID, principal: CurrentPrincipal, service: ServiceDep
) -> IssuedCredentialRead:
    """The credential as issued, with its revocation or suspension if any: for the issuing
    institution's or agency's clients, the recognition officers (statements) and the node's
    admins; 404 for anyone else."""
    return _read(await service.get(principal, credential_id))


@router.post(
    "/{credential_id}/revocation",
    summary="Revoke a credential",
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 404, 409, 422),
)
async def revoke_credential(
    credential_id: uuid.UUID,
    data: RevocationCreate,
    principal: CurrentPrincipal,
    service: ServiceDep,
) -> IssuedCredentialRead:
    """Revoke a credential the caller manages, for good, with a reason (kept on this node):
    its bit in the revocation list is set and the list published to every node, so
    verification anywhere says it is revoked."""
    return _read(await service.revoke(principal, credential_id, data))


@router.post(
    "/{credential_id}/suspension",
    summary="Suspend a credential",
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 404, 409, 422),
)
async def suspend_credential(
    credential_id: uuid.UUID,
    data: SuspensionCreate,
    principal: CurrentPrincipal,
    service: ServiceDep,
) -> IssuedCredentialRead:
    """Suspend a credential the caller manages, until lifted, with a reason that stays on
    this node: its bit in the suspension list is set and the list published, so
    verification anywhere says it is suspended. 409 if revoked, already suspended, or it has
    no suspension entry (a micro-credential)."""
    return _read(await service.suspend(principal, credential_id, data))


@router.delete(
    "/{credential_id}/suspension",
    summary="Lift a suspension",
    response_model=IssuedCredentialRead,
    responses=problem_responses(401, 404, 409),
)
async def lift_suspension(
    credential_id: uuid.UUID, principal: CurrentPrincipal, service: ServiceDep
) -> IssuedCredentialRead:
    """Lift a credential's suspension: its bit is cleared and the list published."""
    return _read(await service.lift_suspension(principal, credential_id))
