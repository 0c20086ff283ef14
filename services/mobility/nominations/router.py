"""HTTP for nominations (scope `mobility:agreements`): the sending institution's client
nominates and cancels, the receiving institution's client accepts or rejects, either erases
the student's personal data; only the two institutions' clients and the node's admin read
them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from contracts.mobility import NominationStatus
from services.mobility.agreements.repository import AgreementRepository
from services.mobility.dependencies import RuntimeDep
from services.mobility.nominations.repository import NominationRepository
from services.mobility.nominations.schemas import (
    NominationRead,
    NominationReason,
    NominationRequest,
)
from services.mobility.nominations.service import NominationService
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import PublisherDep, SessionDep, set_etag
from shared.direct import DirectSender
from shared.errors import problem_responses
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/mobility/nominations", tags=["mobility nominations"])

PartyDep = Annotated[Principal, require_scope(Scope.MOBILITY_AGREEMENTS)]


async def nomination_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep
) -> NominationService:
    return NominationService(
        repository=NominationRepository(session),
        agreements=AgreementRepository(session),
        settings=runtime.settings,
        sender=DirectSender(publisher, runtime.trust),
        publisher=publisher,
        trust=runtime.trust,
    )


ServiceDep = Annotated[NominationService, Depends(nomination_service)]


@router.post(
    "",
    summary="Nominate a student",
    status_code=status.HTTP_201_CREATED,
    response_model=NominationRead,
    responses=problem_responses(401, 403, 409, 422, 503),
)
async def nominate(
    data: NominationRequest, principal: PartyDep, service: ServiceDep, response: Response
) -> NominationRead:
    """Nominate a student of the caller's institution to the partner of an approved
    agreement, within one of its cooperation conditions and its places (409 when they are
    taken). The receiving institution has 5 working days to answer (`respond_by`)."""
    nomination = await service.nominate(principal, data)
    set_etag(response, nomination.version)
    return nomination


@router.get(
    "",
    summary="The caller's nominations",
    response_model=Page[NominationRead],
    responses=problem_responses(401, 403),
)
async def list_nominations(
    principal: PartyDep,
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: NominationStatus | None = None,
    overdue: Annotated[
        bool, Query(description="Only those unanswered after their day to answer.")
    ] = False,
) -> Page[NominationRead]:
    """The nominations of the caller's institution (sent or received), last changed first;
    the node's admin sees every one held here."""
    items, next_cursor = await service.list(principal, page, status, overdue)
    return Page(items=items, next_cursor=next_cursor, limit=page.limit)


@router.get(
    "/{nomination_id}",
    summary="One nomination",
    response_model=NominationRead,
    responses=problem_responses(401, 403, 404),
)
async def get_nomination(
    nomination_id: uuid.UUID, principal: PartyDep, service: ServiceDep, response: Response
) -> NominationRead:
    """The nomination with its student, status and day to answer by. 404 for anybody but
    the two institutions."""
    nomination = await service.get(principal, nomination_id)
    set_etag(response, nomination.version)
    return nomination


@router.post(
    "/{nomination_id}/acceptance",
    summary="Accept a nomination",
    response_model=NominationRead,
    responses=problem_responses(401, 403, 404, 409, 503),
)
async def accept_nomination(
    nomination_id: uuid.UUID, principal: PartyDep, service: ServiceDep, response: Response
) -> NominationRead:
    """The receiving institution accepts the student (403 for the sending one)."""
    nomination = await service.answer(principal, nomination_id, accept=True, reason=None)
    set_etag(response, nomination.version)
    return nomination


@router.post(
    "/{nomination_id}/rejection",
    summary="Reject a nomination",
    response_model=NominationRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def reject_nomination(
    nomination_id: uuid.UUID,
    data: NominationReason,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> NominationRead:
    """The receiving institution rejects the student, with a reason both sides see; the
    place is free again."""
    nomination = await service.answer(principal, nomination_id, accept=False, reason=data.reason)
    set_etag(response, nomination.version)
    return nomination


@router.post(
    "/{nomination_id}/cancellation",
    summary="Cancel a nomination",
    response_model=NominationRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def cancel_nomination(
    nomination_id: uuid.UUID,
    data: NominationReason,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> NominationRead:
    """The sending institution withdraws the nomination (the student does not go); the
    place is free again."""
    nomination = await service.cancel(principal, nomination_id, data.reason)
    set_etag(response, nomination.version)
    return nomination


@router.delete(
    "/{nomination_id}/student",
    summary="Erase the student's personal data",
    response_model=NominationRead,
    responses=problem_responses(401, 403, 404, 503),
)
async def erase_student(
    nomination_id: uuid.UUID, principal: PartyDep, service: ServiceDep, response: Response
) -> NominationRead:
    """Erase the student's personal data on request, here and at the other partner's node;
    the nomination, its status and the learning agreement stay."""
    nomination = await service.erase_student(principal, nomination_id)
    set_etag(response, nomination.version)
    return nomination
