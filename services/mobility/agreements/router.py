"""HTTP for inter-institutional agreements (scope `mobility:agreements`): a university's
client proposes, changes (with `If-Match`), approves and terminates its institution's
agreements; only the two partners' clients and the node's admin read them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from contracts.mobility import IiaStatus
from services.mobility.agreements.repository import AgreementRepository
from services.mobility.agreements.schemas import (
    IiaApprovalRequest,
    IiaConditionsChange,
    IiaProposal,
    IiaRead,
    IiaTermination,
)
from services.mobility.agreements.service import AgreementService
from services.mobility.dependencies import RuntimeDep
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import IfMatchVersion, PublisherDep, SessionDep, set_etag
from shared.direct import DirectSender
from shared.errors import problem_responses
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/mobility/agreements", tags=["mobility agreements"])

PartyDep = Annotated[Principal, require_scope(Scope.MOBILITY_AGREEMENTS)]


async def agreement_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep
) -> AgreementService:
    return AgreementService(
        repository=AgreementRepository(session),
        settings=runtime.settings,
        sender=DirectSender(publisher, runtime.trust),
        trust=runtime.trust,
    )


ServiceDep = Annotated[AgreementService, Depends(agreement_service)]


@router.post(
    "",
    summary="Propose an agreement",
    status_code=status.HTTP_201_CREATED,
    response_model=IiaRead,
    responses=problem_responses(401, 403, 422, 503),
)
async def propose_agreement(
    data: IiaProposal, principal: PartyDep, service: ServiceDep, response: Response
) -> IiaRead:
    """Propose cooperation conditions from the caller's institution to an institution of
    another node. This node approves them at once (signed by its federation key); the
    partner's node receives the agreement over the direct channel and approves it there."""
    state = await service.propose(principal, data)
    set_etag(response, state.version)
    return state


@router.get(
    "",
    summary="The caller's agreements",
    response_model=Page[IiaRead],
    responses=problem_responses(401, 403),
)
async def list_agreements(
    principal: PartyDep,
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: IiaStatus | None = None,
) -> Page[IiaRead]:
    """The agreements of the caller's institution (either side), last changed first; the
    node's admin sees every agreement held here."""
    items, next_cursor = await service.list(principal, page, status)
    return Page(items=items, next_cursor=next_cursor, limit=page.limit)


@router.get(
    "/{agreement_id}",
    summary="One agreement",
    response_model=IiaRead,
    responses=problem_responses(401, 403, 404),
)
async def get_agreement(
    agreement_id: uuid.UUID, principal: PartyDep, service: ServiceDep, response: Response
) -> IiaRead:
    """The agreement with its conditions, their digest and both partners' signed approvals
    (the same at both partners' nodes). 404 for anybody but the partners."""
    state = await service.get(principal, agreement_id)
    set_etag(response, state.version)
    return state


@router.put(
    "/{agreement_id}/conditions",
    summary="Change the conditions",
    response_model=IiaRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428, 503),
)
async def change_conditions(
    agreement_id: uuid.UUID,
    data: IiaConditionsChange,
    version: IfMatchVersion,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> IiaRead:
    """Replace the conditions (`If-Match` required): a new revision, approved by this node,
    whose other partner must approve it again."""
    state = await service.change(principal, agreement_id, data.conditions, version)
    set_etag(response, state.version)
    return state


@router.post(
    "/{agreement_id}/approval",
    summary="Approve the current conditions",
    response_model=IiaRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def approve_agreement(
    agreement_id: uuid.UUID,
    data: IiaApprovalRequest,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> IiaRead:
    """Approve the conditions whose `digest` the agreement shows (409 if they changed): this
    node signs that digest with its federation key."""
    state = await service.approve(principal, agreement_id, data.digest)
    set_etag(response, state.version)
    return state


@router.post(
    "/{agreement_id}/termination",
    summary="Terminate an agreement",
    response_model=IiaRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428, 503),
)
async def terminate_agreement(
    agreement_id: uuid.UUID,
    data: IiaTermination,
    version: IfMatchVersion,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> IiaRead:
    """End the agreement (`If-Match` required), with a reason both partners see."""
    state = await service.terminate(principal, agreement_id, data.reason, version)
    set_etag(response, state.version)
    return state
