"""HTTP for learning agreements (scope `mobility:agreements`): the sending coordinator
proposes and changes them and issues the student's token; the coordinators approve, the
receiving one may reject; the student approves with their token (no client of their own)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from contracts.mobility import LaVersion, LaVersionStatus
from services.mobility.dependencies import RuntimeDep
from services.mobility.learning_agreements.repository import LearningAgreementRepository
from services.mobility.learning_agreements.schemas import (
    LaApprovalRequest,
    LaChange,
    LaProposal,
    LaRejectionRequest,
    LearningAgreementRead,
    StudentApprovalRequest,
    StudentTokenRead,
    StudentTokenRequest,
    StudentViewRequest,
)
from services.mobility.learning_agreements.service import LearningAgreementService
from services.mobility.nominations.repository import NominationRepository
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import IfMatchVersion, PublisherDep, SessionDep, set_etag
from shared.direct import DirectSender
from shared.errors import problem_responses
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/mobility/learning-agreements", tags=["mobility learning agreements"])
student_router = APIRouter(
    prefix="/v1/mobility/student-approvals", tags=["mobility learning agreements"]
)

PartyDep = Annotated[Principal, require_scope(Scope.MOBILITY_AGREEMENTS)]


async def learning_agreement_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep
) -> LearningAgreementService:
    return LearningAgreementService(
        repository=LearningAgreementRepository(session),
        nominations=NominationRepository(session),
        settings=runtime.settings,
        sender=DirectSender(publisher, runtime.trust),
        trust=runtime.trust,
    )


ServiceDep = Annotated[LearningAgreementService, Depends(learning_agreement_service)]


@router.post(
    "",
    summary="Propose a learning agreement",
    status_code=status.HTTP_201_CREATED,
    response_model=LearningAgreementRead,
    responses=problem_responses(401, 403, 409, 422, 503),
)
async def propose_learning_agreement(
    data: LaProposal, principal: PartyDep, service: ServiceDep, response: Response
) -> LearningAgreementRead:
    """The sending coordinator proposes the components of a nominated student's stay (its
    approval given with them); the student and the receiving coordinator approve next."""
    la = await service.propose(principal, data)
    set_etag(response, la.version)
    return la


@router.get(
    "",
    summary="The caller's learning agreements",
    response_model=Page[LearningAgreementRead],
    responses=problem_responses(401, 403),
)
async def list_learning_agreements(
    principal: PartyDep,
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[
        LaVersionStatus | None, Query(description="The current version's status.")
    ] = None,
    overdue: Annotated[
        bool, Query(description="Only those the receiving coordinator has not answered in time.")
    ] = False,
) -> Page[LearningAgreementRead]:
    """The learning agreements of the caller's institution (either side), last changed
    first; the node's admin sees every one held here."""
    items, next_cursor = await service.list(principal, page, status, overdue)
    return Page(items=items, next_cursor=next_cursor, limit=page.limit)


@router.get(
    "/{learning_agreement_id}",
    summary="One learning agreement",
    response_model=LearningAgreementRead,
    responses=problem_responses(401, 403, 404),
)
async def get_learning_agreement(
    learning_agreement_id: uuid.UUID, principal: PartyDep, service: ServiceDep, response: Response
) -> LearningAgreementRead:
    """The current version (components, digest, who approved it and when, the day the
    receiving side's answer is due) and every earlier version."""
    la = await service.get(principal, learning_agreement_id)
    set_etag(response, la.version)
    return la


@router.put(
    "/{learning_agreement_id}/components",
    summary="Change the components",
    response_model=LearningAgreementRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428, 503),
)
async def change_components(
    learning_agreement_id: uuid.UUID,
    data: LaChange,
    version: IfMatchVersion,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> LearningAgreementRead:
    """The sending coordinator replaces the components (`If-Match` required): a new version,
    to be approved again by the student and the receiving coordinator; the earlier one stays
    in the history."""
    la = await service.change(principal, learning_agreement_id, data.components, version)
    set_etag(response, la.version)
    return la


@router.post(
    "/{learning_agreement_id}/approval",
    summary="Approve the current version (a coordinator)",
    response_model=LearningAgreementRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def approve_learning_agreement(
    learning_agreement_id: uuid.UUID,
    data: LaApprovalRequest,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> LearningAgreementRead:
    """The caller's institution's coordinator approves the version of `digest` (409 if it
    changed): its node signs the digest. 403 for anybody not a party."""
    la = await service.approve(principal, learning_agreement_id, data.digest)
    set_etag(response, la.version)
    return la


@router.post(
    "/{learning_agreement_id}/rejection",
    summary="Reject the current version (the receiving coordinator)",
    response_model=LearningAgreementRead,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def reject_learning_agreement(
    learning_agreement_id: uuid.UUID,
    data: LaRejectionRequest,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> LearningAgreementRead:
    """The receiving coordinator refuses the version of `digest`, with a reason; the sending
    side proposes a new one."""
    la = await service.reject(principal, learning_agreement_id, data.digest, data.reason)
    set_etag(response, la.version)
    return la


@router.post(
    "/{learning_agreement_id}/student-token",
    summary="Issue the student's approval token",
    status_code=status.HTTP_201_CREATED,
    response_model=StudentTokenRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def issue_student_token(
    learning_agreement_id: uuid.UUID,
    data: StudentTokenRequest,
    principal: PartyDep,
    service: ServiceDep,
) -> StudentTokenRead:
    """The sending coordinator gets a single-use token for the student to approve the version
    of `digest` (valid 72 hours by default, shown once) and hands it to the student."""
    return await service.issue_student_token(principal, learning_agreement_id, data.digest)


@student_router.post(
    "/view",
    summary="The version a student's token is for",
    response_model=LaVersion,
    responses=problem_responses(401, 409, 422),
)
async def student_view(data: StudentViewRequest, service: ServiceDep) -> LaVersion:
    """What the student is asked to approve (the token, in the body, stays usable)."""
    return await service.student_view(data.token)


@student_router.post(
    "",
    summary="The student approves",
    response_model=LaVersion,
    responses=problem_responses(401, 409, 422, 503),
)
async def approve_as_student(data: StudentApprovalRequest, service: ServiceDep) -> LaVersion:
    """The student approves the version of `digest` with their token (no bearer token:
    401 if the token is unknown, used or expired; 409 if the version changed)."""
    return await service.approve_as_student(data.token, data.digest)
